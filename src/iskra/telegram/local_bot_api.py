"""A local stand-in for Telegram's Bot API, speaking its documented HTTP shapes.

Requests go to ``/bot<token>/<method>`` with JSON or form bodies; answers are
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ..., "description": ...,
"parameters": {"retry_after": ...}}``. Tests script failures with ``fail_next`` and read
what arrived in ``requests``; ``iskra run_bot_api`` serves it for development and demos
(point ``TELEGRAM_API_URL`` at it) and prints every call it receives.
"""

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

TOKEN = "123456:TEST-token"  # noqa: S105  (the local stand-in's fixed test token)


@dataclass
class Received:
    method: str
    params: dict
    token: str
    files: dict = field(default_factory=dict)


@dataclass
class BotApi:
    """The server's state: the channel's messages, received calls, scripted failures."""

    token: str = TOKEN
    requests: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    messages: dict = field(default_factory=dict)
    delay: float = 0.0
    # The bot's rights in each channel, for getChatMember; "administrator" by default.
    member_status: dict = field(default_factory=dict)
    on_request: object = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, error_code, description, *, retry_after=None, times=1):
        """Answer the next ``times`` calls with this error."""
        for _ in range(times):
            self.failures.append((error_code, description, retry_after))

    def calls(self, method=None):
        return [r for r in self.requests if method is None or r.method == method]

    def answer(self, method, params, token, files):
        with self._lock:
            self.requests.append(Received(method, params, token, files))
            failure = self.failures.pop(0) if self.failures else None
        if self.on_request is not None:
            self.on_request(self.requests[-1])
        if self.delay:
            time.sleep(self.delay)
        if token != self.token:
            return _error(401, "Unauthorized")
        if failure is not None:
            code, description, retry_after = failure
            return _error(code, description, retry_after)
        handler = getattr(self, "_" + method, None)
        if handler is None:
            return _error(404, "Not Found")
        return handler(params, files)

    def _getMe(self, params, files):  # noqa: N802  (Bot API method names)
        return _ok({"id": 1, "is_bot": True, "first_name": "Iskra", "username": "iskra_bot"})

    def _getChat(self, params, files):  # noqa: N802
        chat = str(params.get("chat_id", ""))
        if not chat or self.member_status.get(chat) == "missing":
            return _error(400, "Bad Request: chat not found")
        found = {"id": -1001, "type": "channel", "title": chat}
        if chat.startswith("@"):
            found["username"] = chat[1:]
        return _ok(found)

    def _getChatMember(self, params, files):  # noqa: N802
        chat = str(params.get("chat_id", ""))
        status = self.member_status.get(chat, "administrator")
        if status == "missing":
            return _error(400, "Bad Request: chat not found")
        member = {"user": {"id": 1, "is_bot": True, "first_name": "Iskra"}, "status": status}
        if status == "administrator":
            member.update(can_post_messages=True, can_edit_messages=True, can_delete_messages=True)
        return _ok(member)

    def _new_message(self, params, **content):
        chat = str(params.get("chat_id", ""))
        if not chat:
            return _error(400, "Bad Request: chat_id is empty")
        with self._lock:
            message_id = next(self._ids)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": -1001, "type": "channel", "title": "Channel"},
            **content,
        }
        if chat.startswith("@"):
            message["chat"]["username"] = chat[1:]
        self.messages[(chat, message_id)] = message
        return _ok(message)

    def _sendMessage(self, params, files):  # noqa: N802
        if not params.get("text"):
            return _error(400, "Bad Request: message text is empty")
        return self._new_message(params, text=params["text"])

    def _sendPhoto(self, params, files):  # noqa: N802
        if "photo" not in files and not params.get("photo"):
            return _error(400, "Bad Request: there is no photo in the request")
        return self._new_message(
            params,
            caption=params.get("caption", ""),
            photo=[{"file_id": "photo-1", "width": 1280, "height": 720}],
        )

    def _stored(self, params):
        return self.messages.get((str(params.get("chat_id")), int(params.get("message_id", 0))))

    def _editMessageText(self, params, files):  # noqa: N802
        message = self._stored(params)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        if message.get("text") == params.get("text"):
            return _error(400, "Bad Request: message is not modified")
        message["text"] = params["text"]
        return _ok(message)

    def _editMessageCaption(self, params, files):  # noqa: N802
        message = self._stored(params)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        message["caption"] = params.get("caption", "")
        return _ok(message)

    def _editMessageMedia(self, params, files):  # noqa: N802
        message = self._stored(params)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        media = params.get("media")
        media = json.loads(media) if isinstance(media, str) else media
        attached = (media or {}).get("media", "").removeprefix("attach://")
        if attached not in files:
            return _error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        message["caption"] = media.get("caption", "")
        return _ok(message)

    def _deleteMessage(self, params, files):  # noqa: N802
        if self.messages.pop((str(params.get("chat_id")), int(params.get("message_id", 0))), None):
            return _ok(True)
        return _error(400, "Bad Request: message to delete not found")


def _ok(result):
    return 200, {"ok": True, "result": result}


def _error(code, description, retry_after=None):
    body = {"ok": False, "error_code": code, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return code, body


def _handler(api):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802  (the standard library's name)
            parts = self.path.strip("/").split("/")
            if len(parts) != 2 or not parts[0].startswith("bot"):
                self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                return
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            content_type = self.headers.get("Content-Type", "")
            files = {}
            if content_type.startswith("application/json"):
                params = json.loads(raw or b"{}")
            elif content_type.startswith("multipart/form-data"):
                params, files = _multipart(content_type, raw)
            else:
                params = dict(parse_qsl(raw.decode("utf-8")))
            status, body = api.answer(parts[1], params, parts[0][3:], files)
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


def _multipart(content_type, raw):
    """Return (fields, files) of a multipart/form-data body."""
    message = BytesParser().parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
    )
    fields, files = {}, {}
    for part in message.get_payload():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = (part.get_filename(), payload, part.get_content_type())
        else:
            fields[name] = payload.decode("utf-8")
    return fields, files


def serve(host="127.0.0.1", port=0, *, api=None):
    """Start the server (a free port by default); return (BotApi, base URL, stop)."""
    api = api or BotApi()
    server = ThreadingHTTPServer((host, port), _handler(api))
    # A short poll: shutdown() waits up to one interval (0.5 s by default) for the loop.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return api, f"http://{host}:{server.server_port}", stop
