"""Bureau staff review organizations (USCC, verification) in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organization


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("机构 Organizations")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind", "uscc", "county", "verified"]
    list_filter = ["kind", "verified", "county"]
    search_fields = ["name", "uscc"]
    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("uscc"), FieldPanel("county"),
              FieldPanel("contact_name"), FieldPanel("contact_phone"), FieldPanel("contact_email"),
              FieldPanel("verified")]


register_snippet(OrganizationViewSet)


@hooks.register("register_admin_viewset")
def register_contact_reveal_log():
    from .privacy.admin_views import contact_reveal_viewset

    return contact_reveal_viewset
