from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_new, name="new"),
    path("import/", views.agreement_import, name="import"),
    path("import/jobs/<int:pk>/", views.agreement_import_job, name="import_job"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/transition/", views.agreement_transition, name="transition"),
    path("<int:pk>/confirm/", views.agreement_confirm, name="confirm"),
    path("<int:pk>/scan/", views.agreement_scan_upload, name="scan_upload"),
    path("<int:pk>/contract.pdf", views.agreement_scan_download, name="scan_download"),
    path("<int:pk>/duplicate/", views.agreement_duplicate, name="duplicate"),
]
