"""Bureau staff edit the matching thesaurus in the Wagtail admin (Snippets → 匹配词表); the listing
exports CSV/XLSX, ``manage.py thesaurus import FILE`` reads CSV back."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ThesaurusEntry


class ThesaurusViewSet(SnippetViewSet):
    model = ThesaurusEntry
    icon = "list-ul"
    list_display = ["term", "synonyms", "weight", "field", "active"]
    list_filter = ["field", "active"]
    search_fields = ["term", "synonyms"]
    list_export = ["field", "term", "synonyms", "weight", "active"]
    export_filename = "thesaurus"
    menu_label = _("匹配词表")
    add_to_admin_menu = True


register_snippet(ThesaurusViewSet)
