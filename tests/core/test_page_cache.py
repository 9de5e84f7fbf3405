import datetime as dt

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from iskra.core.page_cache import CACHE_HEADER, bump_generation, current_generation
from tests.factories.news import make_article

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_served_from_cache(client, report):
    first = client.get(report.url)
    second = client.get(report.url)
    assert first[CACHE_HEADER] == "miss"
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content


def test_not_found_is_answered_afresh_each_time(client):
    """Each request for a missing address is counted for the editors (imports), so a 404
    is not kept in the page cache."""
    client.get("/ru/nothing/")
    again = client.get("/ru/nothing/")
    assert again.status_code == 404
    assert CACHE_HEADER not in again
    assert again["Content-Type"].startswith("text/html")


def test_gzip_and_identity_are_cached_apart(client, report):
    client.get(report.url, HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(report.url)
    assert plain[CACHE_HEADER] == "miss"
    assert "Content-Encoding" not in plain


def test_logged_in_editor_bypasses_cache(client, report):
    client.get(report.url)
    editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(editor)
    response = client.get(report.url)
    assert CACHE_HEADER not in response


def test_publishing_appears_at_once_on_home_section_and_feeds(client, news_section):
    for url in ("/ru/", "/ru/news/", "/feeds/ru/rss.xml", "/feeds/ru/news/atom.xml"):
        client.get(url)
        assert client.get(url)[CACHE_HEADER] == "hit"
    article = make_article(
        news_section,
        title="Срочное сообщение о собрании",
        date=timezone.now() + dt.timedelta(hours=1),
    )
    assert article.title in client.get("/ru/").content.decode()
    assert article.title in client.get("/ru/news/").content.decode()
    for url in ("/feeds/ru/rss.xml", "/feeds/ru/news/atom.xml"):
        titles = [entry.title for entry in feedparser.parse(client.get(url).content).entries]
        assert article.title in titles


def test_unpublishing_removes_the_article_at_once(client, news_section):
    article = make_article(
        news_section, title="Временная заметка", date=timezone.now() + dt.timedelta(hours=2)
    )
    assert article.title in client.get("/ru/news/").content.decode()
    article.unpublish()
    assert article.title not in client.get("/ru/news/").content.decode()
    assert client.get(article.url).status_code == 404


def test_changing_site_settings_refreshes_every_page(client, ru_home):
    from iskra.core.models import SiteSettings

    client.get("/ru/")
    settings = SiteSettings.objects.get()
    settings.reprint_notice_ru = "Новое правило перепечатки."
    settings.save()
    assert "Новое правило перепечатки." in client.get("/ru/").content.decode()


def test_generation_increments(settings):
    before = int(current_generation())
    bump_generation()
    assert int(current_generation()) == before + 1


def test_generation_is_shared_through_redis(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379 (the scale-out path is not tested)")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "iskra-test",
        }
    }
    server = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    before = int(current_generation())
    bump_generation()
    # Another app server sees the new generation in Redis itself, not in this process.
    raw = server.get(":".join(["iskra-test", "1", "iskra:site-generation"]))
    assert int(raw) == before + 1
    assert int(current_generation()) == before + 1


def test_page_cache_can_be_turned_off(client, report, settings):
    settings.ISKRA_PAGE_CACHE_TIMEOUT = 0
    client.get(report.url)
    assert CACHE_HEADER not in client.get(report.url)


def _wsgi_get(path, **extra):
    from iskra.wsgi import application

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": __import__("io").BytesIO(b""),
        "wsgi.errors": __import__("io").StringIO(),
        **extra,
    }
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, dict(headers)

    body = b"".join(application(environ, start_response))
    return captured["status"], captured["headers"], body


def test_wsgi_wrapper_serves_hits_without_django(client, report, django_assert_num_queries):
    filled = client.get(report.url)
    with django_assert_num_queries(0):
        status, headers, body = _wsgi_get(report.url)
    assert status == "200 OK"
    assert headers[CACHE_HEADER] == "hit"
    assert body == filled.content
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Length"] == str(len(body))


def test_wsgi_wrapper_passes_editors_to_django(client, report):
    client.get(report.url)
    status, headers, _body = _wsgi_get(report.url, HTTP_COOKIE="sessionid=abc")
    assert headers.get(CACHE_HEADER) != "hit"
