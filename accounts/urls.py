from django.urls import path

from . import views
from .privacy import views as privacy_views

app_name = "accounts"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("roles/", views.role_applications, name="role_applications"),
    path("roles/<int:pk>/attachment/", views.role_application_attachment, name="role_application_attachment"),
    path("personal-data/", privacy_views.export_personal_data, name="personal_data"),
    path("delete/", privacy_views.erase_account, name="erase_account"),
]
