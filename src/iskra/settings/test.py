"""Settings for the test suite: fast hashing, local cache, a throwaway var/ directory."""

import os
import tempfile

os.environ.setdefault("ISKRA_VAR_DIR", tempfile.mkdtemp(prefix="iskra-test-"))

from .base import *  # noqa: E402, F403  (test settings extend the base settings)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
BASE_URL = "http://testserver"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (defined in base)
# No calls to video providers from tests (the test of the check runs a local endpoint).
VIDEO_CHECK_LINKS = False
# Tasks run where they are enqueued, so that a test sees their results at once (the tests
# of the worker itself switch to the database backend).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests log editors in with force_login; the tests of two-factor login switch it on.
ISKRA_TWO_FACTOR = "off"
