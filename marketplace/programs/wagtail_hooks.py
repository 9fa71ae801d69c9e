"""Bureau staff correct records in the Wagtail admin (Snippets). State and approval fields are not
editable there: they change only through the services (confirm, approve, reject)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CommissionerAssignment, EvaluationReport, ProjectRecord, ServiceLog


class AssignmentViewSet(SnippetViewSet):
    model = CommissionerAssignment
    icon = "user"
    menu_label = _("企业科技特派员")
    list_display = ["commissioner", "institution", "enterprise", "county", "status", "approved_on"]
    list_filter = ["status", "county"]
    panels = [FieldPanel("commissioner"), FieldPanel("institution"), FieldPanel("enterprise"), FieldPanel("field"),
              FieldPanel("county"), FieldPanel("term_start"), FieldPanel("term_end"), FieldPanel("tasks")]


class ServiceLogViewSet(SnippetViewSet):
    model = ServiceLog
    icon = "date"
    menu_label = _("特派员服务月志")
    list_display = ["assignment", "month", "visits", "problems_solved"]
    panels = [FieldPanel("visits"), FieldPanel("problems_solved"), FieldPanel("summary")]


class RecordViewSet(SnippetViewSet):
    model = ProjectRecord
    icon = "folder-open-inverse"
    menu_label = _("储备项目与重大关键技术成果")
    list_display = ["title", "kind", "owner", "county", "stage", "status", "approved_on"]
    list_filter = ["kind", "status", "stage", "county"]
    panels = [FieldPanel("kind"), FieldPanel("title"), FieldPanel("summary"), FieldPanel("owner"),
              FieldPanel("field"), FieldPanel("county"), FieldPanel("stage"), FieldPanel("source_demand"),
              FieldPanel("source_challenge"), FieldPanel("source_deal")]


class EvaluationViewSet(SnippetViewSet):
    model = EvaluationReport
    icon = "pick"
    menu_label = _("科技成果评价")
    list_display = ["achievement", "evaluator", "evaluated_on", "level"]
    list_filter = ["level"]
    panels = [FieldPanel("achievement"), FieldPanel("evaluator"), FieldPanel("evaluated_on"), FieldPanel("level"),
              FieldPanel("report_number")]


class ProgramsGroup(SnippetViewSetGroup):
    items = (AssignmentViewSet, ServiceLogViewSet, RecordViewSet, EvaluationViewSet)
    menu_icon = "group"
    menu_label = _("特派员与储备项目")
    add_to_admin_menu = True


register_snippet(ProgramsGroup)
