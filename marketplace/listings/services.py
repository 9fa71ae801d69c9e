"""Writes for listings. Owners' changes always become a new revision in the moderation workflow;
the live page changes only when bureau staff approve it."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import Page, WorkflowState

from accounts.models import ACADEMIC_KINDS, Organization, OrganizationKind, User
from accounts.permissions import can_edit_listing, is_bureau, is_member

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
from .one_time import FINGERPRINT_WINDOW, DuplicateSubmission, SubmissionKey
from .submissions import FormSubmission

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


def claim_submission(token: str | SubmissionKey | None, user: User) -> FormSubmission | None:
    """Claim a form post's one-time token inside the caller's transaction, so the claim commits (or
    rolls back) with the write it guards. A post already accepted raises DuplicateSubmission (a
    ValidationError) carrying what the first post saved; see one_time.py. Returns the claim, to be
    given to remember_submission once the record exists (None when the form sent no token)."""
    key = token if isinstance(token, SubmissionKey) else SubmissionKey(token or "")
    if not key.token:
        return None
    with transaction.atomic():
        # One person's claims run one at a time (a row lock on PostgreSQL; SQLite's IMMEDIATE
        # transactions already serialise writers): the same content posted twice at once is seen once.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        earlier = FormSubmission.objects.filter(token=key.token).first()
        same_content = False
        if earlier is None and key.fingerprint:
            earlier = (FormSubmission.objects
                       .filter(user=user, fingerprint=key.fingerprint, result_id__gt="",
                               created_at__gte=timezone.now() - FINGERPRINT_WINDOW)
                       .order_by("-created_at").first())
            same_content = earlier is not None
        if earlier is None:
            try:
                with transaction.atomic():
                    return FormSubmission.objects.create(token=key.token, user=user, fingerprint=key.fingerprint)
            except IntegrityError:  # claimed between our look and our insert (another session's user lock)
                earlier = FormSubmission.objects.filter(token=key.token).first()
    # Someone else's token (never shown to this user) reveals nothing of theirs.
    result = earlier.result if earlier is not None and earlier.user_id == user.pk else None
    raise DuplicateSubmission(result, same_content=same_content)


def remember_submission(submission: FormSubmission | None, result: models.Model) -> None:
    """Record what a claimed post saved, so a repeat of the post can be sent to it."""
    if submission is None:
        return
    submission.result = result
    submission.save(update_fields=["result_type", "result_id"])


def place_new_page(*, parent: Page, page: Page, user: User, submit: bool = True) -> None:
    """Validate a new page, add it under its parent as a draft, and submit it for moderation (or only
    save its first revision). Shared by every front-end-created page type."""
    page.validate_before_submit()
    parent.add_child(instance=page)
    if submit:
        submit_for_moderation(page, user)
    else:
        page.save_revision(user=user)


def _set_ip_items(page: AchievementPage, items: list[IPItemData]) -> None:
    page.ip_items.set([AchievementIPItem(ip_type=i.ip_type, number=i.number, title=i.title) for i in items])


def submit_for_moderation(page: Page, user: User) -> WorkflowState | None:
    """Save the page's current state as a revision and (re)start its moderation workflow."""
    page.save_revision(user=user)
    current = page.current_workflow_state
    if current is not None:
        current.cancel(user=user)
    workflow = page.get_workflow()
    if workflow is None:
        return None
    return workflow.start(page, user)


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
