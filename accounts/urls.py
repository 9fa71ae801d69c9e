from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("roles/", views.role_applications, name="role_applications"),
    path("roles/<int:pk>/attachment/", views.role_application_attachment, name="role_application_attachment"),
]
