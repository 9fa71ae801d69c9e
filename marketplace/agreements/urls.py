from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_new, name="new"),
    path("import/", views.agreement_import, name="import"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
]
