"""Bureau staff edit yearly targets in the Wagtail admin (Snippets → 年度目标)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Target


class TargetViewSet(SnippetViewSet):
    model = Target
    icon = "order"
    list_display = ["year", "metric", "target", "note"]
    list_filter = ["year", "metric"]
    menu_label = _("年度目标")
    add_to_admin_menu = True


register_snippet(TargetViewSet)
