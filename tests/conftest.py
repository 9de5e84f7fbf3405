import io
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo site once into the test database; each test runs in a rollback."""
    with django_db_blocker.unblock():
        call_command("demo", stdout=io.StringIO())


@pytest.fixture(scope="session")
def migrated_site(tmp_path_factory):
    """The var folder of a new site, migrated (tests copy it with ``tests.sites.copy``)."""
    from tests import sites

    return sites.build(tmp_path_factory.mktemp("migrated-site"), ["migrate", "--noinput", "-v0"])


@pytest.fixture(scope="session")
def demo_site(migrated_site, tmp_path_factory):
    """The var folder of a site as `make run` leaves it: migrated, with the demo."""
    from tests import sites

    return sites.build(sites.copy(migrated_site, tmp_path_factory.mktemp("demo-site")), ["demo"])


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """Let a module build its data once: inside a transaction rolled back when the module
    ends, each of its tests running in a savepoint within it (as Django's setUpTestData).
    On-commit callbacks of that data never run."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def library(db):
    """Return the demo's Russian library page."""
    from iskra.library.models import LibraryPage

    return LibraryPage.objects.get(locale__language_code="ru")


@pytest.fixture
def ru_home(db):
    from iskra.core.models import HomePage

    return HomePage.objects.get(locale__language_code="ru")


@pytest.fixture
def kk_home(db):
    from iskra.core.models import HomePage

    return HomePage.objects.get(locale__language_code="kk")


@pytest.fixture
def news_section(ru_home):
    from iskra.news.models import SectionPage

    return SectionPage.objects.child_of(ru_home).get(slug="news")


@pytest.fixture
def demo_report(db):
    """Return the demo's conference report (for the tests of the demo itself)."""
    from iskra.news.models import ArticlePage

    return ArticlePage.objects.get(
        slug="conference-in-defence-of-the-ussr", locale__language_code="ru"
    )


@pytest.fixture
def report(db):
    """Return a published Russian report with author, tags, cover, quote and video."""
    from tests.factories import news

    return news.report()


@pytest.fixture
def kk_report(report):
    """Return the Kazakh translation of ``report``."""
    from tests.factories import news

    return news.report("kk", translation_of=report)


@pytest.fixture
def editor_client(client, db):
    """Return the test client logged in as a superuser editor."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    return client


def pytest_sessionfinish(session, exitstatus):
    """Remove the throwaway var/ directory the test settings created (media, generation)."""
    from django.conf import settings

    var_dir = Path(settings.VAR_DIR)
    if var_dir.name.startswith("iskra-test-"):
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture
def bot_api(settings):
    """Run the local Bot API server and point Iskra at it; yield its recorder."""
    from iskra.telegram.local_bot_api import TOKEN, serve

    api, url, stop = serve()
    settings.TELEGRAM_API_URL = url
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    yield api
    stop()


@pytest.fixture
def publish_page(django_capture_on_commit_callbacks):
    """Return a function publishing a page's latest state and running on-commit tasks."""

    def publish(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return page

    return publish
