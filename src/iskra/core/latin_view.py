"""The Latin view of the Kazakh site: every ``/kk/…`` page also served at ``/kk-latn/…``.

``LatinViewMiddleware`` serves a ``/kk-latn/`` request as the same ``/kk/`` request
(``/feeds/kk-latn/`` as ``/feeds/kk/``) and rewrites the response: the text of HTML,
feeds and calendars in Latin letters (``kazakh_latin``), links to Kazakh pages to their
Latin addresses, ``lang="kk"`` to ``kk-Latn``. The Cyrillic text stays the one stored
source; the page cache keeps the Latin page under its own address.

In HTML, an element's language decides: ``lang="ru"``, ``lang="kk-Cyrl"`` and
``translate="no"`` stay Cyrillic, a block an editor marked Kazakh (``data-language="kk"``)
is transliterated whole, and other text word by word (Russian-looking words and the
editors' Russian names stay Cyrillic).
"""

import re
from contextvars import ContextVar

from django.core.cache import cache
from django.core.exceptions import DisallowedHost

from .kazakh_latin import CYRILLIC, Transliterator
from .models import LatinSpelling
from .page_cache import current_generation

LANGUAGE_CODE = "kk-Latn"
PREFIX = "/kk-latn/"
_CYRILLIC_PREFIX = "/kk/"
_FEEDS_PREFIX = "/feeds/kk-latn/"
_CYRILLIC_FEEDS_PREFIX = "/feeds/kk/"

_latin_request = ContextVar("iskra_latin_request", default=False)


def is_latin_request(request=None):
    """Return whether the request being served is one of the Latin view."""
    if request is not None:
        return getattr(request, "is_latin_view", False)
    return _latin_request.get()


def latin_path(path):
    """Return the Latin view's address of a Kazakh address (others unchanged)."""
    if path.startswith(_CYRILLIC_PREFIX):
        return PREFIX + path[len(_CYRILLIC_PREFIX) :]
    if path.startswith(_CYRILLIC_FEEDS_PREFIX):
        return _FEEDS_PREFIX + path[len(_CYRILLIC_FEEDS_PREFIX) :]
    return path


def latin_url(url):
    """Return the Latin view's URL of a Kazakh page's URL, relative or absolute."""
    match = _ABSOLUTE.match(url)
    if match:
        return match.group(1) + latin_path(match.group(2))
    return latin_path(url)


def cyrillic_path(path):
    """Return the Kazakh address a Latin view's address is served from, or None."""
    if path.startswith(PREFIX) or path == PREFIX[:-1]:
        return _CYRILLIC_PREFIX + path[len(PREFIX) :]
    if path.startswith(_FEEDS_PREFIX):
        return _CYRILLIC_FEEDS_PREFIX + path[len(_FEEDS_PREFIX) :]
    return None


_ABSOLUTE = re.compile(r"(https?://[^/\s\"'<>]+)(/.*)?$", re.S)


def transliterator():
    """Return the transliterator with the editors' spellings of the current generation."""
    key = f"iskra:latin-spellings:{current_generation()}"
    spellings = cache.get(key)
    if spellings is None:
        spellings = dict(LatinSpelling.objects.values_list("cyrillic", "latin"))
        cache.set(key, spellings, 3600)
    current = _process.get("transliterator")
    if current is None or current.spellings != spellings:
        # One per process, so that the words it has done are remembered across requests.
        current = _process["transliterator"] = Transliterator(spellings)
    return current


_process = {}


