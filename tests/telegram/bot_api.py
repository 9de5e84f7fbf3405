"""A local stand-in for Telegram's Bot API, speaking its documented HTTP shapes.

Requests go to ``/bot<token>/<method>`` with JSON or form bodies; answers are
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ..., "description": ...,
"parameters": {"retry_after": ...}}``. Tests script failures with ``fail_next`` and read
what arrived in ``requests``.
"""

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

TOKEN = "123456:TEST-token"


@dataclass
class Received:
    method: str
    params: dict
    token: str


@dataclass
class BotApi:
    """The server's state: received calls and scripted failures."""

    token: str = TOKEN
    requests: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def fail_next(self, error_code, description, *, retry_after=None, times=1):
        """Answer the next ``times`` calls with this error."""
        for _ in range(times):
            self.failures.append((error_code, description, retry_after))

    def calls(self, method):
        return [r for r in self.requests if r.method == method]

    def answer(self, method, params, token):
        self.requests.append(Received(method, params, token))
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if self.failures:
            code, description, retry_after = self.failures.pop(0)
            body = {"ok": False, "error_code": code, "description": description}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return code, body
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 1, "is_bot": True, "username": "iskra_bot"}}
        if method == "sendMessage":
            if not params.get("chat_id") or not params.get("text"):
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: message text is empty",
                }
            return 200, {
                "ok": True,
                "result": {
                    "message_id": next(self._ids),
                    "date": int(time.time()),
                    "chat": {"id": params["chat_id"], "type": "channel"},
                    "text": params["text"],
                },
            }
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}


def _handler(api):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802  (the standard library's name)
            parts = self.path.strip("/").split("/")
            if len(parts) != 2 or not parts[0].startswith("bot"):
                self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                return
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Type", "").startswith("application/json"):
                params = json.loads(raw or b"{}")
            else:
                params = dict(parse_qsl(raw.decode("utf-8")))
            status, body = api.answer(parts[1], params, parts[0][3:])
            self._send(status, body)

        do_GET = do_POST  # noqa: N815  (the Bot API accepts GET too)

        def _send(self, status, body):
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Handler


def serve():
    """Start the server on a free 127.0.0.1 port; return (BotApi, base URL, stop)."""
    api = BotApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return api, f"http://127.0.0.1:{server.server_port}", stop
