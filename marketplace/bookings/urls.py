from django.urls import path

from . import views

app_name = "bookings"
urlpatterns = [
    path("", views.my_bookings, name="list"),
    path("new/<int:page_id>/", views.request_booking, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/done/", views.done, name="done"),
]
