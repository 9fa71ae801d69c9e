"""Bureau staff edit the matching thesaurus in the Wagtail admin (Snippets → 匹配词表); the listing
exports CSV/XLSX, ``manage.py thesaurus import FILE`` reads CSV back."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from marketplace.core.exports import SafeSpreadsheetExportMixin

from .models import ThesaurusEntry


class ThesaurusIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The listing, exported with formula-safe cells (the import reads them back, see thesaurus.parse_csv)."""


class ThesaurusViewSet(SnippetViewSet):
    model = ThesaurusEntry
    index_view_class = ThesaurusIndexView
    icon = "list-ul"
    list_display = ["term", "synonyms", "weight", "field", "active"]
    list_filter = ["field", "active"]
    search_fields = ["term", "synonyms"]
    list_export = ["field", "term", "synonyms", "weight", "active"]
    export_filename = "thesaurus"
    menu_label = _("匹配词表")
    add_to_admin_menu = True


register_snippet(ThesaurusViewSet)
