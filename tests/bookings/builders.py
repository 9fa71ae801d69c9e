"""The people a pilot-base booking concerns, as plain builders: the base's operator, an enterprise that
books a trial run, an agent, another verified enterprise, bureau staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Organization, User
from marketplace.bookings import services
from marketplace.bookings.models import Booking, Equipment
from marketplace.listings.models import PilotBasePage
from tests.cms.builders import publish_listing
from tests.factories import make_user, pilot_base_data
from tests.inquiries.builders import PASSWORD, verified_org


@dataclass
class World:
    operator: User  # member of the organization that runs the base
    operator_org: Organization
    asker: User  # member of the enterprise that books
    enterprise: Organization
    agent: User
    outsider: User  # member of another verified enterprise
    bureau: User
    base: PilotBasePage
    press: Equipment  # 500吨挤压机
    furnace: Equipment  # 真空熔炼炉

    def user(self, role: str) -> User | None:
        return {"operator": self.operator, "enterprise": self.asker, "agent": self.agent,
                "outsider": self.outsider, "bureau": self.bureau, "anonymous": None}[role]


def world() -> World:
    operator = make_user("enterprise", email="ops@alu-pilot.example.com", password=PASSWORD)
    operator_org = verified_org("pilot_base_operator", operator, name="滨州铝基新材料中试基地有限公司")
    asker = make_user("enterprise", email="rd@lightcar.example.com", password=PASSWORD)
    enterprise = verified_org("enterprise", asker, name="滨州轻量化汽车部件有限公司")
    outsider = make_user("enterprise")
    verified_org("enterprise", outsider, name="邹平铝业有限公司")
    base = publish_listing(PilotBasePage, pilot_base_data(operator_org))
    press, furnace = services.equipment_for(base)
    return World(operator=operator, operator_org=operator_org, asker=asker, enterprise=enterprise,
                 agent=make_user("agent"), outsider=outsider, bureau=make_user("bureau"), base=base,
                 press=press, furnace=furnace)


def soon(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def request(w: World, *, equipment: Equipment | None = None, start: int = 10, end: int = 12, **extra) -> Booking:
    """A request `start`..`end` days from today."""
    return services.request_booking(user=w.asker, base=w.base, enterprise=w.enterprise,
                                    equipment=equipment or w.press, start_date=soon(start), end_date=soon(end),
                                    material=extra.pop("material", "6061铝合金棒材"),
                                    quantity=extra.pop("quantity", "2吨"), **extra)


def move_into_the_past(booking: Booking, days: int = 3) -> Booking:
    """Trial runs are marked done only once begun: shift a booking's dates so it started `days` ago."""
    length = booking.end_date - booking.start_date
    start = timezone.localdate() - timedelta(days=days)
    Booking.objects.filter(pk=booking.pk).update(start_date=start, end_date=start + length)
    booking.refresh_from_db()
    return booking
