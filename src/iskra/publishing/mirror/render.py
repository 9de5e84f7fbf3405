"""Ask the site for a page in-process, as the static mirror's version of it."""

import io
import sys
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import translation

from iskra.core.mirror import MIRROR_ENVIRON_KEY


@dataclass
class Answer:
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self):
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Renderer:
    """Render addresses of the site at ``origin`` (its public address, ``BASE_URL``)
    through the whole Django stack, with the mirror's mark in the WSGI environ."""

    def __init__(self, origin=None):
        parts = urlsplit(origin or settings.BASE_URL)
        self.scheme = parts.scheme or "http"
        self.host = parts.netloc
        self.handler = WSGIHandler()

    def get(self, path, query=""):
        host, _, port = self.host.partition(":")
        environ = {
            "REQUEST_METHOD": "GET",
            # WSGI carries the path as the bytes of the URL, read as Latin-1.
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": host,
            "SERVER_PORT": port or ("443" if self.scheme == "https" else "80"),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": self.host,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": self.scheme,
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            MIRROR_ENVIRON_KEY: "1",
        }
        answer = Answer(status=0)

        def start_response(status, headers, exc_info=None):
            answer.status = int(status.split()[0])
            answer.headers = {name.lower(): value for name, value in headers}

        # One process renders page after page on one connection (and inside a test's
        # transaction): the end of a request must not close it, as Django's test client
        # also makes sure.
        # The request activates its page's language in this thread; the caller keeps its own.
        language = translation.get_language()
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            chunks = self.handler(environ, start_response)
            try:
                answer.body = b"".join(chunks)
            finally:
                if hasattr(chunks, "close"):
                    chunks.close()
        finally:
            if language:
                translation.activate(language)
            else:
                translation.deactivate()
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return answer
