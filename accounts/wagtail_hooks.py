"""Bureau staff review organizations (USCC, verification) and role applications in the Wagtail admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.site_summary import SummaryItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views, selectors
from .models import Organization
from .permissions import is_bureau


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("机构")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind", "uscc", "county", "verified"]
    list_filter = ["kind", "verified", "county"]
    search_fields = ["name", "uscc"]
    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("uscc"), FieldPanel("county"),
              FieldPanel("contact_name"), FieldPanel("contact_phone"), FieldPanel("contact_email"),
              FieldPanel("verified")]


register_snippet(OrganizationViewSet)


@hooks.register("register_admin_urls")
def review_queue_urls():
    return [
        path("review-queue/", admin_views.review_queue, name="accounts_review_queue"),
        path("review-queue/roles/<int:pk>/approve/", admin_views.approve_role_application,
             name="accounts_approve_role_application"),
        path("review-queue/roles/<int:pk>/decline/", admin_views.decline_role_application,
             name="accounts_decline_role_application"),
        path("review-queue/organizations/<int:pk>/verify/", admin_views.verify_organization,
             name="accounts_verify_organization"),
    ]


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_bureau(request.user)


@hooks.register("register_admin_menu_item")
def review_queue_menu_item():
    return ReviewQueueMenuItem(_("审核队列"), reverse("accounts_review_queue"), icon_name="tasks", order=150)


class ReviewQueueSummaryItem(SummaryItem):
    """On the admin home: how many role applications and organizations wait for the bureau."""

    order = 50
    template_name = "accounts/admin/review_queue_summary.html"

    def get_context_data(self, _parent_context):
        return {"counts": selectors.review_queue_counts()}

    def is_shown(self) -> bool:
        return is_bureau(self.request.user)


@hooks.register("construct_homepage_summary_items")
def add_review_queue_summary(request, summary_items):
    summary_items.append(ReviewQueueSummaryItem(request))
@hooks.register("register_admin_viewset")
def register_contact_reveal_log():
    from .privacy.admin_views import contact_reveal_viewset

    return contact_reveal_viewset
