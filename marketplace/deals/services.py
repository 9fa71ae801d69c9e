"""Writes for deals: open one (from a match, a demand or by hand), change its parties, and move it
through the pipeline. Every move is checked by stages.MACHINE, locked, and recorded."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ACADEMIC_KINDS, Organization, PlatformRole, User
from accounts.permissions import is_agent, is_bureau
from marketplace.agreements.models import AgreementSource
from marketplace.agreements.services import AgreementTerms, Parties, create_agreement, register_contract
from marketplace.core.one_time import SubmissionKey, claim_submission, remember_submission
from search.services import record_feedback

from . import stages
from .models import Deal, DealOrigin, DealTransition
from .stages import TransitionRefused


class StaleDeal(TransitionRefused):
    """The deal moved since the person loaded it; their move is refused rather than applied twice."""

    def __init__(self) -> None:
        super().__init__(
            _("该商机已被他人更新，请刷新后重试。"),
            code="stale",
        )


def can_open_deals(user: User) -> bool:
    return is_agent(user) or bool(user and user.is_authenticated and user.is_superuser)


def can_work_on(user: User, deal: Deal) -> bool:
    """The deal's agent, its co-agents and bureau staff may move it."""
    if not (user and user.is_authenticated):
        return False
    if is_bureau(user) or deal.agent_id == user.pk:
        return True
    return deal.collaborators.filter(pk=user.pk).exists()


@dataclass
class MatchInfo:
    """What the match engine said about a demand/result pair (a search.matching.Match, copied)."""

    score: float | None
    reasons: list[str]
    shared_terms: list[str]

    @classmethod
    def from_match(cls, match) -> "MatchInfo":
        return cls(
            score=float(match.score),
            reasons=[str(r) for r in match.reasons],
            shared_terms=[str(t) for t in getattr(match, "shared_terms", [])],
        )


def _academic_of(achievement) -> Organization | None:
    org = achievement.organization if achievement is not None else None
    return org if org is not None and org.kind in ACADEMIC_KINDS else None


@transaction.atomic
def open_deal(
    *,
    agent: User,
    title: str = "",
    enterprise: Organization | None = None,
    academic: Organization | None = None,
    pilot_base=None,
    demand=None,
    achievement=None,
    match: MatchInfo | None = None,
    notes: str = "",
    commission: Decimal | None = None,
    collaborators: Sequence[User] = (),
    submission_token: str | SubmissionKey | None = None,
    conversation=None,
) -> Deal:
    """Open a deal. From a match (demand + achievement, with the engine's reasons), from a demand
    alone (the enterprise is the demand's owner), or by hand (parties named directly). A repeated
    post of the same form raises DuplicateSubmission carrying the deal the first post opened."""
    if not can_open_deals(agent):
        raise PermissionDenied(_("只有技术经纪人可以创建商机。"))
    if conversation is not None and conversation.agent_id != agent.pk:
        raise PermissionDenied(_("只有受邀参与洽谈的技术经纪人可以由该洽谈发起商机。"))
    submission = claim_submission(submission_token, agent)
    if demand is not None:
        enterprise = enterprise or demand.organization
    if achievement is not None:
        academic = academic or _academic_of(achievement)
    if demand is not None and achievement is not None:
        origin = DealOrigin.MATCH
    elif demand is not None:
        origin = DealOrigin.DEMAND
    else:
        origin = DealOrigin.MANUAL
    if not title:
        title = " × ".join(p.title for p in (demand, achievement) if p is not None) or (
            f"{enterprise} × {academic}" if enterprise and academic else str(enterprise or "")
        )
    if enterprise is None:
        raise ValidationError({"enterprise": _("请指定企业方。")})
    deal = Deal(
        title=title[:200],
        origin=origin,
        agent=agent,
        enterprise=enterprise,
        academic=academic,
        pilot_base=pilot_base,
        demand=demand,
        achievement=achievement,
        notes=notes,
        commission=commission,
        conversation=conversation,
    )
    if match is not None:
        deal.match_score, deal.match_reasons, deal.match_shared_terms = (
            match.score,
            match.reasons,
            match.shared_terms,
        )
    deal.full_clean()
    deal.save()
    if origin == DealOrigin.MATCH:
        # The pair's outcome feeds the matcher's ranking and match_eval's report.
        record_feedback(demand_id=demand.pk, result_id=achievement.pk, verdict="deal", user=agent)
    if collaborators:
        deal.collaborators.set(
            [u for u in collaborators if u.role == PlatformRole.AGENT and u.pk != agent.pk]
        )
    remember_submission(submission, deal)
    return deal


