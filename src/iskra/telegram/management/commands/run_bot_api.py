import json
import time

from django.core.management.base import BaseCommand

from iskra.telegram.local_bot_api import TOKEN, BotApi, serve


class Command(BaseCommand):
    help = (
        "Serve a local stand-in for Telegram's Bot API (development and demos): it accepts "
        "the calls Iskra makes, answers as Telegram documents, and prints each call."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8081)

    def handle(self, *args, host, port, **options):
        def show(received):
            params = {k: v for k, v in received.params.items() if k != "reply_markup"}
            files = f" + {', '.join(received.files)}" if received.files else ""
            self.stdout.write(f"{received.method} {json.dumps(params, ensure_ascii=False)}{files}")

        _api, url, stop = serve(host, port, api=BotApi(on_request=show))
        self.stdout.write(
            f"Local Bot API at {url}\n"
            f"Start Iskra with TELEGRAM_API_URL={url} TELEGRAM_BOT_TOKEN={TOKEN}\n"
            "Ctrl+C stops."
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            stop()
