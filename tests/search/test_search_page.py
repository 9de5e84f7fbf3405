import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db


def test_search_finds_article_in_the_active_language(client, corpus):
    html = client.get("/ru/search/", {"q": "симпозиум"}).content.decode()
    assert "В Экибастузе прошёл симпозиум горняков" in html
    assert "Теміртауда симпозиум өтті" not in html


def test_search_in_kazakh_tree(client, corpus):
    html = client.get("/kk/search/", {"q": "симпозиумы"}).content.decode()
    assert "Теміртауда симпозиум өтті" in html
    assert "В Экибастузе прошёл симпозиум горняков" not in html


def test_search_without_results_says_so(client):
    html = client.get("/ru/search/", {"q": "несуществующееслово"}).content.decode()
    assert "ничего не найдено" in html


@pytest.mark.parametrize(
    "query",
    ['"', "'", "(", "*", "AND OR NOT", "конф*", "a" * 10000, "\x00\x01", "-", "NEAR(", "^"],
)
def test_odd_queries_answer_with_a_normal_page(client, query):
    assert client.get("/ru/search/", {"q": query}).status_code == 200


@pytest.mark.parametrize("page", ["²", "٣", "-1", "0", "99999999999999999999"])
def test_odd_page_numbers_answer_with_a_normal_page(client, page):
    assert client.get("/ru/search/", {"q": "конференция", "page": page}).status_code == 200


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300), page=st.text(max_size=5))
def test_any_query_answers_with_a_normal_page(client, query, page):
    # The client keeps no state between examples, so sharing the fixture is safe.
    assert client.get("/ru/search/", {"q": query, "page": page}).status_code == 200


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.text(max_size=60) | st.sampled_from(['"конференция', "-", '""', "- -x", "ё Ё"]),
    language=st.text(max_size=4) | st.sampled_from(["ru", "kk", "all"]),
    kind=st.text(max_size=8) | st.sampled_from(["article", "event", "chapter"]),
    section=st.text(max_size=12),
    date_from=st.text(max_size=12) | st.dates().map(str),
    date_to=st.text(max_size=12) | st.dates().map(str),
)
def test_any_filters_answer_with_a_normal_page(
    client, query, language, kind, section, date_from, date_to
):
    response = client.get(
        "/kk/search/",
        {
            "q": query,
            "lang": language,
            "type": kind,
            "section": section,
            "from": date_from,
            "to": date_to,
        },
    )
    assert response.status_code == 200


def test_ten_thousand_characters_and_control_characters(client, corpus):
    html = client.get("/ru/search/", {"q": "симпозиум " * 900 + "\x00\x1b\u202e"}).content
    assert "В Экибастузе прошёл симпозиум горняков".encode() in html
