from django.urls import path

from . import views

app_name = "inquiries"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("overview/", views.overview, name="overview"),
    path("new/<int:page_id>/", views.send, name="send"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/block/", views.block, name="block"),
    path("conversations/<int:pk>/", views.conversation, name="conversation"),
    path("conversations/<int:pk>/messages/", views.post_message, name="post_message"),
    path("conversations/<int:pk>/invite/", views.invite, name="invite"),
    path("conversations/<int:pk>/close/", views.close, name="close"),
    path("conversations/<int:pk>/share-contact/", views.share_contact, name="share_contact"),
    path("conversations/<int:pk>/deal/", views.start_deal, name="start_deal"),
    path("conversations/<int:pk>/messages/<int:message_id>/report/", views.report, name="report"),
    path("<int:pk>/attachment/", views.inquiry_attachment, name="inquiry_attachment"),
    path("conversations/<int:pk>/messages/<int:message_id>/attachment/", views.message_attachment,
         name="message_attachment"),
    path("suspensions/", views.suspensions, name="suspensions"),
    path("suspensions/<int:pk>/lift/", views.lift_suspension, name="lift_suspension"),
]
