"""Iskra settings, configured by environment variables with safe embedded defaults.

Every variable is documented in README.md. Without any of them Iskra runs on SQLite,
local files and a local-memory cache under ``var/``.
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None, *, cast=str):
    """Return environment variable ``name`` converted by ``cast``, or ``default``."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if cast is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if cast is list:
        return [item.strip() for item in value.split(",") if item.strip()]
    return cast(value)


VAR_DIR = Path(env("ISKRA_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key():
    """Return SECRET_KEY from the environment, or one generated once into var/."""
    key = env("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# Production mode refuses to start on generated secrets: they must come from the environment.
PRODUCTION = env("PRODUCTION", False, cast=bool)
if PRODUCTION and not env("SECRET_KEY"):
    raise ImproperlyConfigured(
        "PRODUCTION is on but SECRET_KEY is not set. Set SECRET_KEY in the environment "
        "(a long random string, the same on every app server)."
    )
SECRET_KEY = _secret_key()


def _members_encryption_keys():
    """Return the Fernet keys that encrypt membership applications, newest first.

    From MEMBERS_ENCRYPTION_KEYS (comma-separated); outside production mode a key is
    generated once into var/members_key so that ``make run`` works out of the box.
    """
    keys = env("MEMBERS_ENCRYPTION_KEYS", cast=list)
    if not keys and PRODUCTION:
        raise ImproperlyConfigured(
            "PRODUCTION is on but MEMBERS_ENCRYPTION_KEYS is not set: membership "
            'applications cannot be encrypted. Generate a key with `python -c "from '
            'cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`, '
            "keep a copy apart from the database backups, and set MEMBERS_ENCRYPTION_KEYS."
        )
    if not keys:
        path = VAR_DIR / "members_key"
        if not path.exists():
            path.write_text(Fernet.generate_key().decode())
            path.chmod(0o600)
        keys = [path.read_text().strip()]
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"MEMBERS_ENCRYPTION_KEYS: key {number} is not a Fernet key "
                "(32 bytes, URL-safe base64, 44 characters)."
            ) from None
    return keys


MEMBERS_ENCRYPTION_KEYS = _members_encryption_keys()
DEBUG = env("DEBUG", False, cast=bool)
ALLOWED_HOSTS = env("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"], cast=list)
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS", [], cast=list)
BASE_URL = env("BASE_URL", f"http://{env('HOST', '127.0.0.1')}:{env('PORT', '8000')}")
WAGTAILADMIN_BASE_URL = BASE_URL

INSTALLED_APPS = [
    "iskra.core",
    "iskra.news",
    "iskra.events",
    "iskra.library",
    "iskra.search",
    "iskra.members",
    "iskra.telegram",
    "iskra.imports",
    "iskra.publishing",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # /healthz for load balancers and monitoring, before everything else (core/health.py).
    "iskra.core.health.HealthCheckMiddleware",
    "iskra.core.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy: Django's middleware writes the header; Iskra's chooses the
    # policy (a video's player, the admin's own) before it, below the compression.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # /kk-latn/…: the Kazakh pages in Latin letters (before the locale middleware).
    "iskra.core.latin_view.LatinViewMiddleware",
    "iskra.core.csp.PolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin stays closed until the second factor is given (core/two_factor.py).
    "iskra.core.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Wagtail's redirects, then the old addresses of imported sites (replaces
    # wagtail.contrib.redirects.middleware.RedirectMiddleware).
    "iskra.imports.middleware.LegacyAddressMiddleware",
    # Failed-login throttling answers a locked-out login (django-axes; last, as it asks).
    "axes.middleware.AxesMiddleware",
]

# Failed logins are counted per account and per address (django-axes, in the database so
# that every app server sees them): after LOGIN_FAILURE_LIMIT wrong passwords the account,
# and the address, are refused for LOGIN_LOCKOUT_MINUTES, even with the right password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env("LOGIN_FAILURE_LIMIT", 5, cast=int)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env("LOGIN_LOCKOUT_MINUTES", 30, cast=int))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "iskra.core.security.client_ip"
# Successful logins are not logged with their addresses (Wagtail logs who did what).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Two-factor login (an authenticator app, TOTP) for everyone who enters the admin:
# required, optional (asked of those who set one up) or off (core/two_factor.py).
ISKRA_TWO_FACTOR = env("TWO_FACTOR", "required")
if ISKRA_TWO_FACTOR not in ("required", "optional", "off"):
    raise ImproperlyConfigured("TWO_FACTOR is one of: required, optional, off.")
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env("TWO_FACTOR_ISSUER", "Iskra")


ROOT_URLCONF = "iskra.urls"
WSGI_APPLICATION = "iskra.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "iskra.core.mirror.mirror",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'iskra.sqlite3'}"),
        conn_max_age=env("DATABASE_CONN_MAX_AGE", 60, cast=int),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Opening a SQLite connection (and setting its pragmas) on every request cost ~7 ms.
    DATABASES["default"]["CONN_MAX_AGE"] = None
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields; Django 6.1's system
    # checks (run by migrate and serve) refuse them without this app.
    INSTALLED_APPS.append("django.contrib.postgres")

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, where Redis being away is a miss (core/cache.py).
            "BACKEND": "iskra.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs costs a request one second, not a worker's whole timeout.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "iskra"),
            "TIMEOUT": 3600,
        }
    }
    # Sessions in the database, read through Redis: editors stay logged in when Redis
    # restarts or is away.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "iskra",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Russian is the default content and interface language, Kazakh the second;
