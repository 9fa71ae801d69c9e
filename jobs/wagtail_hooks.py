"""Bureau staff see failed background tasks in the Wagtail admin (任务失败记录), read-only: the bureau's group
holds only the "view" permission on TaskFailure (accounts.roles), so nobody adds, edits or deletes a row."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import TaskFailure


class TaskFailureViewSet(ModelViewSet):
    model = TaskFailure
    icon = "warning"
    menu_label = _("任务失败记录")
    menu_order = 220
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["failed_at", "task_name", "attempt", "final", "error"]
    list_filter = ["final", "task_name"]
    search_fields = ["task_name", "error"]
    form_fields = []


@hooks.register("register_admin_viewset")
def register_task_failures():
    return TaskFailureViewSet("task_failures")
