"""Check-in and cancellation of one registration, at the same moment: whichever holds the registration's row
lock first wins, and the other sees the new status and refuses. A cancelled registration is never checked
in; a checked-in registration is never cancelled. Real PostgreSQL, the second write in its own thread and
connection, blocked on the first one's lock until the first commits."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, connections, transaction

from marketplace.core.states import TransitionRefused
from marketplace.events.models import Participant, Registration
from marketplace.events.services import checkins, registrations
from marketplace.events.states import RegistrationStatus as S
from tests.conftest import require_service

from .builders import make_event, register

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgres_only(db):
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "row locks need PostgreSQL; run with DATABASE_URL (services/postgres.sh start)")


def _start(action) -> tuple[threading.Thread, dict]:
    """Run `action` in a thread with its own database connection; its result or exception lands in the dict."""
    outcome: dict = {}

    def run():
        close_old_connections()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cursor.fetchone()[0]
            outcome["result"] = action()
        except Exception as error:  # inspected by the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _wait_until_blocked_on_a_lock(thread: threading.Thread, outcome: dict, deadline_s: float = 30) -> None:
    """Poll PostgreSQL until the thread's connection waits for a lock held by this one."""
    deadline = time.monotonic() + deadline_s
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # pg_locks is read live (pg_stat_activity would be a snapshot frozen for this transaction).
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid = %s", [outcome.get("pid")])
            if cursor.fetchone()[0]:
                return
            assert thread.is_alive(), "the second write finished without waiting for the first one's lock"
    pytest.fail("the second write never waited for the registration's lock")


@pytest.fixture
def confirmed(event_site, organizer):
    event = make_event(organizer=organizer)
    registration = register(event, people=1)
    assert registration.status == S.CONFIRMED
    return registration


def test_a_check_in_that_waits_for_a_running_cancellation_is_refused(confirmed, organizer):
    participant = confirmed.participants.get()
    with transaction.atomic():
        registrations.cancel(user=confirmed.registered_by, registration=confirmed)  # holds the lock until commit
        thread, outcome = _start(lambda: checkins.check_in(user=organizer, participant=participant))
        _wait_until_blocked_on_a_lock(thread, outcome)
    thread.join(timeout=60)

    assert isinstance(outcome.get("error"), ValidationError), outcome
    assert "不能签到" in outcome["error"].messages[0]
    assert Registration.objects.get(pk=confirmed.pk).status == S.CANCELLED
    assert Participant.objects.get(pk=participant.pk).checked_in_at is None


def test_a_cancellation_that_waits_for_a_running_check_in_is_refused(confirmed, organizer):
    participant = confirmed.participants.get()
    with transaction.atomic():
        checkins.check_in(user=organizer, participant=participant)  # holds the lock until commit
        thread, outcome = _start(lambda: registrations.cancel(user=confirmed.registered_by,
                                                              registration=Registration.objects.get(pk=confirmed.pk)))
        _wait_until_blocked_on_a_lock(thread, outcome)
    thread.join(timeout=60)

    assert isinstance(outcome.get("error"), TransitionRefused), outcome
    registration = Registration.objects.get(pk=confirmed.pk)
    assert registration.status == S.CHECKED_IN and registration.cancelled_at is None
    assert Participant.objects.get(pk=participant.pk).checked_in_at is not None
