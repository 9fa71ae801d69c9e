"""Bureau staff moderate through Wagtail's "Moderators" group. This grants that group what the bureau
also needs beyond page moderation: reviewing and verifying organizations."""

from django.contrib.auth.models import Group, Permission

BUREAU_GROUP = "Moderators"
BUREAU_EXTRA_PERMISSIONS = [
    ("accounts", "view_organization"),
    ("accounts", "change_organization"),
    ("accounts", "view_contactreveal"),
    ("jobs", "view_taskfailure"),  # failed background tasks (jobs.wagtail_hooks)
]


def ensure_bureau_permissions(**_kwargs) -> None:
    group = Group.objects.filter(name=BUREAU_GROUP).first()
    if group is None:
        return
    for app_label, codename in BUREAU_EXTRA_PERMISSIONS:
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is not None:
            group.permissions.add(perm)


def make_bureau_staff(user) -> None:
    from .models import PlatformRole

    user.role = PlatformRole.BUREAU
    user.is_staff = True
    user.save(update_fields=["role", "is_staff"])
    group = Group.objects.filter(name=BUREAU_GROUP).first()
    if group is not None:
        user.groups.add(group)
