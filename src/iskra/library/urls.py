from django.urls import path

from . import views

app_name = "library"
urlpatterns = [path("import/", views.BookImportView.as_view(), name="import")]
