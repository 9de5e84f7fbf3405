"""RSS 2.0 and Atom feeds of the latest articles, per language and per section, full text."""

import mimetypes
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Locale

from iskra.core.chrome import get_chrome
from iskra.core.models import HomePage, below, exclude_private

from .models import ArticlePage, SectionPage

FEED_SIZE = 30
_RELATIVE_LINK = re.compile(r'(\s(?:src|href))="/(?!/)')


class FullTextRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the article's full HTML in ``content:encoded``."""

    def rss_attributes(self):
        attributes = super().rss_attributes()
        attributes["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class FullTextAtomFeed(Atom1Feed):
    """Atom with the article's full HTML in ``content``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class ArticleFeed(Feed):
    """The latest articles of one language tree, or of one section in it."""

    feed_type = FullTextRssFeed

    def get_object(self, request, language, section=None):
        self.request = request
        locale = Locale.objects.filter(language_code=language).first()
        home = HomePage.objects.filter(locale=locale).first() if locale else None
        if home is None:
            raise Http404
        section_page = None
        if section is not None:
            section_page = SectionPage.objects.child_of(home).live().filter(slug=section).first()
            if section_page is None:
                raise Http404
        return {"home": home, "section": section_page, "chrome": get_chrome(request)}

    def title(self, obj):
        name = obj["chrome"].name
        return f"{obj['section'].title} — {name}" if obj["section"] else name

    def link(self, obj):
        return (obj["section"] or obj["home"]).get_url(self.request)

    def description(self, obj):
        return (
            obj["chrome"].tagline_kk
            if translation.get_language() == "kk"
            else (obj["chrome"].tagline_ru or _("Latest articles"))
        )

    def items(self, obj):
        parent = obj["section"] or obj["home"]
        return list(
            exclude_private(ArticlePage.objects.filter(below(parent)).live())
            .select_related("cover_image", "locale")
            .prefetch_related("article_authors__person", "tags", "cover_image__renditions")
            .order_by("-date", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead or item.get_description()

    def item_link(self, item):
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.last_published_at or item.date

    def item_author_name(self, item):
        names = [link.person.name for link in item.article_authors.all()]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        if not item.cover_image_id:
            return []
        rendition = item.cover_image.get_rendition("width-1200")
        mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
        try:
            length = rendition.file.size
        except OSError:
            return []
        url = self.request.build_absolute_uri(rendition.url)
        return [Enclosure(url, str(length), mime_type)]

    def item_extra_kwargs(self, item):
        base = self.request.build_absolute_uri("/").rstrip("/")
        parts = []
        if item.lead:
            parts.append(f"<p><strong>{escape(item.lead)}</strong></p>")
        parts.append(str(item.body))
        html = _RELATIVE_LINK.sub(rf'\1="{base}/', "".join(parts))
        return {"content": html}


class AtomArticleFeed(ArticleFeed):
    feed_type = FullTextAtomFeed
    subtitle = ArticleFeed.description


def _serve(feed_class):
    def view(request, language, section=None):
        if language not in dict(settings.LANGUAGES):
            raise Http404
        with translation.override(language):
            return feed_class()(request, language=language, section=section)

    return view


rss = _serve(ArticleFeed)
atom = _serve(AtomArticleFeed)
