"""The public search page: pages of the active language matching the query."""

import re

from django.core.paginator import EmptyPage, Paginator
from django.shortcuts import render
from wagtail.models import Locale, Page

from iskra.core.models import exclude_private

MAX_QUERY_LENGTH = 200
PER_PAGE = 20


_WORD = re.compile(r"\w+")


def _clean_query(raw):
    """Return the query's words only, so that no engine syntax reaches the engine."""
    return " ".join(_WORD.findall(raw[: MAX_QUERY_LENGTH * 4]))[:MAX_QUERY_LENGTH].strip()


def search(request):
    """Search the live pages of the active language; a bad query yields an empty result."""
    query = _clean_query(request.GET.get("q", ""))
    results = None
    if query:
        pages = exclude_private(Page.objects.live().filter(locale=Locale.get_active())).specific()
        found = pages.search(query, operator="and")
        paginator = Paginator(found, PER_PAGE)
        raw_page = request.GET.get("page", "1")
        number = int(raw_page) if raw_page.isascii() and raw_page.isdigit() else 1
        try:
            results = paginator.page(number)
        except EmptyPage:
            results = paginator.page(1) if number < 1 else None
    return render(
        request,
        "search/search_page.html",
        {"query": query, "results": results},
    )
