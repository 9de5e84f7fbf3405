"""Redis away: pages still serve (rendered from the database), publishing works, and the
cache is used again, with a new generation, once Redis is back."""

import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iskra.core import cache as resilient
from tests.factories import news
from tests.factories.news import make_article
from tests.sites import free_port

pytestmark = pytest.mark.django_db


def use_redis(settings, port):
    settings.CACHES = {
        "default": {
            "BACKEND": "iskra.core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": f"iskra-test-{port}",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    settings.ISKRA_PAGE_CACHE_TIMEOUT = 600


def test_with_redis_away_pages_serve_and_publishing_works(client, settings, news_section):
    use_redis(settings, 9)  # nothing listens there

    page = client.get("/ru/")
    article = make_article(news_section, title="Опубликовано без Redis")

    assert page.status_code == 200
    assert client.get(article.url).status_code == 200
    assert client.get("/healthz").json()["status"] == "degraded"


def test_with_redis_away_more_menu_links_cost_no_more_queries(client, settings, news_section):
    # Without the cache the site's chrome is built on every request; its links must not
    # each ask the database for the sites' root paths (0.1 s a page in the cluster run).
    use_redis(settings, 9)
    article = make_article(news_section, title="Статья под меню")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(article.url)
        assert page.status_code == 200
        return page.content.decode(), len(captured)

    queries()  # the first request of a process also fills Django's own caches
    _, before = queries()
    for number in range(6):
        added = news.section(title=f"Раздел меню {number}")
        added.show_in_menus = True
        added.save_revision().publish()
    html, after = queries()

    assert all(f"Раздел меню {number}</a>" in html for number in range(6))
    assert after == before


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
def test_redis_stopping_and_coming_back(client, settings, news_section, tmp_path, monkeypatch):
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0.2)
    port = free_port()
    start = ["redis-server", "--port", str(port), "--save", "", "--dir", str(tmp_path)]

    def run_redis():
        server = subprocess.Popen(start, stdout=subprocess.DEVNULL)
        for _attempt in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return server
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    server = run_redis()
    use_redis(settings, port)
    try:
        client.get("/ru/")
        assert client.get("/ru/")["X-Iskra-Cache"] == "hit"
        server.send_signal(signal.SIGSTOP)  # Redis hangs: its cached pages stay in it

        while_away = client.get("/ru/")
        make_article(news_section, title="Новость, пока Redis нет")  # moves no generation
        assert while_away.status_code == 200
        assert while_away["X-Iskra-Cache"] == "miss"

        server.send_signal(signal.SIGCONT)
        # Until Redis answers again (after RETRY_SECONDS); the first call that reaches it
        # moves the generation on.
        deadline = time.monotonic() + 10
        while not client.get("/healthz").json()["cache"]["ok"]:
            assert time.monotonic() < deadline, "Redis did not come back"
        back = client.get("/ru/")  # so the copy cached before the outage is not served
        assert "Новость, пока Redis нет" in back.content.decode()
        assert client.get("/ru/")["X-Iskra-Cache"] == "hit"
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait(timeout=10)
