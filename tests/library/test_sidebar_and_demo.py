"""The sidebar's "Works of the classics" comes from the library; the demo library."""

import pytest

from iskra.library.models import AuthorPage, WorkOriginal, WorkPage
from iskra.publishing.models import Edition

pytestmark = pytest.mark.django_db


def sidebar(html):
    return html.split('aria-labelledby="classics-title"')[1].split("</aside>")[0]


def test_sidebar_lists_the_librarys_authors_in_the_explorers_order(client, library):
    authors = list(AuthorPage.objects.child_of(library).live())
    names = [author.title for author in authors]
    assert names[:6] == [
        "Карл Маркс",
        "Фридрих Энгельс",
        "Владимир Ленин",
        "Иосиф Сталин",
        "Лев Троцкий",
        "Мао Цзэдун",
    ]

    html = sidebar(client.get("/ru/").content.decode())
    positions = [html.index(f'href="{author.url}">{author.title}</a>') for author in authors]
    assert positions == sorted(positions)

    # An editor drags Mao to the top in the explorer: the sidebar follows.
    mao = authors[5]
    mao.move(authors[0], pos="left")
    html = sidebar(client.get("/ru/").content.decode())
    assert html.index("Мао Цзэдун") < html.index("Карл Маркс")


def test_sidebar_is_in_the_pages_language(client):
    html = sidebar(client.get("/kk/").content.decode())

    assert "Классиктердің шығармалары" in html
    assert 'href="/kk/library/abai-qunanbaiuly/">Абай Құнанбайұлы</a>' in html
    assert "/ru/library/" not in html


def test_unpublished_author_leaves_the_sidebar(client, library):
    stalin = AuthorPage.objects.child_of(library).get(slug="iosif-stalin")
    stalin.unpublish()

    assert "Иосиф Сталин" not in sidebar(client.get("/ru/").content.decode())


def test_demo_library_has_real_books_with_editions_and_a_kazakh_text(client):
    lenin = WorkPage.objects.get(title="Государство и революция")
    dietzgen = WorkPage.objects.get(title="Избранные философские сочинения")
    abai = WorkPage.objects.get(title="Қара сөздер (таңдамалы)")
    assert lenin.locale.language_code == "ru" and abai.locale.language_code == "kk"
    assert "comtext.space" in lenin.source and "Примечания редакции опущены" in lenin.source
    assert not lenin.notes.exists()  # the 1962 edition's notes stay out
    assert dietzgen.notes.count() == 29  # the book's own notes, read from the EPUB
    for work in (lenin, dietzgen, abai):
        editions = Edition.objects.filter(page_id=work.pk)
        assert {(e.format, e.status) for e in editions} == {("epub", "built"), ("pdf", "built")}
        assert all(e.file for e in editions)
    assert WorkOriginal.objects.get(work=dietzgen).format == "epub"

    chapter = abai.chapters.get(title="Алтыншы сөз")
    html = client.get(f"{abai.url}{chapter.slug}/").content.decode()
    assert "<p>Кеселді жалқау, қылжақбас,</p><p>Әзір тамақ, әзір ас,</p>" in html
    assert 'lang="kk"' in html


def test_kazakh_author_page_points_to_the_russian_works(client):
    lenin_kk = AuthorPage.objects.get(slug="vladimir-lenin", locale__language_code="kk")

    html = client.get(lenin_kk.url).content.decode()

    assert "Государство и революция" in html and 'lang="ru"' in html
