"""Bureau staff edit yearly targets in the Wagtail admin (Snippets → 年度目标)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Target


class TargetViewSet(SnippetViewSet):
    model = Target
    icon = "order"
    list_display = ["year", "metric", "target", "note"]
    list_filter = ["year", "metric"]
    menu_label = "年度目标 Targets"
    add_to_admin_menu = True


register_snippet(TargetViewSet)
