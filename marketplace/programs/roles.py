"""Bureau staff (Wagtail's "Moderators" group, see accounts.roles) correct these records in the admin."""

from django.contrib.auth.models import Group, Permission

MODELS = ["commissionerassignment", "servicelog", "projectrecord", "evaluationreport"]
PERMISSIONS = [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change")]


def ensure_bureau_program_permissions(**_kwargs) -> None:
    from accounts.roles import BUREAU_GROUP

    group = Group.objects.filter(name=BUREAU_GROUP).first()
    if group is None:
        return
    group.permissions.add(*Permission.objects.filter(content_type__app_label="programs", codename__in=PERMISSIONS))
