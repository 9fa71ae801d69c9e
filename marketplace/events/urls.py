from django.urls import path

from . import checkout_views, edit_views, offline_views, views

app_name = "events"
urlpatterns = [
    path("<int:event_id>/register/", views.register, name="register"),
    path("registrations/", views.my_registrations, name="my_registrations"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/cancel/", views.cancel_registration, name="cancel_registration"),
    path("registrations/<int:pk>/preference/", views.set_preference, name="set_preference"),
    path("registrations/<int:pk>/checkout/", checkout_views.start_checkout, name="checkout"),
    path("checkin/<str:token>/", views.checkin_token, name="checkin_token"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", edit_views.create_event, name="create_event"),
    path("manage/<int:event_id>/", views.manage_event, name="manage_event"),
    path("manage/<int:event_id>/edit/", edit_views.edit_event, name="edit_event"),
    # Before registration_action, whose <str:action> would match this path too.
    path("manage/<int:event_id>/registrations/<int:pk>/offline-payment/", offline_views.offline_payment,
         name="offline_payment"),
    path("manage/<int:event_id>/registrations/<int:pk>/<str:action>/", views.registration_action,
         name="registration_action"),
    path("manage/<int:event_id>/export.<str:fmt>", views.export, name="export"),
    path("manage/<int:event_id>/schedule/", views.schedule, name="schedule"),
    path("manage/<int:event_id>/schedule/<str:action>/", views.schedule_action, name="schedule_action"),
    path("manage/<int:event_id>/meetings/<int:pk>/<str:action>/", views.meeting_action,
         name="meeting_action"),
    path("manage/<int:event_id>/checkin/", views.checkin_desk, name="checkin_desk"),
    path("manage/<int:event_id>/attendance/", views.attendance, name="attendance"),
]
