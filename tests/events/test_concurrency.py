"""Many organizations register for the last seats at the same moment: capacity is never oversold.
Real PostgreSQL, one connection per thread, the event row locked by SELECT ... FOR UPDATE."""

import threading

import pytest
from django.db import close_old_connections, connection, connections

from marketplace.events.models import Registration, WhenFull
from marketplace.events.selectors import seats_taken
from marketplace.events.services import registrations
from marketplace.events.services.registrations import ParticipantData, RegistrationRefused
from marketplace.events.states import SEAT_HOLDING
from marketplace.events.states import RegistrationStatus as S
from tests.conftest import require_service

from .builders import make_event, make_registrant

# serialized_rollback: the flush after this test must give the next tests back the seeded taxonomy
# and Wagtail's page tree.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 12


@pytest.fixture(autouse=True)
def _postgres_only(db):
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "row locks need PostgreSQL; run with DATABASE_URL (services/postgres.sh start)")


def _race(event, registrants, seats_each: int) -> dict:
    barrier = threading.Barrier(len(registrants))
    results: dict = {}

    def run(key, user, org):
        close_old_connections()
        try:
            barrier.wait(timeout=60)
            results[key] = registrations.register(
                user=user, event=event, organization=org, ticket=event.ticket_types.first(),
                participants=[ParticipantData(name=f"{key}-{i}") for i in range(seats_each)])
        except Exception as error:  # each thread's outcome is inspected below
            results[key] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f"t{i}", user, org))
               for i, (user, org) in enumerate(registrants)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a registration thread hung"
    return results


def test_parallel_registrations_never_oversell(event_site, organizer):
    event = make_event(organizer=organizer, capacity=5, when_full=WhenFull.REFUSE)
    registrants = [make_registrant() for _ in range(THREADS)]
    results = _race(event, registrants, seats_each=1)
    confirmed = [r for r in results.values() if isinstance(r, Registration)]
    refused = [r for r in results.values() if isinstance(r, RegistrationRefused)]
    assert len(confirmed) == 5 and len(refused) == THREADS - 5, results
    assert {e.code for e in refused} == {"full"}
    assert seats_taken(event) == 5
    assert Registration.objects.filter(event=event, status__in=SEAT_HOLDING).count() == 5


def test_parallel_group_registrations_fill_exactly_and_queue_the_rest(event_site, organizer):
    # 12 organizations of 2 people race for 7 seats: at most 3 groups fit (6 seats); the rest wait in line.
    event = make_event(organizer=organizer, capacity=7, when_full=WhenFull.WAITLIST)
    registrants = [make_registrant() for _ in range(THREADS)]
    results = _race(event, registrants, seats_each=2)
    assert all(isinstance(r, Registration) for r in results.values()), results
    statuses = sorted(r.status for r in results.values())
    assert statuses.count(S.CONFIRMED) == 3 and statuses.count(S.WAITLISTED) == THREADS - 3
    assert seats_taken(event) == 6 <= event.capacity
    # The queue is the order in which the lock was won: queue time and insertion order agree.
    queue = Registration.objects.filter(event=event, status=S.WAITLISTED)
    assert list(queue.order_by("waitlisted_at", "pk")) == list(queue.order_by("pk"))
