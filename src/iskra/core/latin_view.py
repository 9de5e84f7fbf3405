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

import json
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


# HTML: comments, scripts and styles whole, then tags; text lies between them.
# HTML markup in one group, so that split() alternates text and markup: comments,
# scripts, styles and textareas whole, then any tag.
_MARKUP = re.compile(
    r"(<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>"
    r"|<textarea\b.*?</textarea\s*>|<[a-zA-Z/!][^>]*>)",
    re.S | re.I,
)
_TAG_NAME = re.compile(r"</?([a-zA-Z][\w:-]*)")
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source")
    + ("track", "wbr")
)
_LANG = re.compile(r"""\slang\s*=\s*["']?([\w-]*)""", re.I)
_NO_TRANSLATE = re.compile(r"""\stranslate\s*=\s*["']?no\b""", re.I)
# A block an editor marked Kazakh (core.blocks.LanguageChoiceBlock): every word is Kazakh.
_SET_KAZAKH = re.compile(r"""\sdata-language\s*=\s*["']?kk\b""", re.I)
_LINK_ATTRIBUTE = re.compile(r"""(\s(?:href|action|formaction)\s*=\s*")([^"]*)(")""", re.I)
_TEXT_ATTRIBUTE = re.compile(
    r"""(\s(?:alt|title|placeholder|aria-label|aria-description|label)\s*=\s*")([^"]*)(")""",
    re.I,
)
_META_TEXT = re.compile(
    r"""\s(?:name|property)\s*=\s*"(?:description|og:title|og:description|og:site_name|"""
    r"""og:image:alt|twitter:title|twitter:description|twitter:image:alt)\"""",
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
    if ("/kk/" in tag or '="http' in tag) and "hreflang" not in tag:
        tag = _LINK_ATTRIBUTE.sub(
            lambda m: m.group(1) + _rewrite_link(m.group(2), host) + m.group(3), tag
        )
        if tag.startswith("<meta") and _META_URL.search(tag):
            tag = _CONTENT_ATTRIBUTE.sub(
                lambda m: m.group(1) + _rewrite_link(m.group(2), host) + m.group(3), tag
            )
    if mode is not _KEEP and CYRILLIC.search(tag):
        kazakh = mode is _KAZAKH
        tag = _TEXT_ATTRIBUTE.sub(
            lambda m: m.group(1) + convert(m.group(2), kazakh=kazakh) + m.group(3), tag
        )
        if tag.startswith("<meta") and _META_TEXT.search(tag):
            tag = _CONTENT_ATTRIBUTE.sub(
                lambda m: m.group(1) + convert(m.group(2), kazakh=kazakh) + m.group(3), tag
            )
    return tag


def _tag_name(tag):
    match = _TAG_NAME.match(tag)
    return match.group(1).lower() if match else ""


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


def _latinize(html, latin, host):
    """Return ``html`` with its Kazakh text in Latin letters (one pass over the markup).

    ``_MARKUP.split`` alternates text and markup. Only elements that set a language
    (``lang``, ``translate``, ``data-language``) are tracked, with the depth of their
    own tag name inside them, so that the right closing tag ends their language.
    """
    convert = latin.text
    parts = _MARKUP.split(html)
    stack = []  # [tag name, its mode, nesting of that name inside it]
    mode = _AUTO
    for index in range(0, len(parts), 2):
        text = parts[index]
        if text and mode is not _KEEP:
            parts[index] = convert(text, kazakh=mode is _KAZAKH)
        if index + 1 == len(parts):
            break
        tag = parts[index + 1]
        second = tag[1]
        if second == "/":
            top = stack[-1][0] if stack else None
            if top and tag[2:].lower().startswith(top) and _tag_name(tag) == top:
                if stack[-1][2]:
                    stack[-1][2] -= 1
                else:
                    stack.pop()
                    mode = stack[-1][1] if stack else _AUTO
            continue
        if second == "!":  # a comment or the doctype
            continue
        if second in "sStT" and tag.lower().startswith(("<script", "<style", "<textarea")):
            parts[index + 1] = _raw_element(tag, mode, latin, host)
            continue
        own = mode
        if "lang=" in tag or "translate=" in tag or "data-language=" in tag:
            name = _tag_name(tag)
            own = _AUTO if name in ("html", "body") else _mode_of(tag, mode)
            if name not in _VOID and not tag.endswith("/>"):
                if stack and stack[-1][0] == name:
                    stack[-1][2] += 1
                stack.append([name, own, 0])
                mode = own
        elif stack and tag[1:].lower().startswith(stack[-1][0]):
            name = _tag_name(tag)
            if name == stack[-1][0] and name not in _VOID:
                stack[-1][2] += 1
        if "kk" in tag or "http" in tag or CYRILLIC.search(tag):
            parts[index + 1] = _tag(tag, own, convert, host)
    return "".join(parts)


def _raw_element(element, mode, latin, host):
    """Return a script, style or textarea element: JSON-LD data and a textarea's text
    in Latin letters, everything else as it is."""
    head, _sep, rest = element.partition(">")
    body, _sep, tail = rest.rpartition("</")
    lowered = head[:9].lower()
    if lowered.startswith("<script") and "ld+json" in head and CYRILLIC.search(body):
        body = _latinize_json_ld(body, latin, host)
    elif lowered.startswith("<textarea") and mode is not _KEEP:
        body = latin.text(body, kazakh=mode is _KAZAKH)
    else:
        return element
    return f"{head}>{body}</{tail}"


def _latinize_json_ld(body, latin, host):
    try:
        data = json.loads(body)
    except ValueError:
        return body

    def walk(value, key=""):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            if key == "inLanguage" and value == "kk":
                return LANGUAGE_CODE
            if value.startswith(("http://", "https://", "/")):
                return _rewrite_link(value, host)
            return latin.text(value)
        return value

    payload = json.dumps(walk(data), ensure_ascii=False, separators=(",", ":"))
    return payload.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


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
