"""sitemap.xml over both language trees and the Kazakh Latin view, with hreflang
alternates between translations."""

from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

from .latin_view import LANGUAGE_CODE as LATIN_CODE
from .latin_view import latin_url


class PageSitemap(Sitemap):
    """Every live public page of the request's site, in every language."""

    limit = 5000

    def __init__(self, request=None):
        self.request = request

    def items(self):
        site = Site.find_for_request(self.request) or Site.objects.get(is_default_site=True)
        roots = site.root_page.get_translations(inclusive=True)
        query = Page.objects.none()
        for root in roots:
            query |= Page.objects.descendant_of(root, inclusive=True)
        return (
            query.live()
            .public()
            .select_related("locale")
            .only(
                "id",
                "url_path",
                "path",
                "depth",
                "locale",
                "translation_key",
                "last_published_at",
                "latest_revision_created_at",
                "content_type_id",
            )
            .order_by("path")
        )

    def _absolute(self, page):
        url = page.get_url(self.request)
        return self.request.build_absolute_uri(url) if url else None

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        by_key = defaultdict(list)
        for item in items:
            by_key[item.translation_key].append(item)
        urls = []
        for item in items:
            location = self._absolute(item)
            if not location:
                continue
            alternates = []
            siblings = by_key[item.translation_key]
            if len(siblings) > 1 or item.locale.language_code == "kk":
                for other in siblings:
                    other_url = self._absolute(other)
                    if other_url:
                        alternates += self._alternates(other, other_url)
            entry = {
                "item": item,
                "location": location,
                "lastmod": item.last_published_at or item.latest_revision_created_at,
                "changefreq": None,
                "priority": "",
                "alternates": alternates,
            }
            urls.append(entry)
            if item.locale.language_code == "kk":  # the same page in the Latin view
                urls.append({**entry, "location": latin_url(location)})
        return urls

    @staticmethod
    def _alternates(page, url):
        language = page.locale.language_code
        found = [{"lang_code": language, "location": url}]
        if language == "kk":
            found.append({"lang_code": LATIN_CODE, "location": latin_url(url)})
        return found
