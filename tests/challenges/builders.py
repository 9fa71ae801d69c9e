"""Builders for challenge tests: plain functions, so a test reads top to bottom."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from accounts.models import Organization, User
from marketplace.challenges import services
from marketplace.challenges.models import ChallengeApplication, ChallengePage
from tests.factories import field, make_org, make_user
from tests.listings.helpers import approve


def challenge_data(org: Organization, **overrides) -> dict:
    data = {
        "title": "高强铝合金一体化压铸件内部缺陷控制技术攻关",
        "organization": org,
        "field": field("aluminium"),
        "county": org.county,
        "keywords": "铝合金,一体化压铸,缺陷控制",
        "problem": "大型一体化压铸车身件存在气孔与冷隔缺陷，良品率不足80%。",
        "goals": "良品率达到95%以上；抗拉强度≥300MPa；12个月内完成中试验证。",
        "bounty": Decimal("1500000.00"),
        "application_deadline": timezone.localdate() + dt.timedelta(days=30),
    }
    data.update(overrides)
    return data


def staff_client(bureau: User | None = None) -> Client:
    client = Client()
    client.force_login(bureau or make_user("bureau"))
    return client


def published_challenge(owner: User, org: Organization, **overrides) -> ChallengePage:
    """A challenge submitted by its enterprise and approved by bureau staff in the Wagtail admin."""
    page = services.create_challenge(user=owner, data=challenge_data(org, **overrides))
    response = approve(staff_client(), page)
    assert response.status_code == 302, "the bureau's approval must go through"
    page.refresh_from_db()
    assert page.live
    return page


def academic(kind: str = "university", name: str | None = None) -> tuple[User, Organization]:
    """A university (or institute) user and their organization."""
    user = make_user("university")
    return user, make_org(kind, name=name, members=[user])


def apply_as(challenge: ChallengePage, user: User, org: Organization, **overrides) -> ChallengeApplication:
    fields = {"proposal": "采用真空辅助压铸与模温分区控制，结合CT无损检测闭环优化工艺。", "team_lead": "王教授",
              "proposed_amount": Decimal("1200000")}
    fields.update(overrides)
    return services.apply(user=user, challenge=challenge, organization=org, **fields)
