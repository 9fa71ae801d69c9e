from django.urls import path

from . import views
from .privacy import views as privacy_views

app_name = "accounts"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("personal-data/", privacy_views.export_personal_data, name="personal_data"),
    path("delete/", privacy_views.erase_account, name="erase_account"),
]