@transaction.atomic
def update_deal(*, user: User, deal: Deal, data: dict) -> Deal:
    """Change a deal's parties, notes or commission (not its stage: that is move_deal's job)."""
    editable = {"title", "academic", "pilot_base", "notes", "commission"}
    locked = Deal.objects.select_for_update().get(pk=deal.pk)
    if not can_work_on(user, locked):
        raise PermissionDenied(_("您不是该商机的经纪人。"))
    if locked.is_finished:
        raise ValidationError(_("商机已结束，不能再修改。"))
    for name, value in data.items():
        if name not in editable:
            raise ValueError(f"{name} is not editable here")
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def adopt_match(*, user: User, deal: Deal, achievement, match: MatchInfo | None) -> Deal:
    """A demand-only deal takes a suggested result: the result, its institute and the match reasons."""
    locked = Deal.objects.select_for_update().get(pk=deal.pk)
    if not can_work_on(user, locked):
        raise PermissionDenied(_("您不是该商机的经纪人。"))
    if not locked.has_only_demand:
        raise ValidationError(
            _("该商机已关联科技成果或已结束。")
        )
    locked.achievement = achievement
    locked.academic = locked.academic or _academic_of(achievement)
    if match is not None:
        locked.match_score, locked.match_reasons, locked.match_shared_terms = (
            match.score,
            match.reasons,
            match.shared_terms,
        )
    locked.full_clean()
    locked.save()
    return locked


@dataclass
class Registration:
    number: str
    amount: Decimal | None


@transaction.atomic
def move_deal(
    *,
    deal_id: int,
    user: User,
    to_stage: str,
    expected_stage: str,
    expected_version: int,
    note: str = "",
    reason: str = "",
    agreement: AgreementTerms | None = None,
    registration: Registration | None = None,
) -> Deal:
    """Move a deal one step. `expected_stage`/`expected_version` are what the person saw: if the deal
    has moved since, the move is refused (StaleDeal) instead of skipping or repeating a stage.

    The row is locked (SELECT ... FOR UPDATE) for the whole move, so two people moving the same deal
    are serialised; the second then sees the new version and is told to refresh."""
    deal = Deal.objects.select_for_update().get(pk=deal_id)
    if not can_work_on(user, deal):
        raise PermissionDenied(_("您不是该商机的经纪人。"))
    if deal.version != expected_version or deal.stage != expected_stage:
        raise StaleDeal()
    from_stage = deal.stage
    stages.MACHINE.check(from_stage, to_stage)

    if to_stage == stages.NEEDS_REASON:
        if not (reason or "").strip():
            raise ValidationError({"reason": _("请填写流失原因。")})
        deal.lost_reason = reason.strip()
    elif to_stage == stages.NEEDS_AGREEMENT:
        _sign(deal, user, agreement)
    elif to_stage == stages.NEEDS_REGISTRATION:
        _register(deal, registration)

    # The conditional update is the optimistic check itself; with the row lock it cannot miss, but it
    # keeps the guarantee on databases without row locks (SQLite serialises writers instead).
    updated = Deal.objects.filter(pk=deal.pk, version=expected_version, stage=from_stage).update(
        stage=to_stage, version=F("version") + 1, lost_reason=deal.lost_reason, updated_at=timezone.now()
    )
    if updated != 1:
        raise StaleDeal()
    DealTransition.objects.create(
        deal=deal, from_stage=from_stage, to_stage=to_stage, by=user, note=(note or "").strip()
    )
    deal.refresh_from_db()
    return deal


def _sign(deal: Deal, user: User, terms: AgreementTerms | None) -> None:
    """Reaching agreement_signed records the Agreement, in the same transaction as the move."""
    if terms is None:
        raise ValidationError(_("请填写所签协议的信息。"))
    if deal.academic is None:
        raise ValidationError(
            {
                "academic": _(
                    "签约前请先补充高校院所一方。"
                )
            }
        )
    others = [deal.pilot_base.organization] if deal.pilot_base_id else []
    create_agreement(
        terms=terms,
        parties=Parties(enterprises=[deal.enterprise], academics=[deal.academic], others=others),
        created_by=user,
        source=AgreementSource.DEAL,
        deal=deal,
    )


def _register(deal: Deal, registration: Registration | None) -> None:
    agreement = getattr(deal, "agreement", None)
    if agreement is None:
        raise TransitionRefused(
            _("该商机没有已签署的协议，无法登记合同。")
        )
    if registration is None or not registration.number.strip():
        if agreement.is_registered:
            return  # registered when it was signed
        raise ValidationError(
            {"registration_number": _("请填写技术合同登记号。")}
        )
    register_contract(
        agreement=agreement, registration_number=registration.number, registered_amount=registration.amount
    )
