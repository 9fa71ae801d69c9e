"""Bureau staff read the contact-reveal log in the Wagtail admin; nobody can add, change or delete a row
(the model has only the "view" permission, granted to the bureau's group in accounts.roles)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from marketplace.core.exports import SafeSpreadsheetExportMixin

from .models import ContactReveal


class ContactRevealIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The log exported with formula-safe cells: page titles and contact names are typed by users."""


class ContactRevealViewSet(ModelViewSet):
    model = ContactReveal
    index_view_class = ContactRevealIndexView
    icon = "view"
    menu_label = _("联系方式查看记录")
    menu_order = 210
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["revealed_at", "viewer", "page_title", "organization", "contact_name"]
    list_filter = ["revealed_at"]
    search_fields = ["page_title", "contact_name", "viewer__email", "viewer__display_name"]
    list_export = ["revealed_at", "viewer", "page_id", "page_title", "organization", "contact_name"]
    form_fields = []


contact_reveal_viewset = ContactRevealViewSet("contact_reveals")
