"""Demo 揭榜挂帅 challenges for load_demo: three open calls (with applications), one awarded and two
given a 科创券 subsidy this year, so the section, the enterprise's view and the challenge_subsidies
target have something real to show. Idempotent by slug; the texts are fixed, the dates follow today.

Decided challenges are records of calls that closed in the past: their pages carry a past deadline,
which the front-end form (rightly) refuses, so they are placed directly here, like the demo listings.
Awards and subsidies go through the real services and are then back-dated to read naturally."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from accounts.models import Membership, Organization, User
from marketplace.challenges import services
from marketplace.challenges.models import ChallengeApplication, ChallengeOutcome, ChallengePage
from marketplace.core.pages import TREE_FIELDS
from marketplace.taxonomy.models import IndustryField

WAN = Decimal(10000)


@dataclass(frozen=True)
class DemoChallenge:
    slug: str
    org: str  # enterprise key in _demo_data.ORGS
    field: str
    title: str
    problem: str
    goals: str
    bounty_wan: int
    applicants: tuple[str, ...]  # academic keys; the first is the winner when decided
    state: str  # open / awarded / subsidized
    days: int  # open: deadline in N days; decided: decided N days ago
    subsidy_wan: int = 0


CHALLENGES = [
    DemoChallenge(
        "demo-challenge-casting", "hongtuo", "aluminium", "大型一体化压铸铝合金车身件缺陷控制技术",
        "公司一体化压铸后地板件尺寸达1.6米，生产中气孔、冷隔缺陷集中，X光检测良品率不足80%，"
        "热处理后变形超差，制约了向新能源整车企业批量供货。",
        "1. 铸件良品率稳定在95%以上；2. 免热处理状态抗拉强度≥300MPa、延伸率≥10%；"
        "3. 12个月内完成中试验证并形成工艺规范。", 300, ("bzu", "ipe"), "open", 60),
    DemoChallenge(
        "demo-challenge-brine-lithium", "haifeng", "marine", "地下卤水提溴尾水中锂资源高效提取技术",
        "提溴后尾水中锂浓度约30mg/L，现有工艺无法经济回收，大量资源随尾水外排，亟需低成本选择性提锂技术。",
        "1. 锂回收率≥85%；2. 碳酸锂产品纯度≥99.5%；3. 吨碳酸锂综合成本低于行业平均水平20%。",
        500, ("ipe", "biat"), "open", 75),
    DemoChallenge(
        "demo-challenge-saline-wheat", "lvyuan", "seed-industry", "盐碱地耐盐小麦品种选育与配套栽培技术",
        "惠民县沿黄盐碱耕地含盐量0.2%–0.4%，现有小麦品种出苗率低、亩产不足300公斤。",
        "1. 选育耐盐小麦新品系2个以上；2. 在含盐量0.3%土壤中亩产达到450公斤；3. 示范推广1000亩。",
        80, ("bzaas", "sdau"), "open", 90),
    DemoChallenge(
        "demo-challenge-dyeing-water", "jinxiu", "eco-environment", "家纺印染废水深度处理与回用技术",
        "印染车间日排废水约3000吨，色度高、难降解有机物多，现有处理后回用率不足30%。",
        "1. 出水COD≤50mg/L，色度≤10倍；2. 回用率≥60%；3. 吨水处理成本不高于3元。",
        150, ("bzu", "biat"), "awarded", 20),
    DemoChallenge(
        "demo-challenge-flow-chemistry", "beihai-chem", "smart-chemicals", "硝化反应连续流微通道工艺安全替代技术",
        "间歇釜式硝化反应放热剧烈、持液量大，属重点监管危险工艺，企业亟需本质安全的连续化替代方案。",
        "1. 在线持液量降低90%以上；2. 收率不低于现有工艺；3. 通过危险与可操作性（HAZOP）分析并完成工业化示范。",
        200, ("ipe", "bzu"), "subsidized", 45, 50),
    DemoChallenge(
        "demo-challenge-beef-cattle", "kangmu", "rural-revitalization", "肉牛高效育肥与粪污资源化利用集成技术",
        "存栏肉牛1.2万头，育肥期长、饲料转化率低，粪污处理压力大。",
        "1. 育肥期缩短30天以上；2. 日增重提高10%；3. 粪污资源化利用率达到95%。",
        100, ("sdau", "bzaas"), "subsidized", 15, 30),
]


def _member(org: Organization, users: dict[str, User]) -> User:
    """The organization's demo member, or the admin when it has none."""
    membership = Membership.objects.filter(organization=org, user__in=users.values()).select_related("user").first()
    return membership.user if membership else users["admin"]


