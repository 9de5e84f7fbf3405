"""The index follows publishing; results rank, filter, highlight and suggest."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from iskra.search.models import SearchEntry
from iskra.search.wagtail_hooks import _fill_empty_index
from tests.factories import news as news_factory

pytestmark = pytest.mark.django_db


def results(client, language="ru", **params):
    return client.get(f"/{language}/search/", params).content.decode()


def result_titles(html):
    return [
        part.split("</a>")[0].split(">")[-1] for part in html.split('<li class="search-result')[1:]
    ]


def test_other_forms_of_the_word_are_found_and_highlighted(client, corpus):
    html = results(client, q="симпозиума", type="article")

    titles = result_titles(html)
    assert titles[:2] == ["В Экибастузе прошёл симпозиум горняков", "Забастовка на разрезе"]
    assert "<mark>Симпозиум</mark> собрал делегатов" in html
    assert "на <mark>симпозиуме</mark> их поддержали" in html
    assert '<span class="search-result__kind">Новости и статьи</span>' in html


def test_kazakh_in_latin_letters_finds_the_cyrillic_text(client, corpus):
    html = results(client, "kk", q="Shymkentte jinalys")

    assert result_titles(html) == ["Шымкентте жиналыс өтті"]
    assert "<mark>Жиналысқа</mark> кәсіподақ" in html


def test_phrase_finds_only_the_words_in_order_and_exclusion_leaves_out(client, corpus):
    author = corpus["work"].get_parent().pk  # the section filter of chapters: their author

    def chapters(q):
        return sorted(result_titles(results(client, q=q, type="chapter", section=author)))

    assert chapters("неразрывно связаны") == ["Классовое общество", "Отмирание"]
    assert chapters('"неразрывно связаны"') == ["Классовое общество"]
    assert chapters('"связаны неразрывно"') == ["Отмирание"]  # the order counts
    assert chapters("государство -марксизма") == ["Отмирание"]


def test_library_chapters_are_found_with_their_work(client, corpus):
    work = corpus["work"]
    chapter = work.chapters.get(title="Отмирание")

    html = results(client, q="отмирает", type="chapter", section=work.get_parent().pk)

    assert result_titles(html) == ["Отмирание"]
    assert "Владимир Ленин. Государство и революция" in html
    assert f'href="{work.url}{chapter.slug}/"' in html


def test_type_language_and_date_filters(client, corpus):
    both = result_titles(results(client, q="горняков", lang="all"))
    events_only = results(client, q="горняков", type="event")
    dated = result_titles(results(client, q="горняки", type="article", to="2000-01-01"))

    assert "В Экибастузе прошёл симпозиум горняков" in both
    assert "Вечер памяти горняков" in both
    assert result_titles(events_only) == ["Вечер памяти горняков"]
    assert "search-result--article" not in events_only
    assert dated == []


def test_section_filter_keeps_to_one_section(client, corpus):
    section = corpus["section"]

    found = result_titles(results(client, q="забастовка", section=section.pk))

    assert found == ["Забастовка на разрезе"]


def test_no_result_suggests_the_other_language(client, corpus):
    html = results(client, "ru", q="Шымкентте")

    assert result_titles(html) == []
    assert 'class="search-suggestion"' in html and "lang=kk" in html


def test_publishing_indexes_and_unpublishing_removes(client, corpus):
    article = news_factory.article(
        section=corpus["section"], title="Велопробег в Темиртау", lead="Металлурги проехали город."
    )
    assert result_titles(results(client, q="велопробега")) == ["Велопробег в Темиртау"]

    article.unpublish()

    assert result_titles(results(client, q="велопробега")) == []
    assert not SearchEntry.objects.filter(kind="article", object_id=article.pk).exists()


def test_private_sections_stay_out_of_the_index(client, corpus):
    section = news_factory.section(title="Для членов")
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    news_factory.article(section=section, title="Закрытое собрание ячейки")

    assert result_titles(results(client, q="собрание ячейки")) == []


def test_rebuild_command_reports_progress_and_keeps_results(client, corpus):
    out = io.StringIO()
    before = SearchEntry.objects.count()

    call_command("rebuild_search_index", stdout=out)

    assert "Indexed" in out.getvalue() and "(100 %)" in out.getvalue()
    assert SearchEntry.objects.count() == before
    assert "В Экибастузе прошёл симпозиум горняков" in result_titles(results(client, q="симпозиум"))


def test_a_query_of_stop_words_only_asks_for_a_more_specific_word(client, corpus):
    html = results(client, q="и в на")

    assert result_titles(html) == []
    assert "В запросе только самые частые слова; добавьте более точное слово." in html


def test_the_scheduler_fills_an_empty_index_of_an_existing_site(client, corpus):
    SearchEntry.objects.all().delete()
    assert result_titles(results(client, q="симпозиум")) == []

    assert "search index built" in _fill_empty_index()
    assert _fill_empty_index() == ""  # nothing to do once filled
    assert "В Экибастузе прошёл симпозиум горняков" in result_titles(results(client, q="симпозиум"))