# English is only the source language of the catalogs.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("kk", "Қазақша")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Almaty")
# The time zone new events are shown in (each event can have its own).
EVENTS_TIME_ZONE = env("EVENTS_TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
# In the embedded mode Iskra serves uploaded media itself; behind nginx or S3 turn it off.
ISKRA_SERVE_MEDIA = env("SERVE_MEDIA", True, cast=bool)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
WHITENOISE_MAX_AGE = 3600

WAGTAIL_SITE_NAME = "Iskra"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env("IMAGE_MAX_UPLOAD_MB", 10, cast=int) * 1024 * 1024
LIBRARY_IMPORT_MAX_MB = env("LIBRARY_IMPORT_MAX_MB", 100, cast=int)
# Longer works get an EPUB only: ReportLab lays a PDF out in memory.
# Longer documents get an EPUB only: ReportLab lays a PDF out in memory. The library-only
# name of the setting is still read.
PUBLISHING_PDF_MAX_WORDS = env(
    "PUBLISHING_PDF_MAX_WORDS", env("LIBRARY_PDF_MAX_WORDS", 3_000_000, cast=int), cast=int
)
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "epub", "fb2", "doc", "docx", "odt", "txt", "zip"]
# Wagtail's own search (the admin) with Iskra's Russian/Kazakh analysis: iskra.search.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "iskra.search.wagtail_backend"}}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TAGGIT_CASE_INSENSITIVE = True
# Events' stream and recording links are checked with the provider's oEmbed endpoint.
VIDEO_CHECK_LINKS = env("VIDEO_CHECK_LINKS", True, cast=bool)
VIDEO_OEMBED_URLS = {
    "youtube": "https://www.youtube.com/oembed",
    "rutube": "https://rutube.ru/api/oembed/",
}

# Background work (django-tasks): a task is a row in the database (django-tasks-db) that
# the worker `iskra serve` starts beside gunicorn takes (any number of them on PostgreSQL,
# with SELECT … FOR UPDATE SKIP LOCKED). TASKS_BACKEND=immediate runs each task inside the
# request that enqueues it instead (no worker; an editor's publish waits for it).
if env("TASKS_BACKEND", "database") == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failing task is tried this many times in all (after 1, then 5 minutes), then its error
# stays in Reports › Background work, where it can be retried by hand.
ISKRA_TASK_ATTEMPTS = env("TASK_ATTEMPTS", 3, cast=int)
ISKRA_TASK_RETRY_DELAYS = (60, 300)
# Finished tasks are kept this many days (the worker's scheduler deletes older ones).
ISKRA_TASK_RESULTS_DAYS = env("TASK_RESULTS_DAYS", 14, cast=int)

