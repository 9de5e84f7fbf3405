"""sitemap.xml over both language trees, with hreflang alternates between translations."""

from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site


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
            if len(siblings) > 1:
                for other in siblings:
                    other_url = self._absolute(other)
                    if other_url:
                        alternates.append(
                            {"lang_code": other.locale.language_code, "location": other_url}
                        )
            urls.append(
                {
                    "item": item,
                    "location": location,
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "changefreq": None,
                    "priority": "",
                    "alternates": alternates,
                }
            )
        return urls