class LatinViewMiddleware:
    """Serve ``/kk-latn/…`` as ``/kk/…`` and rewrite the response into Latin letters.

    Placed after the page cache and GZip (so it sees the uncompressed response and the
    cache keeps its result) and before the locale middleware (which then activates
    Kazakh from the rewritten path).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = cyrillic_path(request.path_info)
        if path is None:
            return self.get_response(request)
        script_prefix = request.path[: len(request.path) - len(request.path_info)]
        request.path_info, request.path = path, script_prefix + path
        request.is_latin_view = True
        token = _latin_request.set(True)
        try:
            response = self.get_response(request)
        finally:
            _latin_request.reset(token)
        try:
            host = request.get_host()
        except DisallowedHost:
            host = ""
        return rewrite_response(response, host)


def rewrite_response(response, host):
    """Rewrite a Kazakh response into the Latin view's, in place; return it."""
    if response.has_header("Location"):
        response["Location"] = _rewrite_link(response["Location"], host)
    if response.has_header("Content-Language"):
        response["Content-Language"] = LANGUAGE_CODE
    if response.streaming or response.has_header("Content-Encoding"):
        return response
    kind = response.get("Content-Type", "").split(";")[0].strip().lower()
    convert = _CONVERTERS.get(kind)
    if convert is None or not response.content:
        return response
    charset = response.charset or "utf-8"
    text = response.content.decode(charset)
    response.content = convert(text, transliterator(), host).encode(charset)
    if response.has_header("Content-Length"):  # set by CommonMiddleware, for the Cyrillic
        response["Content-Length"] = str(len(response.content))
    return response


def _rewrite_link(url, host):
    if url.startswith("/"):
        return latin_path(url)
    match = _ABSOLUTE.match(url)
    if match and match.group(1).split("://", 1)[1] == host:
        return match.group(1) + latin_path(match.group(2) or "/")
    return url


_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source")
    + ("track", "wbr")
)
_LANG = re.compile(r"""\slang\s*=\s*["']?([\w-]*)""", re.I)
_NO_TRANSLATE = re.compile(r"""\stranslate\s*=\s*["']?no\b""", re.I)
# A block an editor marked Kazakh (core.blocks.LanguageChoiceBlock): every word is Kazakh.
_SET_KAZAKH = re.compile(r"""\sdata-language\s*=\s*["']?kk\b""", re.I)
_LINK_ATTRIBUTE = re.compile(
    r"""(\s(?:href|action|formaction|data-copy-source)\s*=\s*")([^"]*)(")""", re.I
)
_TEXT_ATTRIBUTE = re.compile(
    r"""(\s(?:alt|title|placeholder|aria-label|aria-description|label"""
    # the texts the site's script shows or adds to copied text (core/js/site.js)
    r"""|data-copy-author|data-copy-label-source|data-copy-label-author"""
    r"""|data-cite-copied|data-cite-paragraph)\s*=\s*")([^"]*)(")""",
    re.I,
)
_META_TEXT = re.compile(
    r"""\s(?:name|property)\s*=\s*"(?:description|og:title|og:description|og:site_name|"""
    r"""og:image:alt|twitter:title|twitter:description|twitter:image:alt|"""
    r"""article:tag|article:section)\"""",
    re.I,
)
_META_URL = re.compile(r"""\s(?:name|property)\s*=\s*"(?:og:url|twitter:url)\"""", re.I)
_CONTENT_ATTRIBUTE = re.compile(r"""(\scontent\s*=\s*")([^"]*)(")""", re.I)
# Modes: None word by word, True known Kazakh, False stays Cyrillic.
_AUTO, _KAZAKH, _KEEP = None, True, False


def _mode_of(attributes, inherited):
    if _NO_TRANSLATE.search(attributes):
        return _KEEP
    if _SET_KAZAKH.search(attributes):
        return _KAZAKH
    match = _LANG.search(attributes)
    if match is None:
        return inherited
    code = match.group(1).lower()
    if code in ("kk", "kk-kz", "kk-latn"):
        return _AUTO
    return _KEEP if code else inherited  # ru, kk-Cyrl: as written


