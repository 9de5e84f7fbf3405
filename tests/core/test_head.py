"""Every page type's <head>: a meta description and a link-preview title that say what
the page is (a link shared in Telegram shows these first), built from factories."""

import re
from html import unescape

import pytest
from taggit.models import Tag

from iskra.core.models import SiteSettings, StandardPage
from tests.factories import core
from tests.factories import events as event_factory
from tests.factories import library as library_factory
from tests.factories import members as members_factory
from tests.factories import news as news_factory

pytestmark = pytest.mark.django_db


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    found = {}
    for name, attribute in (
        ("description", 'name="description"'),
        ("og:title", 'property="og:title"'),
        ("og:description", 'property="og:description"'),
        ("twitter:title", 'name="twitter:title"'),
    ):
        match = re.search(rf'<meta {attribute} content="([^"]*)"', html)
        found[name] = unescape(match.group(1)) if match else None
    return found


def standard_page():
    page = StandardPage(
        title="Программа", slug=core.unique("programme"), lead="Наши цели и требования."
    )
    core.home("ru").add_child(instance=page)
    return core.publish(page), "Программа", "Наши цели и требования."


def section_page():
    section = news_factory.section(title="Профсоюзы")
    section.intro = "Новости рабочего движения."
    core.publish(section)
    return section, "Профсоюзы", "Новости рабочего движения."


def article_page():
    article = news_factory.article(
        section=news_factory.section(), title="Забастовка в Жезказгане", lead="Горняки бастуют."
    )
    return article, "Забастовка в Жезказгане", "Горняки бастуют."


def event_page():
    event = event_factory.event(title="Пленум", lead="Обсуждение задач на год.")
    return event, "Пленум", "Обсуждение задач на год."


def event_index_page():
    index = event_factory.event_index()
    index.intro = "Конференции и собрания."
    core.publish(index)
    return index, index.title, "Конференции и собрания."


def library_page():
    page = library_factory.library()
    return page, "Библиотека", "Труды классиков."


def author_page():
    work = library_factory.work(library=library_factory.library())
    author = work.get_parent().specific
    author.biography = "<p>Соратник <b>Маркса</b>.</p>"
    core.publish(author)
    return author, "Фридрих Энгельс", "Соратник Маркса."


def work_page():
    work = library_factory.work(library=library_factory.library())
    work.description = "<p>Статья о союзах.</p>"
    core.publish(work)
    return work, "О профсоюзах", "Статья о союзах."


def join_page():
    page = members_factory.join_page()
    return page, "Вступить", "Заполните заявку, и мы свяжемся с вами."


@pytest.mark.parametrize(
    "build",
    [
        standard_page,
        section_page,
        article_page,
        event_page,
        event_index_page,
        library_page,
        author_page,
        work_page,
        join_page,
    ],
)
def test_page_head_has_its_description_and_preview_title(
    client, build, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page, title, description = build()

    found = head(client, page.url)

    assert found["og:title"] == found["twitter:title"] == title
    assert found["description"] == found["og:description"] == description


def test_home_page_previews_as_the_organization_with_its_tagline(client):
    options = SiteSettings.for_site(core.home("ru").get_site())
    options.name_ru, options.tagline_ru = "Союз рабочих", "За права трудящихся"
    options.save()
    home = core.home("ru")
    home.search_description = home.social_description = home.listing_summary = ""
    home.intro = ""
    core.publish(home)

    found = head(client, home.url)

    assert found["og:title"] == "Союз рабочих" != home.title
    assert found["description"] == found["og:description"] == "За права трудящихся"


def test_chapter_previews_with_chapter_and_work_and_its_opening_words(client):
    work = library_factory.work(library=library_factory.library())
    chapter = work.chapters.get(title="Глава первая")

    found = head(client, f"{work.url}{chapter.slug}/")

    assert found["og:title"] == "Глава первая — О профсоюзах"
    assert found["description"] == "Рабочие объединяются, чтобы не продавать свой труд дешевле."


def test_person_page_previews_with_name_and_role(client):
    person = core.person("Анна Ким")
    person.role = "секретарь профсоюза"
    person.save()

    found = head(client, person.get_url())

    assert found["og:title"] == "Анна Ким"
    assert found["description"] == "Анна Ким, секретарь профсоюза"


def test_tag_listing_and_search_have_their_own_preview(client):
    section = news_factory.section(title="Профсоюзы")
    news_factory.article(section=section, tags=["шахта"])

    slug = Tag.objects.get(name="шахта").slug
    tag = head(client, f"{section.url}tag/{slug}/")
    search = head(client, "/ru/search/?q=шахта")
    people = head(client, f"{core.home('ru').url}people/")

    assert tag["og:title"] == "#шахта — Профсоюзы"
    assert tag["description"] == "Материалы с тегом #шахта в разделе «Профсоюзы»."
    assert search["og:title"] == "шахта — Поиск"
    assert search["description"].startswith("Поиск по новостям")
    assert people["og:title"] == "Люди" and people["description"].startswith("Авторы")
