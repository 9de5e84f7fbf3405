"""Telegram Bot API calls (https://core.telegram.org/bots/api).

The bot token comes only from the environment (``TELEGRAM_BOT_TOKEN``); the API address
from ``TELEGRAM_API_URL``, so that a local server can stand in for Telegram in tests and
demos.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings

TIMEOUT_SECONDS = 10


class TelegramError(Exception):
    """The Bot API refused a call or could not be reached."""

    def __init__(self, description, *, error_code=None, retry_after=None):
        super().__init__(description)
        self.description = description
        self.error_code = error_code
        self.retry_after = retry_after


def _method_url(method):
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        raise TelegramError("TELEGRAM_BOT_TOKEN is not set.")
    return f"{settings.TELEGRAM_API_URL.rstrip('/')}/bot{token}/{method}"


def call(method, **params):
    """Call Bot API ``method`` with JSON ``params``; return its ``result``.

    Raises TelegramError with Telegram's description, error code and ``retry_after``.
    """
    request = urllib.request.Request(  # noqa: S310  (the URL is the configured API's)
        _method_url(method),
        data=json.dumps(params).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            answer = json.loads(error.read())
        except ValueError:
            raise TelegramError(f"HTTP {error.code}", error_code=error.code) from None
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise TelegramError(f"Telegram could not be reached: {error}") from None
    if not answer.get("ok"):
        raise TelegramError(
            answer.get("description", "unknown error"),
            error_code=answer.get("error_code"),
            retry_after=(answer.get("parameters") or {}).get("retry_after"),
        )
    return answer["result"]


def send_message(*, chat_id, text, **options):
    """Send a plain text message to ``chat_id``; return the sent Message object."""
    return call("sendMessage", chat_id=chat_id, text=text, **options)
