"""Telegram Bot API calls (https://core.telegram.org/bots/api).

The bot token comes only from the environment (``TELEGRAM_BOT_TOKEN``); the API address
from ``TELEGRAM_API_URL``, so that a local server can stand in for Telegram in tests and
demos.
"""

import json

import requests
from django.conf import settings

TIMEOUT_SECONDS = 15


class TelegramError(Exception):
    """The Bot API refused a call or could not be reached.

    ``is_retryable`` tells a passing condition (rate limit, 5xx, network) from one an
    editor must fix (400 bad request, 403 bot not admin, chat not found).
    """

    def __init__(self, description, *, error_code=None, retry_after=None):
        super().__init__(description)
        self.description = description
        self.error_code = error_code
        self.retry_after = retry_after

    @property
    def is_retryable(self):
        return self.error_code is None or self.error_code == 429 or self.error_code >= 500


def is_configured():
    return bool(getattr(settings, "TELEGRAM_BOT_TOKEN", None))


def _method_url(method):
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        raise TelegramError("TELEGRAM_BOT_TOKEN is not set.", error_code=401)
    return f"{settings.TELEGRAM_API_URL.rstrip('/')}/bot{token}/{method}"


def call(method, *, files=None, **params):
    """Call Bot API ``method``; return its ``result``.

    With ``files`` ({field: (name, bytes, content type)}) the call is a multipart
    upload and structured parameters are sent as JSON strings, as the API asks.
    Raises TelegramError with Telegram's description, error code and ``retry_after``.
    """
    url = _method_url(method)
    try:
        if files:
            data = {
                key: json.dumps(value) if isinstance(value, dict | list) else value
                for key, value in params.items()
            }
            response = requests.post(url, data=data, files=files, timeout=TIMEOUT_SECONDS)
        else:
            response = requests.post(url, json=params, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise TelegramError(f"Telegram could not be reached: {error}") from None
    try:
        answer = response.json()
    except ValueError:
        raise TelegramError(
            f"HTTP {response.status_code} without a Bot API answer",
            error_code=response.status_code if response.status_code >= 400 else 502,
        ) from None
    if not answer.get("ok"):
        raise TelegramError(
            answer.get("description", "unknown error"),
            error_code=answer.get("error_code", response.status_code),
            retry_after=(answer.get("parameters") or {}).get("retry_after"),
        )
    return answer["result"]


def send_message(*, chat_id, text, **options):
    """Send a text message to ``chat_id``; return the sent Message object."""
    return call("sendMessage", chat_id=chat_id, text=text, **options)
