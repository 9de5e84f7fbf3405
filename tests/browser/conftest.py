"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Pages are served to the browser by Django's test client through Playwright's request
routing, so the browser sees exactly what the site serves, inside the test's database
transaction. Requests to any other host are refused and recorded.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from django.db import connections

CHROMIUM = os.environ.get("ISKRA_CHROMIUM", "/usr/bin/chromium")
ORIGIN = "http://localhost"  # a secure context, so the clipboard API is allowed


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(
            f"Chromium not found at {CHROMIUM} (apt-get install chromium) — browser tests skipped"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; Django's test client and
    # ORM calls made from route handlers are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Connections opened outside Playwright's greenlets would be left dangling (and keep
    # PostgreSQL from dropping the test database), so none is kept across its start.
    connections.close_all()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class SiteTab:
    """A browser tab whose requests to the site are answered from Django's test client.

    Playwright's sync API calls route handlers in another greenlet, where Django would
    open a second database connection outside the test's transaction. So the test
    client renders the page here first, and the route handler only hands out that
    response and the static files, which need no database.
    """

    def __init__(self, page, client):
        self.page = page
        self.client = client
        self.pages = {}
        self.foreign_requests = []
        page.route("**/*", self._serve)

    def _serve(self, route):
        from django.contrib.staticfiles import finders

        url = route.request.url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            self.foreign_requests.append(url)
            route.abort()
        elif url in self.pages:
            status, headers, body = self.pages[url]
            route.fulfill(status=status, headers=headers, body=body)
        elif parts.path.startswith("/static/") and finders.find(parts.path[8:]):
            with open(finders.find(parts.path[8:]), "rb") as handle:
                route.fulfill(status=200, body=handle.read(), content_type=_type(parts.path))
        else:
            route.fulfill(status=404, body=b"")

    def open(self, path):
        response = self.client.get(path, HTTP_ACCEPT_LANGUAGE="ru", HTTP_HOST="localhost")
        headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
        self.pages[ORIGIN + path] = (response.status_code, headers, response.content)
        self.page.goto(ORIGIN + path)
        return self.page


def _type(path):
    return {"css": "text/css", "js": "text/javascript", "svg": "image/svg+xml"}.get(
        path.rsplit(".", 1)[-1], "application/octet-stream"
    )


@pytest.fixture
def tab(browser, db, client):
    context = browser.new_context(base_url=ORIGIN, locale="ru-RU")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ORIGIN)
    page = context.new_page()
    yield SiteTab(page, client)
    context.close()
