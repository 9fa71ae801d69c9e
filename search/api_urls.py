from django.urls import path

from . import views

app_name = "search_api"
urlpatterns = [
    path("demands/<int:page_id>/matches", views.demand_matches_api, name="demand_matches"),
    path("achievements/<int:page_id>/matches", views.achievement_matches_api, name="achievement_matches"),
]
