from wagtail.models import TaskState


def approve(client, page, comment: str = ""):
    """Approve the page's pending revision the way bureau staff do in the Wagtail admin."""
    task_state = page.current_workflow_state.current_task_state
    return client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": comment})


def reject(client, page, comment: str):
    task_state = page.current_workflow_state.current_task_state
    return client.post(f"/admin/pages/workflow/action/{page.pk}/reject/{task_state.pk}/", {"comment": comment})


def last_task_state(page) -> TaskState:
    return TaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("-pk").first()
