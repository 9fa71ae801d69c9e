"""Bureau staff (Wagtail's "Moderators" group, see accounts.roles) edit the matching thesaurus in the
Wagtail admin, so that group gets the ThesaurusEntry permissions."""

from django.contrib.auth.models import Group, Permission

THESAURUS_PERMISSIONS = ["view_thesaurusentry", "add_thesaurusentry", "change_thesaurusentry",
                         "delete_thesaurusentry"]


def ensure_bureau_thesaurus_permissions(**_kwargs) -> None:
    from accounts.roles import BUREAU_GROUP

    group = Group.objects.filter(name=BUREAU_GROUP).first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="search", codename__in=THESAURUS_PERMISSIONS)
    )
