"""Writes for 揭榜挂帅 challenges.

The page's content changes only through the moderation workflow (as for every listing); its run-time
state (award, subsidy, closing) changes only here, through the transitions in states.py, each inside
one transaction that first locks the challenge's outcome row, so two people acting at once serialise."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ACADEMIC_KINDS, Organization, User
from accounts.permissions import can_edit_listing, is_bureau, is_member
from marketplace.core.one_time import SubmissionKey, claim_submission, remember_submission
from marketplace.core.pages import place_new_page, submit_for_moderation
from marketplace.core.sections import ensure_section

from .indexing import reindex_challenge
from .models import ChallengeApplication, ChallengeIndexPage, ChallengeOutcome, ChallengePage
from .selectors import OWNER_KINDS
from .states import APPLICATION_MACHINE, CHALLENGE_MACHINE, ApplicationStatus, ChallengeStatus, InvalidTransition

C = ChallengeStatus
A = ApplicationStatus
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 12  # what the 14-digit, 2-place money columns hold


class ApplicationRefused(ValidationError):
    """An application cannot be accepted (closed, past the deadline, duplicate...): the message says why."""


# --------------------------------------------------------------------------------------------------
# The section and the page

def ensure_challenge_index() -> ChallengeIndexPage:
    """The 揭榜挂帅 section under the home page (created and published once)."""
    return ensure_section(ChallengeIndexPage)


def _check_owner(user: User, organization: Organization) -> None:
    if not (is_bureau(user) or is_member(user, organization)):
        raise PermissionDenied(_("您不是该机构的成员。"))
    if organization.kind not in OWNER_KINDS:
        raise ValidationError({"organization": _("只有企业可以发布揭榜挂帅项目。")})


@transaction.atomic
def create_challenge(*, user: User, data: dict, submission_token: str | SubmissionKey | None = None,
                     submit: bool = True) -> ChallengePage:
    """An enterprise drafts a challenge under the section and submits it for moderation; it is public
    only once bureau staff approve it."""
    _check_owner(user, data["organization"])
    submission = claim_submission(submission_token, user)
    parent = ChallengeIndexPage.objects.first()
    if parent is None:
        raise ValidationError(_("站点尚未建立揭榜挂帅栏目。"))
    page = ChallengePage(owner=user, live=False, slug=f"challenge-{uuid.uuid4().hex[:10]}", **data)
    place_new_page(parent=parent, page=page, user=user, submit=submit)
    ChallengeOutcome.objects.create(challenge=page)
    remember_submission(submission, page)
    return page


@transaction.atomic
def update_challenge(*, user: User, page: ChallengePage, data: dict,
                     submission_token: str | SubmissionKey | None = None) -> ChallengePage:
    """Change a challenge while it is open. The live version stays until the change is approved."""
    if not can_edit_listing(user, page):
        raise PermissionDenied(_("只能编辑本机构的揭榜挂帅项目。"))
    if "organization" in data:
        _check_owner(user, data["organization"])
    # Claimed before the outcome's lock (the order apply() takes them in); refused below, it rolls back.
    submission = claim_submission(submission_token, user)
    outcome = _locked_outcome(page)
    if outcome.status != C.OPEN:
        # Applicants answered the published call; once it is decided its terms stay as they were.
        raise InvalidTransition(_("榜单已%(status)s，不能再修改。") % {"status": C(outcome.status).label})
    draft = page.get_latest_revision_as_object()
    for name, value in data.items():
        setattr(draft, name, value)
    draft.validate_before_submit()
    submit_for_moderation(draft, user)
    remember_submission(submission, page)
    return draft


# --------------------------------------------------------------------------------------------------
# Run-time state

def _locked_outcome(challenge: ChallengePage) -> ChallengeOutcome:
    """The challenge's outcome row, locked for the rest of the transaction (created if a page was
    made in the admin and has none yet)."""
    ChallengeOutcome.objects.get_or_create(challenge_id=challenge.pk)
    return ChallengeOutcome.objects.select_for_update().get(challenge_id=challenge.pk)


def _move(outcome: ChallengeOutcome, target: str) -> None:
    # Saved by the caller with the fields the move sets alongside (winner, subsidy...), after full_clean().
    outcome.status = CHALLENGE_MACHINE.check(outcome.status, target).target


def _move_application(application: ChallengeApplication, target: str, now: dt.datetime) -> None:
    APPLICATION_MACHINE.check(application.status, target)
    application.decided_at = now
    APPLICATION_MACHINE.apply(application, target, also_save=["decided_at"])


def _decline_the_rest(challenge: ChallengePage, now: dt.datetime) -> None:
    for other in challenge.applications.select_for_update().filter(status=A.SUBMITTED):
        _move_application(other, A.NOT_SELECTED, now)


def _check_decider(user: User, challenge: ChallengePage) -> None:
    if not (is_bureau(user) or is_member(user, challenge.organization)):
        raise PermissionDenied(_("只有发榜企业或科技局可以操作。"))


def _money(value, field: str) -> Decimal:
    """Money is Decimal (CNY, 2 places). A float is a programming error, not user input."""
    if isinstance(value, float):
        raise TypeError("money must be Decimal, not float")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("请输入金额数字。")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("请输入金额数字。")})
    if amount < 0:
        raise ValidationError({field: _("金额不能为负数。")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("金额最多保留两位小数。")})
    if amount >= MAX_AMOUNT:
        raise ValidationError({field: _("金额过大。")})
    return amount


@transaction.atomic
def apply(*, user: User, challenge: ChallengePage, organization: Organization, proposal: str, team_lead: str,
          proposed_amount: Decimal, today: dt.date | None = None,
          submission_token: str | SubmissionKey | None = None) -> ChallengeApplication:
    """A university or institute applies (揭榜): only while the challenge is open, on or before its
    deadline, and once per organization."""
    if not is_member(user, organization):
        raise PermissionDenied(_("您不是该单位的成员。"))
    if organization.kind not in ACADEMIC_KINDS:
        raise ApplicationRefused({"organization": _("只有高校或科研院所可以揭榜。")}, code="not_academic")
    amount = _money(proposed_amount, "proposed_amount")
    # Claimed before the challenge's lock, like every create: a repeated post gets the first one's answer.
    submission = claim_submission(submission_token, user)
    outcome = _locked_outcome(challenge)
    challenge = ChallengePage.objects.get(pk=challenge.pk)
    if not challenge.live:
        raise ApplicationRefused(_("该榜单尚未发布。"), code="not_live")
    if outcome.status != C.OPEN:
        raise ApplicationRefused(_("该榜单已%(status)s，不再接受揭榜。") % {"status": C(outcome.status).label},
                                 code="not_open")
    today = today or timezone.localdate()
    if not challenge.accepts_applications_on(today):
        raise ApplicationRefused(_("揭榜已于%(d)s截止。") % {
            "d": challenge.application_deadline.isoformat()}, code="deadline_passed")
    if challenge.applications.filter(organization=organization).exists():
        raise ApplicationRefused(_("本单位已揭榜此项目。"),
                                 code="duplicate")
    application = ChallengeApplication(challenge=challenge, organization=organization, proposal=proposal,
                                       team_lead=team_lead, proposed_amount=amount, submitted_by=user)
    application.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # a parallel post from a colleague won the race
        raise ApplicationRefused(_("本单位已揭榜此项目。"),
                                 code="duplicate") from None
    remember_submission(submission, application)
    return application


@transaction.atomic
def select_application(*, user: User, application: ChallengeApplication) -> ChallengeOutcome:
    """The posting enterprise (or the bureau) chooses the winning application: it is selected, every
    other one is not, and the challenge is awarded."""
    challenge = application.challenge
    _check_decider(user, challenge)
    outcome = _locked_outcome(challenge)
    application = ChallengeApplication.objects.select_for_update().get(pk=application.pk)
    _move(outcome, C.AWARDED)
    now = timezone.now()
    _move_application(application, A.SELECTED, now)
    _decline_the_rest(challenge, now)
    outcome.selected_application = application
    outcome.awarded_at = now
    outcome.awarded_by = user
    outcome.full_clean()
    outcome.save()
    reindex_challenge(challenge.pk, "challenge awarded")  # no longer open: leaves the index
    return outcome


@transaction.atomic
def close_without_award(*, user: User, challenge: ChallengePage, reason: str = "") -> ChallengeOutcome:
    """End an open challenge with no winner; pending applications are not selected."""
    _check_decider(user, challenge)
    outcome = _locked_outcome(challenge)
    _move(outcome, C.CLOSED)
    now = timezone.now()
    _decline_the_rest(challenge, now)
    outcome.closed_at = now
    outcome.close_reason = reason.strip()[:300]
    outcome.full_clean()
    outcome.save()
    reindex_challenge(challenge.pk, "challenge closed")  # no longer open: leaves the index
    return outcome


@transaction.atomic
def grant_subsidy(*, user: User, challenge: ChallengePage, amount: Decimal,
                  granted_on: dt.date) -> ChallengeOutcome:
    """Bureau staff record the 科创券 (innovation voucher) subsidy for an awarded challenge. This is what
    the challenge_subsidies target counts, by the year of ``granted_on``."""
    if not is_bureau(user):
        raise PermissionDenied(_("只有科技局工作人员可以发放科创券补助。"))
    subsidy = _money(amount, "subsidy_amount")
    if not isinstance(granted_on, dt.date) or isinstance(granted_on, dt.datetime):
        raise ValidationError({"subsidy_granted_on": _("请输入有效日期。")})
    outcome = _locked_outcome(challenge)
    _move(outcome, C.SUBSIDIZED)
    outcome.subsidy_amount = subsidy
    outcome.subsidy_granted_on = granted_on
    outcome.subsidy_granted_by = user
    outcome.full_clean()
    outcome.save()
    return outcome
