import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iskra.settings.base")

from iskra.core.page_cache import PageCacheApplication  # noqa: E402  (after settings are chosen)

application = PageCacheApplication(get_wsgi_application())
