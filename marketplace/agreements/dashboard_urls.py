"""Mounted at /dashboard/: the targets dashboard and its exports (bureau staff only)."""

from django.urls import path, re_path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    re_path(r"^export/agreements\.(?P<fmt>csv|xlsx)$", views.export_agreements, name="export_agreements"),
    re_path(r"^export/monthly\.(?P<fmt>csv|xlsx)$", views.export_monthly, name="export_monthly"),
]
