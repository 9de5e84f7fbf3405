from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from iskra.core.models import exclude_private

from . import admin_urls
from .cards import LEAD_PICTURE, build_cards, card_rows
from .models import ArticlePage, SectionPage
from .rows import SectionListing
from .views import sections_for

HOME_ARTICLES_PER_SECTION = 4
PERSON_ARTICLES = 50


@hooks.register("iskra_home_blocks")
def latest_articles(home, request):
    """Give the home page its lead story and the latest articles of each section.

    One short query per section, answered from the (section, date) index; the lead
    story is the newest illustrated article among them.
    """
    # Sections are few: reading them all and keeping this home's children is cheaper
    # than a path range, which makes SQLite walk every page under the home page.
    # Sorted here too: ordering by path in SQL makes SQLite read the path index whole.
    sections = sorted(
        (
            section
            for section in exclude_private(
                SectionPage.objects.filter(depth=home.depth + 1).live()
            ).order_by()
            if section.path.startswith(home.path)
        ),
        key=lambda section: section.path,
    )
    if not sections:
        return []
    latest = {
        section.pk: SectionListing(section.pk)[: HOME_ARTICLES_PER_SECTION + 1]
        for section in sections
    }
    illustrated = [row for rows in latest.values() for row in rows if row["cover_image_id"]]
    lead = max(illustrated, key=lambda row: (row["date"], row["pk"]), default=None)
    shown = {
        pk: [row for row in rows if row is not lead][:HOME_ARTICLES_PER_SECTION]
        for pk, rows in latest.items()
    }
    cards = {card.pk: card for card in build_cards(sum(shown.values(), []), request)}
    per_section = [
        {"page": section, "articles": [cards[row["pk"]] for row in shown[section.pk]]}
        for section in sections
    ]
    lead_card = build_cards([lead], request, spec=LEAD_PICTURE)[0] if lead else None
    return [
        {"template": "news/includes/home_latest.html", "lead": lead_card, "sections": per_section}
    ]


@hooks.register("iskra_person_sections")
def person_articles(person, request):
    """List the person's articles on their page."""
    articles = exclude_private(
        ArticlePage.objects.filter(article_authors__person=person).live()
    ).order_by("-date", "-pk")
    cards = build_cards(card_rows(articles)[:PERSON_ARTICLES], request)
    return [{"template": "news/includes/person_articles.html", "items": cards}]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("", include(admin_urls, namespace="news_admin"))]


class TelegramImportMenuItem(MenuItem):
    def is_shown(self, request):
        return sections_for(request.user).exists()


class SiteImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_imports_menu():
    """*Imports*: a Telegram channel into a section; a whole old site (administrators)."""
    menu = Menu(
        items=[
            TelegramImportMenuItem(
                _("Telegram channel"),
                reverse("news_admin:telegram_import"),
                icon_name="download",
                order=100,
            ),
            SiteImportMenuItem(
                _("Old site (DataLife Engine, WordPress)"),
                reverse("news_admin:site_import"),
                icon_name="download",
                order=200,
            ),
        ]
    )
    return SubmenuMenuItem(_("Imports"), menu, icon_name="download", order=800)
