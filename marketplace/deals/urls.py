from django.urls import path

from . import views

app_name = "deals"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("new/", views.deal_new, name="new"),
    path("from-demand/<int:demand_id>/", views.deal_from_demand, name="from_demand"),
    path("<int:pk>/", views.deal_detail, name="detail"),
    path("<int:pk>/move/", views.deal_move, name="move"),
    path("<int:pk>/edit/", views.deal_edit, name="edit"),
    path("<int:pk>/adopt/<int:achievement_id>/", views.deal_adopt, name="adopt"),
]
