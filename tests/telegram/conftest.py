import pytest
from wagtail.models import Site

from iskra.telegram.models import TelegramSettings


@pytest.fixture
def channels(db, bot_api):
    """Turn cross-posting on: @iskra_ru and @iskra_kk, through the local Bot API."""
    options = TelegramSettings.for_site(Site.objects.get(is_default_site=True))
    options.is_posting_enabled = True
    options.channel_ru = "@iskra_ru"
    options.channel_kk = "@iskra_kk"
    options.is_deleting_on_unpublish = True
    options.save()
    return options


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Return a function that publishes a page's latest revision and runs on-commit work."""

    def run(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return page

    return run


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run
