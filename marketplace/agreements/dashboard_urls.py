"""Mounted at /dashboard/: the targets dashboard and its exports (bureau staff only)."""

from django.urls import path, re_path

from . import export_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    re_path(r"^export/agreements\.(?P<fmt>csv|xlsx)$", views.export_agreements, name="export_agreements"),
    path("export/register-jobs/", export_views.start_register_export, name="export_start"),
    path("export/register-jobs/<int:pk>/", export_views.register_export_job, name="export_job"),
    path("export/register-jobs/<int:pk>/download/", export_views.register_export_download, name="export_download"),
    re_path(r"^export/monthly\.(?P<fmt>csv|xlsx)$", views.export_monthly, name="export_monthly"),
]
