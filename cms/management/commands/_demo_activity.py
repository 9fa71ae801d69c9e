"""Demo activity for load_demo: matchmaking events, agreements signed across the current year, and an
agent's deals at several stages, so the dashboard, the event pages and the deal board have something
real to show. Idempotent (events by slug, agreements by their demo note, deals by title) and
deterministic (seeded random)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from marketplace.agreements.models import AgreementType
from marketplace.agreements.services import AgreementTerms
from marketplace.deals import services as deal_services
from marketplace.deals.models import Deal
from marketplace.deals.stages import Stage
from marketplace.events.models import EventPage, EventType, TicketType
from marketplace.events.services.creation import ensure_event_index
from marketplace.listings.models import AchievementPage, DemandPage
from marketplace.taxonomy.models import County

# (slug, title, type, days from today, county slug, venue, tickets [(name, price)], meeting grid or None)
EVENTS = [
    ("demo-event-academician-forum", "2026年滨州院士专家论坛·先进铝基材料专场", EventType.ACADEMICIAN_FORUM, -120,
     "zouping", "邹平市科技创新中心报告厅", [("论坛嘉宾票", "0")], None),
    ("demo-event-cas-visit", "中科院专家滨州行·智慧化工与绿色低碳", EventType.CAS_VISIT, -60, "beihai",
     "北海经济开发区会展中心", [("企业代表", "0")], None),
    ("demo-event-service", "科技特派员助农惠民服务活动（惠民县）", EventType.SERVICE, -30, "huimin",
     "惠民县农业科技示范园", [("免费参加", "0")], None),
    ("demo-event-matchmaking", "滨州市产学研合作对接会（新材料与高端装备）", EventType.MATCHMAKING, 21,
     "high-tech-zone", "滨州高新区创新大厦三楼", [("免费参会", "0")], (6, 20, 12)),
    ("demo-event-roadshow", "科技成果路演·医养健康与食品安全", EventType.ROADSHOW, 35, "bincheng",
     "滨州市科技馆多功能厅", [("路演观众", "0"), ("路演项目方", "800")], None),
]


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def add_event(*, organizer: User, slug: str, title: str, kind: str, starts: dt.datetime, county: County | None,
              venue: str, tickets: list[tuple[str, str]], grid: tuple[int, int, int] | None) -> EventPage:
    """One published demo event, open for registration from 40 days before it to the day before."""
    page = EventPage(
        slug=slug, title=title, event_type=kind, owner=organizer, organizer=organizer, live=False,
        summary=f"{title}：组织高校院所专家与企业面对面交流，发布科技成果与技术需求，现场洽谈签约。",
        starts_at=starts, ends_at=starts + dt.timedelta(hours=8), venue=venue, county=county,
        capacity=120, registration_opens_at=starts - dt.timedelta(days=40),
        registration_closes_at=starts - dt.timedelta(days=1),
    )
    if grid:
        page.slot_count, page.slot_minutes, page.table_count = grid
        page.first_slot_at = starts + dt.timedelta(hours=4)
    page.ticket_types = [TicketType(name=name, price=Decimal(price)) for name, price in tickets]
    ensure_event_index().add_child(instance=page)
    page.save_revision(user=organizer).publish()
    return page


def load_events(organizer: User) -> tuple[int, dict[str, EventPage]]:
    counties = {c.slug: c for c in County.objects.all()}
    today = timezone.localdate()
    created, pages = 0, {}
    for slug, title, kind, offset, county, venue, tickets, grid in EVENTS:
        page = EventPage.objects.filter(slug=slug).first()
        if page is None:
            day = today + dt.timedelta(days=offset)
            if offset < 0:
                # Past events stay within this year, so the year's targets show them as held.
                day = max(day, dt.date(today.year, 1, 1))
            starts = _aware(day, 9) if offset > 0 or day < today else timezone.now() - dt.timedelta(hours=1)
            page = add_event(organizer=organizer, slug=slug, title=title, kind=kind, starts=starts,
                             county=counties[county], venue=venue, tickets=tickets, grid=grid)
            created += 1
        pages[slug] = page
    return created, pages


def load_deals(agent: User) -> int:
    """Five deals from demands, each paired with a result of the same field, at different stages."""
    plan = [Stage.LEAD, Stage.CONTACTED, Stage.NEGOTIATING, Stage.NEGOTIATING, Stage.AGREEMENT_SIGNED]
    demands = list(DemandPage.objects.live().select_related("field", "organization").order_by("pk")[:len(plan)])
    created = 0
    for demand, target in zip(demands, plan, strict=False):
        title = f"对接：{demand.title}"
        if Deal.objects.filter(title=title).exists():
            continue
        achievement = AchievementPage.objects.live().filter(field=demand.field).order_by("pk").first()
        deal = deal_services.open_deal(agent=agent, title=title, demand=demand, achievement=achievement,
                                       notes="演示商机 demo deal")
        for stage in [Stage.CONTACTED, Stage.NEGOTIATING, Stage.AGREEMENT_SIGNED]:
            if deal.stage == target:
                break
            extra = {}
            if stage == Stage.AGREEMENT_SIGNED:
                extra["agreement"] = AgreementTerms(
                    title=f"{demand.title}技术开发合同", agreement_type=AgreementType.DEVELOPMENT,
                    amount=Decimal("450000"), signed_on=timezone.localdate(),
                    county=demand.county or County.objects.first(), field=demand.field)
            deal = deal_services.move_deal(deal_id=deal.pk, user=agent, to_stage=stage, expected_stage=deal.stage,
                                           expected_version=deal.version, note="演示推进", **extra)
        created += 1
    return created
