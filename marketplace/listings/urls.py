from django.urls import path

from . import import_views, views

app_name = "listings"
urlpatterns = [
    path("listings/", views.my_listings, name="my_listings"),
    path("listings/import/", import_views.listing_import, name="import"),
    path("listings/import/jobs/<int:pk>/", import_views.listing_import_job, name="import_job"),
    path("listings/new/<str:kind>/", views.create_listing, name="create"),
    path("listings/<int:page_id>/edit/", views.edit_listing, name="edit"),
    path("listings/<int:page_id>/preview/", views.preview_listing, name="preview"),
    path("listings/<int:page_id>/withdraw/", views.withdraw_listing, name="withdraw"),
    path("listings/<int:page_id>/attachment/", views.listing_attachment, name="attachment"),
    path("listings/<int:page_id>/contact/", views.reveal_contact, name="reveal_contact"),
]
