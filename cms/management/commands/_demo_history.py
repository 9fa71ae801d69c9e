"""Demo history for load_demo: who came to the events already held (registrations, and the people
checked in at the desk), and the 2023 work-plan year as the baseline the dashboard compares with (its
events, their attendance and its verified agreements).

Written through the real services with the clock of the day (register's and check_in's `now`), so
registrations, logs and check-ins look exactly as if they had happened then. Idempotent (events by slug,
an event's attendance once, agreements by demo note) and deterministic (seeded random)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from accounts.models import Membership, Organization, User
from marketplace.events.models import EventPage, EventType, Registration
from marketplace.events.services import checkins, registrations
from marketplace.taxonomy.models import County

from ._demo_activity import add_event
from ._demo_data import ORGS, SURNAMES

BASELINE_YEAR = 2023
BASELINE_AGREEMENTS = 36
# The 2023 events the work plan asked for (院士专家论坛, 中科院专家滨州行, 科技特派员 service, 对接会):
# (slug, title, type, (month, day), county slug, venue, meeting grid or None).
EVENTS_2023 = [
    ("demo-event-2023-matchmaking", "2023年滨州市产学研合作对接会（高端化工专场）", EventType.MATCHMAKING, (4, 20),
     "beihai", "北海经济开发区会展中心", (6, 20, 10)),
    ("demo-event-2023-academician-forum", "2023年滨州院士专家论坛·黄河三角洲生态保护", EventType.ACADEMICIAN_FORUM,
     (6, 15), "bincheng", "滨州市会展中心第二报告厅", None),
    ("demo-event-2023-cas-visit", "2023年中科院专家滨州行·轻量化材料", EventType.CAS_VISIT, (9, 7), "zouping",
     "邹平市科技创新中心", None),
    ("demo-event-2023-service", "科技特派员服务活动（无棣县盐碱地农业）", EventType.SERVICE, (10, 26), "wudi",
     "无棣县现代农业示范园", None),
]
GIVEN = "伟芳娜敏静磊洋勇军杰涛明超霞平刚丽强鹏辉晓建文海燕红玉华"
TITLES = ("总经理", "技术总监", "研发部主任", "工程师", "教授", "副研究员", "科技处处长", "博士", "生产厂长")
SHOW_UP = 0.8  # share of registered people who came and were checked in


def load_baseline_events(organizer: User) -> tuple[int, list[EventPage]]:
    counties = {c.slug: c for c in County.objects.all()}
    created, pages = 0, []
    for slug, title, kind, (month, day), county, venue, grid in EVENTS_2023:
        page = EventPage.objects.filter(slug=slug).first()
        if page is None:
            starts = timezone.make_aware(dt.datetime(BASELINE_YEAR, month, day, 9, 0))
            page = add_event(organizer=organizer, slug=slug, title=title, kind=kind, starts=starts,
                             county=counties.get(county), venue=venue, tickets=[("免费参会", "0")], grid=grid)
            created += 1
        pages.append(page)
    return created, pages


def _person(rng: random.Random) -> registrations.ParticipantData:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    title = rng.choice(TITLES)
    return registrations.ParticipantData(name=name, title=title, phone=f"13{rng.randint(100000000, 999999999)}")


def load_attendance(events: list[EventPage], bureau: User) -> int:
    """Six to ten organizations registered for each event already held, most of their people checked in
    during the first hour; a few did not come (their registration stays confirmed, nobody checked in)."""
    demo_orgs = list(Organization.objects.filter(name__in=[o.name for o in ORGS]).order_by("pk"))
    members = {m.organization_id: m.user for m in Membership.objects.select_related("user").order_by("pk")}
    created = 0
    for event in events:
        if event.starts_at >= timezone.now() or Registration.objects.filter(event=event).exists():
            continue
        rng = random.Random(f"{BASELINE_YEAR}:attendance:{event.slug}")
        ticket = event.ticket_types.first()
        guests = rng.sample(demo_orgs, k=min(len(demo_orgs), rng.randint(6, 10)))
        for org in guests:
            registered_on = event.starts_at - dt.timedelta(days=rng.randint(2, 30), hours=rng.randint(0, 8))
            registration = registrations.register(
                user=members.get(org.pk, bureau), event=event, organization=org, ticket=ticket,
                participants=[_person(rng) for _ in range(rng.choice((1, 1, 2, 2, 3)))],
                contact_email=org.contact_email, now=registered_on)
            created += 1
            for participant in registration.participants.order_by("pk"):
                # The last organization to register never came: every held event has its no-shows.
                if org != guests[-1] and rng.random() < SHOW_UP:
                    arrived = event.starts_at + dt.timedelta(minutes=rng.randint(-40, 50))
                    checkins.check_in(user=event.organizer or bureau, participant=participant,
                                            now=min(arrived, timezone.now()))
    return created
