"""Builders for deals and agreements tests (also used by tests/agreements and tests/e2e)."""

import itertools
from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organization, User
from marketplace.agreements.services import AgreementTerms, Parties, create_agreement
from marketplace.deals import services, stages
from marketplace.deals.models import Deal
from marketplace.deals.stages import Stage
from tests.factories import county, field, make_org, make_user

_n = itertools.count(1)


def make_agent(**extra) -> User:
    return make_user("agent", **extra)


def terms(**overrides) -> AgreementTerms:
    data = {
        "title": "铝合金电池托盘轻量化技术开发合同",
        "agreement_type": "development",
        "amount": Decimal("300000.00"),
        "signed_on": timezone.localdate(),
        "county": county("bincheng"),
        "field": field("aluminium"),
    }
    data.update(overrides)
    return AgreementTerms(**data)


def agreement(*, signed_on: date, enterprise: Organization, academic: Organization, others=(), **overrides):
    """An agreement entered directly, for metric and dashboard fixtures."""
    return create_agreement(
        terms=terms(signed_on=signed_on, **overrides),
        parties=Parties(enterprises=[enterprise], academics=[academic], others=list(others)),
        created_by=None,
    )


def open_manual_deal(agent: User | None = None, enterprise=None, academic=None) -> Deal:
    agent = agent or make_agent()
    enterprise = enterprise or make_org("enterprise")
    academic = academic if academic is not None else make_org("university")
    return services.open_deal(agent=agent, enterprise=enterprise, academic=academic or None)


def requirements(to_stage: str) -> dict:
    """What a move to `to_stage` must carry, with values that are valid and unique per call."""
    n = next(_n)
    if to_stage == stages.NEEDS_REASON:
        return {"reason": "企业预算调整，暂停合作"}
    if to_stage == stages.NEEDS_AGREEMENT:
        return {"agreement": terms(title=f"技术开发合同{n}")}
    if to_stage == stages.NEEDS_REGISTRATION:
        return {"registration": services.Registration(f"2023371600{n:06d}", Decimal("280000.00"))}
    return {}


def move(deal: Deal, to_stage: str, user: User | None = None, note: str = "", **extra) -> Deal:
    kwargs = {**requirements(to_stage), **extra}
    return services.move_deal(
        deal_id=deal.pk,
        user=user or deal.agent,
        to_stage=to_stage,
        expected_stage=deal.stage,
        expected_version=deal.version,
        note=note,
        **kwargs,
    )


def path_to(stage: str) -> list[str]:
    """The moves from lead that reach `stage` (lost is reached straight from lead)."""
    if stage == Stage.LOST:
        return [Stage.LOST]
    return stages.PIPELINE[1 : stages.PIPELINE.index(stage) + 1]


def deal_at(stage: str, **kwargs) -> Deal:
    deal = open_manual_deal(**kwargs)
    for step in path_to(stage):
        deal = move(deal, step)
    assert deal.stage == stage
    return deal
