from django.urls import path

from . import views

app_name = "transfers"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("request/<int:achievement_id>/", views.request_listing, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit_listing, name="edit"),
    path("<int:pk>/status.json", views.status, name="status"),
    path("<int:pk>/documents/", views.documents, name="documents"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/bid/", views.bid, name="bid"),
    path("<int:pk>/objection/", views.object_to, name="objection"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
