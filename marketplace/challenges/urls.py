from django.urls import path

from . import views

app_name = "challenges"
urlpatterns = [
    path("new/", views.create_challenge, name="create"),
    path("mine/", views.my_challenges, name="mine"),
    path("<int:page_id>/edit/", views.edit_challenge, name="edit"),
    path("<int:page_id>/preview/", views.preview_challenge, name="preview"),
    path("<int:page_id>/apply/", views.apply, name="apply"),
    path("<int:page_id>/applications/<int:application_id>/select/", views.select_application, name="select"),
    path("<int:page_id>/close/", views.close_challenge, name="close"),
    path("<int:page_id>/subsidy/", views.grant_subsidy, name="subsidy"),
]
