from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.MissingAddressesView.as_view(), name="missing_addresses"),
    path("<int:pk>/dismiss/", views.dismiss_view, name="dismiss_address"),
]
