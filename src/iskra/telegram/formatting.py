"""What a page's Telegram post says: bold title, lead, hashtags, a button to the site.

Telegram counts its limits (caption 1,024, message 4,096) in characters of the text
left after its HTML is parsed, and counts them in UTF-16 code units; the lead is
shortened at a word boundary to fit.
"""

import hashlib
import html
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from iskra.core.latin_view import latin_url, transliterator
from iskra.core.models import SiteSettings

CAPTION_LIMIT = 1024
MESSAGE_LIMIT = 4096
ELLIPSIS = "…"
_NOT_IN_HASHTAG = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class PostContent:
    """A page as a Telegram post."""

    html: str
    visible_text: str
    url: str
    button_text: str
    image_id: int | None
    latin_url: str = ""  # a Kazakh page's Latin view, when the site settings want it
    latin_button_text: str = ""

    @property
    def reply_markup(self):
        buttons = [{"text": self.button_text, "url": self.url}]
        if self.latin_url:
            buttons.append({"text": self.latin_button_text, "url": self.latin_url})
        return {"inline_keyboard": [buttons]}

    @property
    def text_digest(self):
        raw = "\n".join([self.html, self.url, self.button_text, self.latin_url])
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def telegram_length(text):
    """Return the length of ``text`` as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def hashtag(tag):
    """Return ``tag`` as a Telegram hashtag (#word_word), or "" when it cannot be one."""
    word = _NOT_IN_HASHTAG.sub("_", str(tag)).strip("_")
    if not word or not any(character.isalpha() for character in word):
        return ""
    return "#" + word


def shorten(text, limit):
    """Return ``text`` cut at a word boundary to at most ``limit`` UTF-16 units, with "…"."""
    if telegram_length(text) <= limit:
        return text
    budget = limit - telegram_length(ELLIPSIS)
    if budget <= 0:
        return ""
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if telegram_length(text[:middle]) <= budget:
            low = middle
        else:
            high = middle - 1
    cut = text[:low]
    space = cut.rfind(" ")
    if space > len(cut) // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:—–-") + ELLIPSIS


def compose(*, title, lead, tags, limit):
    """Return (HTML, visible text) of a post whose visible text fits in ``limit``."""
    title = " ".join(title.split())
    lead = " ".join(lead.split())
    hashtags = " ".join(tag for tag in dict.fromkeys(hashtag(t) for t in tags) if tag)
    parts = [title, lead, hashtags]
    fixed = telegram_length(title) + telegram_length(hashtags) + 4  # two blank lines
    if fixed + telegram_length(lead) > limit:
        if fixed >= limit:  # very long title or many tags: keep what fits
            parts[2] = ""
            parts[0] = shorten(title, limit - 2)
            fixed = telegram_length(parts[0]) + 2
        parts[1] = shorten(lead, limit - fixed)
    title, lead, hashtags = parts
    chunks_html = [f"<b>{html.escape(title, quote=False)}</b>"]
    chunks_text = [title]
    for chunk in (lead, hashtags):
        if chunk:
            chunks_html.append(html.escape(chunk, quote=False))
            chunks_text.append(chunk)
    return "\n\n".join(chunks_html), "\n\n".join(chunks_text)


def post_content(page, *, url):
    """Return the post for ``page`` (specific), linking to its canonical ``url``."""
    image_id = page.get_preview_image_id() if hasattr(page, "get_preview_image_id") else None
    lead = getattr(page, "lead", "") or (page.get_description() or "")
    tags = list(page.tags.names()) if hasattr(page, "tags") else []
    limit = CAPTION_LIMIT if image_id else MESSAGE_LIMIT
    html_text, visible = compose(title=page.title, lead=lead, tags=sorted(tags), limit=limit)
    language = page.locale.language_code
    with translation.override(language):
        button = _("Read on the site")
        latin_button = _("Read in Latin letters")
    latin = ""
    if language == "kk":
        site = page.get_site()
        if site is not None and SiteSettings.for_site(site).has_telegram_latin_link:
            latin, latin_button = latin_url(url), transliterator().text(latin_button)
    return PostContent(html_text, visible, url, button, image_id, latin, latin_button)
