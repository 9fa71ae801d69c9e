"""Writes for listings. Owners' changes always become a new revision in the moderation workflow;
the live page changes only when bureau staff approve it."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind, User
from accounts.permissions import can_edit_listing, is_bureau, is_member
from marketplace.core.one_time import SubmissionKey, claim_submission, remember_submission
from marketplace.core.pages import place_new_page, submit_for_moderation

from .models import (
    AchievementIndexPage,
    AchievementIPItem,
    AchievementPage,
    DemandIndexPage,
    DemandPage,
    ListingPage,
    PilotBaseIndexPage,
    PilotBasePage,
)

# Which kinds of organization may own which listing type.
ALLOWED_OWNER_KINDS = {
    AchievementPage: {*ACADEMIC_KINDS, OrganizationKind.ENTERPRISE},
    DemandPage: {OrganizationKind.ENTERPRISE},
    PilotBasePage: {OrganizationKind.PILOT_BASE_OPERATOR, OrganizationKind.UNIVERSITY,
                    OrganizationKind.INSTITUTE, OrganizationKind.ENTERPRISE},
}
INDEX_FOR = {AchievementPage: AchievementIndexPage, DemandPage: DemandIndexPage, PilotBasePage: PilotBaseIndexPage}
SLUG_PREFIX = {AchievementPage: "achievement", DemandPage: "demand", PilotBasePage: "pilot-base"}


@dataclass
class IPItemData:
    ip_type: str
    number: str
    title: str = ""


def _check_owner(user: User, organization: Organization, model: type[ListingPage]) -> None:
    if not (is_bureau(user) or is_member(user, organization)):
        raise PermissionDenied(_("您不是该机构的成员。"))
    if organization.kind not in ALLOWED_OWNER_KINDS[model]:
        raise ValidationError({"organization": _("%(kind)s类机构不能发布%(type)s。") % {
            "kind": organization.get_kind_display(), "type": model._meta.verbose_name}})


def _set_ip_items(page: AchievementPage, items: list[IPItemData]) -> None:
    page.ip_items.set([AchievementIPItem(ip_type=i.ip_type, number=i.number, title=i.title) for i in items])


@transaction.atomic
def create_listing(*, user: User, model: type[ListingPage], data: dict, ip_items: list[IPItemData] | None = None,
                   submission_token: str | SubmissionKey | None = None, submit: bool = True) -> ListingPage:
    """Create a listing as a draft page under its index and submit it for moderation."""
    _check_owner(user, data["organization"], model)
    submission = claim_submission(submission_token, user)
    parent = INDEX_FOR[model].objects.first()
    if parent is None:
        raise ValidationError(_("站点尚未建立该类列表页。"))
    page = model(owner=user, live=False, slug=f"{SLUG_PREFIX[model]}-{uuid.uuid4().hex[:10]}", **data)
    if isinstance(page, AchievementPage) and ip_items is not None:
        _set_ip_items(page, ip_items)
    place_new_page(parent=parent, page=page, user=user, submit=submit)
    remember_submission(submission, page)
    return page


@transaction.atomic
def update_listing(*, user: User, page: ListingPage, data: dict, ip_items: list[IPItemData] | None = None,
                   submission_token: str | SubmissionKey | None = None) -> ListingPage:
    """Change a listing. The live version, if any, stays as it is until the new revision is approved."""
    if not can_edit_listing(user, page):
        raise PermissionDenied(_("只能编辑本机构的发布内容。"))
    if "organization" in data:
        _check_owner(user, data["organization"], type(page))
    submission = claim_submission(submission_token, user)
    draft = page.get_latest_revision_as_object()
    for name, value in data.items():
        setattr(draft, name, value)
    if isinstance(draft, AchievementPage) and ip_items is not None:
        _set_ip_items(draft, ip_items)
    draft.validate_before_submit()
    submit_for_moderation(draft, user)
    remember_submission(submission, page)
    return draft


@transaction.atomic
def withdraw_listing(*, user: User, page: ListingPage) -> None:
    """Take a listing off the public site (the owner's decision; no moderation needed to unpublish)."""
    if not can_edit_listing(user, page):
        raise PermissionDenied(_("只能撤回本机构的发布内容。"))
    current = page.current_workflow_state
    if current is not None:
        current.cancel(user=user)
    if page.live:
        # Our own rule (can_edit_listing) was checked above; owners have no Wagtail admin permissions.
        UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
