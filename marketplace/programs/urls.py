from django.urls import path, re_path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("commissioners/new/", views.propose_assignment, name="propose_assignment"),
    path("commissioners/<int:pk>/", views.assignment_detail, name="assignment"),
    path("commissioners/<int:pk>/confirm/", views.confirm_assignment, name="confirm_assignment"),
    path("commissioners/<int:pk>/decide/", views.decide_assignment, name="decide_assignment"),
    path("commissioners/<int:pk>/logs/new/", views.write_log, name="write_log"),
    path("records/new/", views.enter_record, name="enter_record"),
    path("records/import/", views.import_records, name="import_records"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/decide/", views.decide_record, name="decide_record"),
]
urlpatterns += [
    path("report/", views.report, name="report"),
    path("evaluations/", views.evaluation_list, name="evaluations"),
    path("evaluations/<int:pk>/report/", views.evaluation_report, name="evaluation_report"),
    path("county/", views.my_county, name="my_county"),
    path("county/<slug:slug>/", views.county_view, name="county"),
    re_path(r"^report\.(?P<fmt>csv|xlsx)$", views.export_report, name="export_report"),
]
