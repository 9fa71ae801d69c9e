from django.urls import path

from . import views

app_name = "partner_api_keys"
urlpatterns = [
    path("", views.key_list, name="list"),
    path("<int:pk>/revoke/", views.key_revoke, name="revoke"),
]
