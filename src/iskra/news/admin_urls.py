from django.urls import path

from . import views

app_name = "news_admin"
urlpatterns = [
    path("imports/telegram/", views.TelegramImportView.as_view(), name="telegram_import")
]
