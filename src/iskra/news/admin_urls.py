from django.urls import path

from . import views

app_name = "news_admin"
urlpatterns = [
    path("imports/telegram/", views.TelegramImportView.as_view(), name="telegram_import"),
    path("imports/site/", views.SiteImportView.as_view(), name="site_import"),
    path("imports/site/<int:pk>/", views.SiteImportDetailView.as_view(), name="site_import_detail"),
]
