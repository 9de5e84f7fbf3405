from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [path("telegram/", views.TelegramImportView.as_view(), name="telegram")]
