from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as serve_static
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from iskra.core import views as core_views
from iskra.news import urls as news_urls
from iskra.search import views as search_views

handler404 = "iskra.core.views.page_not_found"
handler500 = "iskra.core.views.server_error"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", core_views.sitemap_xml, name="sitemap"),
    path("feeds/", news_urls.feed_patterns),
]

if settings.ISKRA_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve_static, {"document_root": settings.MEDIA_ROOT}),
    ]

# Wagtail's own URLs minus its serve view, which Iskra replaces with a faster router.
_wagtail_util_urls = [p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"]

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    *_wagtail_util_urls,
    re_path(wagtail_urls.serve_pattern, core_views.serve, name="wagtail_serve"),
    prefix_default_language=True,
)
