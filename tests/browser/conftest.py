"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Pages are served to the browser by Django's test client through Playwright's request
routing, so the browser sees exactly what the site serves, inside the test's database
transaction. Requests to any other host are refused and recorded.
"""

import os
import shutil
import threading
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

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


class _OneAtATime(WSGIServer):
    """wsgiref's server, answering one request at a time: the requests share the test's
    database connection, and with it the test's transaction."""

    def handle_error(self, request, client_address):  # a tab closed mid-answer
        pass


@pytest.fixture
def live_site(db, django_db_blocker):
    """The site served over HTTP on 127.0.0.1 inside the test's transaction, for pages
    that make requests of their own (the admin's editor, choosers and uploads).

    Like Django's LiveServerTestCase with an in-memory SQLite database, the server's
    thread uses the test's own connection; it answers one request at a time, so the
    connection is never used by two threads at once.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: requests must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    connection = connections["default"]  # the connection itself, not Django's proxy
    connection.inc_thread_sharing()
    server = make_server(
        "127.0.0.1",
        0,
        StaticFilesHandler(WSGIHandler()),
        server_class=_OneAtATime,
        handler_class=_QuietHandler,
    )

    def serve():
        connections["default"] = connection
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        connection.dec_thread_sharing()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (wsgiref's name)
        pass
