"""The headers every response carries: the public Content-Security-Policy (kept by the
page cache), a video page's exact player allowance, the admin's own policy, and framing
refused."""

import pytest
from django.contrib.auth import get_user_model

from iskra.core.page_cache import CACHE_HEADER
from tests.factories import news

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_a_public_page_loads_only_from_the_site(client, news_section):
    article = news.article(section=news_section, title="Стачка в депо")
    response = client.get(article.url)
    policy = directives(response)
    for name in ("default-src", "script-src", "style-src", "img-src", "connect-src"):
        assert policy[name] == ["'self'"], name
    assert policy["frame-src"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "nonce-" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert b"<script>" not in response.content and b" style=" not in response.content


def test_the_page_cache_serves_the_same_policy(client, report):
    first = client.get(report.url)
    second = client.get(report.url)
    assert second[CACHE_HEADER] == "hit"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_page_with_a_video_may_frame_exactly_its_player(client, report):
    policy = directives(client.get(report.url))
    assert policy["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert policy["script-src"] == ["'self'"]


def test_the_admin_has_its_own_policy(client):
    user = get_user_model().objects.create_superuser("csp-head", "head@example.kz", "x")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert b"gravatar.com" not in response.content  # editors' addresses stay here


def test_a_database_that_cannot_be_reached_gets_the_503_page(client, monkeypatch, news_section):
    """While PostgreSQL restarts, a reader gets Iskra's page saying so, not a trace."""
    from django.db import OperationalError
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.test import Client

    url = news.article(section=news_section, title="Пикет у завода").url

    def away(self, *args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", away)
    reader = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ru")
    response = reader.get(url)
    monkeypatch.undo()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "Сайт ненадолго недоступен" in text and "Traceback" not in text
    assert "5432" not in text
    assert client.get(url).status_code == 200  # and back when it returns
