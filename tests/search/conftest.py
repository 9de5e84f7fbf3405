"""A small corpus for the search tests, built from factories: Russian and Kazakh
articles, an event with a talk, and a library work with two chapters."""

import pytest

from tests.factories import events as event_factory
from tests.factories import library as library_factory
from tests.factories import news as news_factory


@pytest.fixture(scope="module")
def corpus(module_db):
    """Build the corpus once for each module that uses it."""
    ru_section = news_factory.section(title="Рабочее движение")
    kk_section = news_factory.section(language="kk", title="Жұмысшы қозғалысы")
    found = {
        "section": ru_section,
        "symposium": news_factory.article(
            section=ru_section,
            title="В Экибастузе прошёл симпозиум горняков",
            lead="Симпозиум собрал делегатов с разрезов.",
            days_ago=2,
        ),
        "strike": news_factory.article(
            section=ru_section,
            title="Забастовка на разрезе",
            lead="Горняки требуют повышения зарплаты; на симпозиуме их поддержали.",
            days_ago=40,
        ),
        "kk": news_factory.article(
            section=kk_section,
            title="Шымкентте жиналыс өтті",
            lead="Жиналысқа кәсіподақ мүшелері қатысты.",
        ),
        "kk_symposium": news_factory.article(
            section=kk_section,
            title="Теміртауда симпозиум өтті",
            lead="Металлургтер симпозиумы жалақыны талқылады.",
        ),
        "event": event_factory.event(
            title="Вечер памяти горняков",
            talks=[("Ерлан Жумабаев", "Симпозиум и его уроки", "<p>О разрезах.</p>")],
        ),
        "work": library_factory.work(
            library=library_factory.library(),
            title="Государство и революция",
            author="Владимир Ленин",
            chapters={
                "Классовое общество": [
                    "<p>Государство и революция неразрывно связаны в учении марксизма.</p>"
                ],
                "Отмирание": [
                    "<p>Государство отмирает: с ним связаны классы, и связаны неразрывно.</p>"
                ],
            },
        ),
    }
    return found
