"""Bureau staff (Wagtail's "Moderators" group, see accounts.roles) set the yearly targets in the
Wagtail admin, so that group gets the Target permissions."""

from django.contrib.auth.models import Group, Permission

TARGET_PERMISSIONS = ["view_target", "add_target", "change_target"]


def ensure_bureau_target_permissions(**_kwargs) -> None:
    from accounts.roles import BUREAU_GROUP

    group = Group.objects.filter(name=BUREAU_GROUP).first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="agreements", codename__in=TARGET_PERMISSIONS)
    )