# Backups (`iskra backup`, `iskra restore`): with BACKUP_DIR set, the scheduler writes one
# a day there and keeps the last BACKUP_KEEP.
BACKUP_DIR = env("BACKUP_DIR", "")
BACKUP_KEEP = env("BACKUP_KEEP", 14, cast=int)
# Backups write rows as JSON Lines with the encrypted fields kept sealed.
SERIALIZATION_MODULES = {"backupjsonl": "iskra.core.backup_format"}

# Mail (notifications to membership secretaries). Without EMAIL_HOST mail is written to
# the console, which is enough for the embedded mode.
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": env("EMAIL_PORT", 587, cast=int),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env("EMAIL_USE_TLS", True, cast=bool),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "iskra@localhost")

# Membership applications (iskra.members).
MEMBERS_RETENTION_DAYS = env("MEMBERS_RETENTION_DAYS", 180, cast=int)
MEMBERS_RATE_LIMIT = env("MEMBERS_RATE_LIMIT", "5/h")
MEMBERS_MIN_FILL_SECONDS = env("MEMBERS_MIN_FILL_SECONDS", 3, cast=int)
MEMBERS_TELEGRAM_CHAT_ID = env("MEMBERS_TELEGRAM_CHAT_ID")
TELEGRAM_BOT_TOKEN = env("TELEGRAM_BOT_TOKEN")
# The Ed25519 key that signs the static mirror's archives (``iskra mirror-key``).
MIRROR_SIGNING_KEY = env("MIRROR_SIGNING_KEY", "")
# A folder the background worker keeps a static copy of the site in, updated after every
# publish, unpublish, move or delete (``iskra export-mirror``); and the copy's address.
MIRROR_DIR = env("MIRROR_DIR", "")
MIRROR_BASE_URL = env("MIRROR_BASE_URL", "")
# Seconds between a change and the copy's update (the related lists it shows go first).
MIRROR_UPDATE_DELAY = env("MIRROR_UPDATE_DELAY", 5, cast=int)
TELEGRAM_API_URL = env("TELEGRAM_API_URL", "https://api.telegram.org")
# Telegram allows about 20 messages a minute in one channel.
TELEGRAM_MESSAGES_PER_MINUTE = env("TELEGRAM_MESSAGES_PER_MINUTE", 20, cast=int)

SECURE_CONTENT_TYPE_NOSNIFF = True
# Public pages load only from the site itself; no inline script or style anywhere, so no
# 'unsafe-inline' and no nonce (a nonce would be wrong on a page served from the cache).
# A page with a click-to-load video may frame exactly that video's player (core/csp.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "frame-src": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Wagtail's admin still writes inline scripts and style attributes: it may run those,
# but loads from the site alone, shows uploads as data:/blob: pictures (the two-factor QR
# code, image previews) and is framed only by itself (the preview panel).
# No Gravatar pictures in the admin: they would tell gravatar.com which editors are
# signed in (a hash of their address), and the admin's policy loads nothing from outside.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
ISKRA_ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Nothing frames the site (Wagtail's preview panel sets SAMEORIGIN on its own views).
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env("BEHIND_PROXY", False, cast=bool):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The reader's address as the proxy saw it (nginx: proxy_set_header X-Real-IP).
    RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
if env("HTTPS", False, cast=bool):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Plain HTTP is redirected, and browsers are told to use HTTPS only (HSTS): a reader
    # on a hostile network is not downgraded. /healthz answers on HTTP for the balancer.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env("HSTS_SECONDS", 365 * 24 * 3600, cast=int)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env("HSTS_INCLUDE_SUBDOMAINS", False, cast=bool)
    SECURE_HSTS_PRELOAD = env("HSTS_PRELOAD", False, cast=bool)

# Seconds a cached anonymous page lives at most; publishing invalidates it at once.
# 0 turns the page cache off (the benchmarks measure uncached pages that way).
ISKRA_PAGE_CACHE_TIMEOUT = env("PAGE_CACHE_SECONDS", 600, cast=int)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
