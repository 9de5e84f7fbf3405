"""The public search page: news, events and library chapters in both languages.

Every parameter is read defensively: an odd query, page number, date or filter gives a
normal page (the query syntax never reaches the database; see ``services.parse_query``).
"""

import datetime
import math
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from iskra.core.contracts import search_providers
from iskra.core.mirror import is_mirror_request, mark_copy_variant

from . import services
from .analysis import LANGUAGES

PER_PAGE = 20
MAX_PAGE = 500
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша"}


def _date(value):
    try:
        return datetime.date.fromisoformat(value.strip()) if value and len(value) <= 10 else None
    except ValueError:
        return None


def _number(value, default=None, maximum=None):
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        return default
    number = int(value)
    return min(number, maximum) if maximum else number


def _options(request):
    active = translation.get_language() or "ru"
    language = request.GET.get("lang", active)
    languages = (
        LANGUAGES if language == "all" else (language,) if language in LANGUAGES else (active,)
    )
    kind = request.GET.get("type", "")
    kinds = (kind,) if kind in {provider.kind for provider in search_providers()} else ()
    filters = services.Filters(
        languages=languages,
        kinds=kinds,
        section_id=_number(request.GET.get("section")),
        date_from=_date(request.GET.get("from")),
        date_to=_date(request.GET.get("to")),
    )
    chosen = {
        "lang": "all" if language == "all" else languages[0],
        "type": kinds[0] if kinds else "",
        "section": filters.section_id or "",
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
    }
    return filters, chosen


def _with_urls(request, entries):
    pages = Page.objects.in_bulk({entry.page_id for entry in entries})
    shown = []
    for entry in entries:
        page = pages.get(entry.page_id)
        url = page.get_url(request) if page else None
        if url:
            entry.url = url + entry.path
            shown.append(entry)
    return shown


def _suggestion(raw, filters, chosen):
    """When nothing is found, the other language (or both) that would find something."""
    others = [lang for lang in LANGUAGES if lang not in filters.languages]
    for language in others:
        query = services.parse_query(raw, (language,))
        other = services.Filters(
            languages=(language,),
            kinds=filters.kinds,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        found = services.count(query, other) if query else 0
        if found:
            params = {**chosen, "q": raw, "lang": language, "section": ""}
            return {
                "count": found,
                "language": LANGUAGE_NAMES[language],
                "url": "?" + urlencode({k: v for k, v in params.items() if v}),
            }
    return None


def _static_search(request):
    """The search page of the static mirror: the form, and a script that searches the
    copy's own index (``static_index``) in the browser."""
    response = render(
        request,
        "search/search_page.html",
        {
            "is_static_search": True,
            "chosen": {"lang": translation.get_language() or "ru"},
            "language_choices": [
                ("ru", LANGUAGE_NAMES["ru"]),
                ("kk", LANGUAGE_NAMES["kk"]),
                ("all", _("Both languages")),
            ],
            "preview_title": _("Search"),
            "preview_description": _(
                "Search the news, events and the library in Russian and Kazakh."
            ),
        },
    )
    return mark_copy_variant(request, response)


def search(request):
    if is_mirror_request(request):
        return _static_search(request)
    raw = request.GET.get("q", "")[: services.MAX_QUERY_CHARACTERS]
    raw = "".join(ch if ch.isprintable() else " " for ch in raw).strip()
    filters, chosen = _options(request)
    query = services.parse_query(raw, filters.languages) if raw else services.Query()
    number = _number(request.GET.get("page"), 1, MAX_PAGE) or 1
    results, total, suggestion = [], 0, None
    if query:
        entries, total = services.search(
            query, filters, limit=PER_PAGE, offset=(number - 1) * PER_PAGE
        )
        labels = {provider.kind: provider.label for provider in search_providers()}
        for entry in entries:
            entry.kind_label = labels.get(entry.kind, "")
            entry.snippet = services.snippet(
                f"{entry.lead} {entry.text}".strip(), query.highlight_terms, entry.language
            )
        results = _with_urls(request, entries)
        if not total:
            suggestion = _suggestion(raw, filters, chosen)
    pages = min(math.ceil(total / PER_PAGE), MAX_PAGE) if total else 0
    base = {k: v for k, v in {**chosen, "q": raw}.items() if v}
    language = filters.languages[0] if len(filters.languages) == 1 else None
    providers = search_providers()
    sections = [
        choice
        for provider in providers
        if provider.sections
        for choice in provider.sections(filters.languages)
    ]
    return render(
        request,
        "search/search_page.html",
        {
            "query": raw,
            "has_words": bool(query),
            "results": results,
            "total": total,
            "number": number,
            "pages": pages,
            "previous_url": "?" + urlencode({**base, "page": number - 1}) if number > 1 else "",
            "next_url": "?" + urlencode({**base, "page": number + 1}) if number < pages else "",
            "chosen": chosen,
            "kind_choices": [(provider.kind, provider.label) for provider in providers],
            "language_choices": [
                ("ru", LANGUAGE_NAMES["ru"]),
                ("kk", LANGUAGE_NAMES["kk"]),
                ("all", _("Both languages")),
            ],
            "section_choices": sections,
            "suggestion": suggestion,
            "result_language": language,
            "preview_title": f"{raw} — {_('Search')}" if raw else _("Search"),
            "preview_description": _(
                "Search the news, events and the library in Russian and Kazakh."
            ),
        },
    )