def _tag(tag, mode, convert, host):
    """Return an opening tag with its links, ``lang`` and readers' text rewritten; each
    rewrite is tried only where a substring shows it may apply (most tags need none)."""
    if ' lang="kk"' in tag:
        tag = tag.replace(' lang="kk"', f' lang="{LANGUAGE_CODE}"')
    if "/kk/" in tag and "hreflang" not in tag:  # absolute links to Kazakh pages too
        tag = _LINK_ATTRIBUTE.sub(
            lambda m: m.group(1) + _rewrite_link(m.group(2), host) + m.group(3), tag
        )
        if tag.startswith("<meta") and _META_URL.search(tag):
            tag = _CONTENT_ATTRIBUTE.sub(
                lambda m: m.group(1) + _rewrite_link(m.group(2), host) + m.group(3), tag
            )
    if mode is not _KEEP and not tag.isascii() and CYRILLIC.search(tag):
        kazakh = mode is _KAZAKH
        tag = _TEXT_ATTRIBUTE.sub(
            lambda m: m.group(1) + convert(m.group(2), kazakh=kazakh) + m.group(3), tag
        )
        if tag.startswith("<meta") and _META_TEXT.search(tag):
            tag = _CONTENT_ATTRIBUTE.sub(
                lambda m: m.group(1) + convert(m.group(2), kazakh=kazakh) + m.group(3), tag
            )
    return tag


def latinize_html(html, latin, host=""):
    """Return an HTML document or fragment with its Kazakh text in Latin letters.

    The site's chrome (brand, menu, sidebar, footer) is the same on every page: templates
    mark it ``<!--latin:begin-->…<!--latin:end-->``, and the Latin form of each such
    fragment is remembered by the transliterator (which is renewed when the editors'
    spellings change), so only the page's own text is rewritten on each render.
    """
    if _FRAGMENT_BEGIN not in html:
        return _latinize(html, latin, host)
    pieces = _FRAGMENT.split(html)
    done = latin.fragments
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            pieces[index] = _latinize(piece, latin, host)
            continue
        key = (host, piece)
        found = done.get(key)
        if found is None:
            if len(done) >= _FRAGMENTS_KEPT:
                done.clear()
            found = done[key] = _latinize(piece, latin, host)
        pieces[index] = found
    return "".join(pieces)


_FRAGMENT_BEGIN = "<!--latin:begin-->"
_FRAGMENT = re.compile("<!--latin:begin-->(.*?)<!--latin:end-->", re.S)
_FRAGMENTS_KEPT = 512
_TAGS_KEPT = 20_000


def _latinize(html, latin, host):
    """Return ``html`` with its Kazakh text in Latin letters.

    ``_MARKUP.split`` alternates text and markup. The elements that set a language
    (``lang``, ``translate``, ``data-language``) are few; each one's extent (up to the
    closing tag that matches it, counting nested tags of its name) gives the mode of the
    text inside. The text of each mode is then converted in one call, and only the tags
    that can change (Kazakh links, Cyrillic text) are rewritten.
    """
    parts = _MARKUP.split(html)
    texts, tags = parts[0::2], parts[1::2]
    modes = _text_modes(tags) if _SETS_INNER_LANGUAGE.search(html) else None
    if modes is None:
        texts = _convert_texts(texts, latin, False)
    else:
        for kazakh in (False, True):
            wanted = _KAZAKH if kazakh else _AUTO
            chosen = [index for index, mode in enumerate(modes) if mode is wanted]
            if chosen:
                done = _convert_texts([texts[index] for index in chosen], latin, kazakh)
                for index, text in zip(chosen, done, strict=True):
                    texts[index] = text
    convert = _remembering(latin.text)  # a page repeats its title and description
    done = latin.tags
    for index, tag in enumerate(tags):
        if "kk" not in tag and (tag.isascii() or not CYRILLIC.search(tag)):
            continue  # (isascii() costs nothing: Python knows it of every string)
        second = tag[1]
        if second == "/" or second == "!":  # a closing tag, a comment or the doctype
            continue
        mode = _AUTO if modes is None else modes[index]  # the text before the tag's
        if modes is not None and _may_set_language(tag) and _SETS_LANGUAGE.match(tag):
            # An element's own attributes are in its own language.
            mode = _AUTO if _tag_name(tag) in ("html", "body") else _mode_of(tag, mode)
        if second in "sStT" and tag[:9].lower().startswith(("<script", "<style", "<textarea")):
            tags[index] = _raw_element(tag, mode, convert, host)
            continue
        key = (tag, mode, host)
        found = done.get(key)
        if found is None:
            if len(done) >= _TAGS_KEPT:
                done.clear()
            found = done[key] = _tag(tag, mode, convert, host)
        tags[index] = found
    parts[0::2], parts[1::2] = texts, tags
    return "".join(parts)


