import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..chrome import get_chrome
from ..latin_view import LANGUAGE_CODE as LATIN_CODE
from ..latin_view import is_latin_request, latin_url
from ..models import url_for
from ..models.queries import locale_codes
from ..rows import live_translations

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """Return the cached header, navigation, sidebar and footer data."""
    return get_chrome(context["request"])


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """Return one link per language: the page's translation, else that language's home."""
    request = context["request"]
    chrome = get_chrome(request)
    current = get_language()
    translations = {}
    if page is not None and getattr(page, "pk", None):
        codes = locale_codes()
        for locale_id, url_path in live_translations(page.translation_key):
            if locale_id in codes:
                translations[codes[locale_id]] = url_for(url_path, request)
    latin = is_latin_request(request)
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code)
        links.append(
            {
                "code": "kk-Cyrl" if code == "kk" else code,
                "hreflang": code,
                "name": name,
                "url": url or chrome.home_urls.get(code, f"/{code}/"),
                "is_translation": url is not None,
                "is_current": code == current and not (code == "kk" and latin),
            }
        )
        if code == "kk":
            # The Latin view: the same Kazakh page, in the 2021 alphabet.
            links.append(
                {
                    "code": LATIN_CODE,
                    "hreflang": LATIN_CODE,
                    "name": "Qazaqşa",
                    "url": latin_url(links[-1]["url"]),
                    "is_translation": url is not None,
                    "is_current": current == "kk" and latin,
                }
            )
    return links


@register.simple_tag(takes_context=True)
def active_navigation(context, page=None):
    """Return which main-menu entry is the current page: "home", a page id, or "".

    The header's menu is cached per generation and per this value, so a page view
    renders only the parts that are its own (the language links).
    """
    if page is None or not getattr(page, "pk", None):
        return ""
    if page.depth == 2:
        return "home"
    chrome = get_chrome(context["request"])
    for item in chrome.navigation:
        if item.page_id == page.pk:
            return item.page_id
    return ""


@register.filter
def json_ld(data):
    """Render ``data`` as a JSON-LD script element, safe inside HTML."""
    payload = (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003C")
        .replace(">", "\\u003E")
        .replace("&", "\\u0026")
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308  (escaped above)


@register.simple_tag(takes_context=True)
def absolute(context, url):
    """Return ``url`` made absolute against the current request."""
    if not url:
        return ""
    return context["request"].build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """Return the trail from the language's home page to ``page`` and its JSON-LD."""
    request = context["request"]
    chrome = get_chrome(request)
    trail = [{"title": chrome.short_name or chrome.name, "url": chrome.home_url}]
    for crumb in page.get_breadcrumbs():
        trail.append({"title": crumb.title, "url": crumb.get_url(request)})
    trail.append({"title": page.title, "url": page.get_url(request), "is_current": True})
    data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb["title"],
                "item": request.build_absolute_uri(crumb["url"]),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }
    return {"trail": trail, "json_ld": data}