def _publish(page: ChallengePage, owner: User, published: dt.datetime) -> None:
    # Wagtail keeps an existing first_published_at when publishing; it must be in the row beforehand.
    page.first_published_at = published
    page.save(update_fields=["first_published_at"], clean=False)
    # Demo data stands in for content the bureau has already approved.
    page.save_revision(user=owner).publish(user=owner, skip_permission_checks=True)


def load_challenges(orgs: dict[str, Organization], users: dict[str, User]) -> int:
    index = services.ensure_challenge_index()
    fields = {f.slug: f for f in IndustryField.objects.all()}
    bureau = users["bureau"]
    today = timezone.localdate()
    year_start = dt.date(today.year, 1, 1)
    created = 0
    for spec in CHALLENGES:
        if ChallengePage.objects.filter(slug=spec.slug).exists():
            continue
        org = orgs[spec.org]
        owner = _member(org, users)
        if spec.state == "open":
            deadline, decided = today + dt.timedelta(days=spec.days), None
        else:
            # Decided (and subsidized) this year, so the year's target shows them.
            decided = max(year_start, today - dt.timedelta(days=spec.days))
            deadline = decided - dt.timedelta(days=10)
        page = ChallengePage(
            slug=spec.slug, title=spec.title, owner=owner, live=False, organization=org, field=fields[spec.field],
            county=org.county, keywords=",".join(fields[spec.field].terms[:3]), problem=spec.problem,
            goals=spec.goals, bounty=spec.bounty_wan * WAN, application_deadline=deadline,
            contact_name=org.contact_name, contact_phone=org.contact_phone, contact_email=org.contact_email,
            external_id=spec.slug,
        )
        page.clean_fields(exclude=TREE_FIELDS)
        index.add_child(instance=page)
        published = timezone.make_aware(dt.datetime.combine(deadline - dt.timedelta(days=45), dt.time(9, 30)))
        _publish(page, owner, min(published, timezone.now()))
        ChallengeOutcome.objects.get_or_create(challenge=page)
        applications = []
        for n, key in enumerate(spec.applicants):
            academic = orgs[key]
            application = ChallengeApplication(
                challenge=page, organization=academic, submitted_by=_member(academic, users),
                team_lead=f"{academic.contact_name or '项目负责人'}",
                proposed_amount=spec.bounty_wan * WAN * Decimal("0.8") + n * 5 * WAN,
                proposal=f"{academic.name}拟组建专项攻关团队，围绕“{spec.title}”开展联合攻关：先完成小试验证，"
                         f"再与企业共建中试线，分阶段交付考核指标。")
            application.full_clean()
            application.save()
            applications.append(application)
        if decided is not None:
            services.select_application(user=bureau, application=applications[0])
            awarded_at = timezone.make_aware(dt.datetime.combine(decided, dt.time(15, 0)))
            ChallengeOutcome.objects.filter(challenge=page).update(awarded_at=min(awarded_at, timezone.now()))
        if spec.state == "subsidized":
            granted_on = min(today, max(year_start, decided + dt.timedelta(days=7)))
            services.grant_subsidy(user=bureau, challenge=page, amount=spec.subsidy_wan * WAN, granted_on=granted_on)
        created += 1
    return created