# HTML markup in one group, so that split() alternates text and markup: comments,
# scripts, styles and textareas whole, then any tag.
_MARKUP = re.compile(
    r"(<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>"
    r"|<textarea\b.*?</textarea\s*>|<[a-zA-Z/!][^>]*>)",
    re.S | re.I,
)
_RAW = frozenset(("script", "style", "textarea"))  # whole in one piece of ``_MARKUP``
_TAG_NAME = re.compile(r"</?([a-zA-Z][\w:-]*)")
_SETS_LANGUAGE = re.compile(r"""<[a-zA-Z][^>]*\s(?:lang|translate|data-language)\s*=""", re.I)
# The same, leaving out <html> and <body> (which only say the page's own language).
_SETS_INNER_LANGUAGE = re.compile(
    r"""<(?!html\b|body\b)[a-zA-Z][^>]*\s(?:lang|translate|data-language)\s*=""", re.I
)
_SEPARATOR = "\x00"  # between texts converted in one call; never in a word


def _may_set_language(tag):
    """Return whether ``tag`` may have a ``lang``, ``translate`` or ``data-language``
    attribute (written in small letters, capitals or capitalised): a cheap test before
    ``_SETS_LANGUAGE``."""
    return "ang" in tag or "ANG" in tag or "ransl" in tag or "RANSL" in tag


def _tag_name(tag):
    match = _TAG_NAME.match(tag)
    return match.group(1).lower() if match else ""


def _convert_texts(texts, latin, kazakh):
    """Return the Latin forms of ``texts`` (all of one mode), converted in one call."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds one itself
        return [latin.text(text, kazakh=kazakh) for text in texts]
    return latin.text(joined, kazakh=kazakh).split(_SEPARATOR)


def _text_modes(tags):
    """Return the mode of each text of a split document: ``modes[k]`` is that of the text
    before ``tags[k]`` (and the last one that of the text after the last tag)."""
    modes = [_AUTO] * (len(tags) + 1)
    for index, tag in enumerate(tags):
        if not _may_set_language(tag):
            continue
        if not _SETS_LANGUAGE.match(tag):
            continue
        name = _tag_name(tag)
        if name in _VOID or name in _RAW or tag.endswith("/>"):
            continue  # no content, or its content is inside it (a script, a textarea)
        own = _AUTO if name in ("html", "body") else _mode_of(tag, modes[index])
        if own is modes[index]:
            continue  # the same as around it (as <html lang="kk"> is): nothing to mark
        end = _closing(tags, index, name)
        # Elements open in document order, so an inner one overrides its outer one.
        modes[index + 1 : end + 1] = [own] * (end - index)
    return modes


def _closing(tags, start, name):
    """Return the index of the tag that closes ``tags[start]`` (an element called
    ``name``), or the last index where nothing does."""
    depth = 0
    opening, closing = "<" + name, "</" + name
    for index in range(start + 1, len(tags)):
        tag = tags[index]
        lowered = tag[: len(closing) + 1].lower()
        if lowered.startswith(closing) and _tag_name(tag) == name:
            if not depth:
                return index
            depth -= 1
        elif lowered.startswith(opening) and _tag_name(tag) == name and not tag.endswith("/>"):
            depth += 1
    return len(tags)


def _remembering(text):
    """Return ``text`` (a transliterator's) remembering what it has done, for one page."""
    done = {}

    def convert(value, kazakh=False):
        key = (value, kazakh)
        found = done.get(key)
        if found is None:
            found = done[key] = text(value, kazakh=kazakh)
        return found

    return convert


def _raw_element(element, mode, convert, host):
    """Return a script, style or textarea element: JSON-LD data and a textarea's text
    in Latin letters, everything else as it is."""
    head, _sep, rest = element.partition(">")
    body, _sep, tail = rest.rpartition("</")
    lowered = head[:9].lower()
    if (
        lowered.startswith("<script")
        and "ld+json" in head
        and ("/kk/" in body or CYRILLIC.search(body))
    ):
        body = _latinize_json_ld(body, convert, host)
    elif lowered.startswith("<textarea") and mode is not _KEEP:
        body = convert(body, kazakh=mode is _KAZAKH)
    else:
        return element
    return f"{head}>{body}</{tail}"


def _latinize_json_ld(body, convert, host):
    """Return JSON-LD data with its texts in Latin letters and its links to Kazakh pages
    Latin. The site writes it with the letters as they are (``core_tags.json_ld``), so
    the text between its address strings is rewritten where it stands, escapes and all
    (keys and JSON's own characters are ASCII and stay as they are)."""
    pieces = _JSON_ADDRESS.split(body)
    for index, piece in enumerate(pieces):
        if index % 2:
            pieces[index] = f'"{_rewrite_link(piece[1:-1], host)}"'
        elif piece:
            pieces[index] = convert(piece)
    return "".join(pieces).replace('"inLanguage":"kk"', f'"inLanguage":"{LANGUAGE_CODE}"')


# A string that is an address (no JSON string holds a bare quote, and an address no \").
_JSON_ADDRESS = re.compile(r'("(?:https?://|/)[^"]*")')


_XML_TOKEN = re.compile(r"<!\[CDATA\[.*?\]\]>|<[^>]*>", re.S)
_TEXT_URL = re.compile(r"https?://[^\s<>\"']+|/kk/[^\s<>\"']*")
_XML_LANGUAGE = re.compile(r"""(xml:lang="|<language>|<dc:language>)kk(?=["<])""")


def _text_with_links(chunk, latin, host):
    """Return plain text in Latin letters, with the addresses in it left alone (a Kazakh
    page's address becomes its Latin one)."""
    parts, last = [], 0
    for found in _TEXT_URL.finditer(chunk):
        parts.append(latin.text(chunk[last : found.start()]))
        parts.append(_rewrite_link(found.group(), host))
        last = found.end()
    parts.append(latin.text(chunk[last:]))
    return "".join(parts)


def latinize_xml(xml, latin, host=""):
    """Return a feed (RSS, Atom) with its text in Latin letters and Latin links."""

    def text(chunk):
        return _text_with_links(chunk, latin, host)

    out, position = [], 0
    for match in _XML_TOKEN.finditer(xml):
        out.append(text(xml[position : match.start()]))
        token = match.group()
        if token.startswith("<![CDATA["):
            out.append("<![CDATA[" + text(token[9:-3]) + "]]>")
        else:
            out.append(
                _LINK_ATTRIBUTE.sub(
                    lambda m: m.group(1) + _rewrite_link(m.group(2), host) + m.group(3), token
                )
            )
        position = match.end()
    out.append(text(xml[position:]))
    return _XML_LANGUAGE.sub(r"\1" + LANGUAGE_CODE, "".join(out))


_ICS_TEXT = ("SUMMARY", "DESCRIPTION", "LOCATION", "X-WR-CALNAME", "CATEGORIES", "COMMENT")


def latinize_ics(ics, latin, host=""):
    """Return an iCalendar document with its text properties in Latin letters."""
    lines = ics.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")
    out = []
    for line in lines:
        name = line.split(":", 1)[0].split(";", 1)[0].upper()
        if name in _ICS_TEXT:
            line = _text_with_links(line, latin, host)
        elif name == "URL":
            head, _sep, value = line.partition(":")
            line = f"{head}:{_rewrite_link(value, host)}"
        out.extend(_fold(line))
    return "\r\n".join(out)


def _fold(line, limit=75):
    """Fold an iCalendar content line into lines of at most ``limit`` octets (RFC 5545)."""
    if len(line.encode("utf-8")) <= limit:
        return [line]
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    pieces.append(current)
    return pieces


_CONVERTERS = {
    "text/html": latinize_html,
    "application/xhtml+xml": latinize_html,
    "application/rss+xml": latinize_xml,
    "application/atom+xml": latinize_xml,
    "application/xml": latinize_xml,
    "text/xml": latinize_xml,
    "text/calendar": latinize_ics,
}
