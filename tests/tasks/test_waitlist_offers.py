"""Beat's waiting-list offer sweep: a registration promoted from the waiting list into 待支付 holds the seat for
WAITLIST_OFFER_HOURS; unpaid and with no checkout open after that, the seat passes to the next in the queue."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.events.models import RegistrationLog
from marketplace.events.offers import LAPSED_NOTE, lapse_unanswered_offers
from marketplace.events.services.registrations import cancel
from marketplace.events.states import RegistrationStatus as S
from tests.events.builders import make_event, register
from tests.events.conftest import event_site, organizer  # noqa: F401 - shared fixtures
from tests.payments.conftest import stripe_mock_url, stripe_settings  # noqa: F401 - shared fixtures
from tests.payments.test_payments import _checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_seat(event_site, organizer, settings, stripe_settings):  # noqa: F811
    settings.WAITLIST_OFFER_HOURS = 48
    return make_event(organizer=organizer, price="200", capacity=1)


def _promote_second(event, django_capture_on_commit_callbacks):
    first, second, third = register(event), register(event), register(event)
    assert (first.status, second.status, third.status) == (S.PENDING_PAYMENT, S.WAITLISTED, S.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        cancel(user=first.registered_by, registration=first)
    second.refresh_from_db()
    assert second.status == S.PENDING_PAYMENT, "the head of the queue is offered the freed seat"
    return second, third


def test_an_unpaid_offer_lapses_after_the_window_and_the_seat_passes_on(one_seat, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    second, third = _promote_second(one_seat, django_capture_on_commit_callbacks)
    [offer_mail] = [m for m in mail.outbox if second.contact_email in m.to]
    assert "前完成支付，逾期名额将顺延给下一位候补" in offer_mail.body, "the offer mail says it has a deadline"
    promoted_at = RegistrationLog.objects.get(registration=second, to_status=S.PENDING_PAYMENT).at

    assert lapse_unanswered_offers(now=promoted_at + dt.timedelta(hours=47)) == 0, "still within 48 hours"
    second.refresh_from_db()
    assert second.status == S.PENDING_PAYMENT

    assert lapse_unanswered_offers(now=promoted_at + dt.timedelta(hours=49)) == 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.CANCELLED
    assert second.log.last().note == LAPSED_NOTE
    assert third.status == S.PENDING_PAYMENT, "the next in the queue gets the seat"
    third_promoted_at = RegistrationLog.objects.get(registration=third, to_status=S.PENDING_PAYMENT).at
    assert lapse_unanswered_offers(now=third_promoted_at + dt.timedelta(hours=47)) == 0, \
        "the new offer has its own 48 hours"


def test_an_offer_with_an_open_checkout_is_left_to_the_checkouts_expiry(one_seat,
                                                                          django_capture_on_commit_callbacks):
    second, third = _promote_second(one_seat, django_capture_on_commit_callbacks)
    payment = _checkout(second)
    promoted_at = RegistrationLog.objects.get(registration=second, to_status=S.PENDING_PAYMENT).at
    later = promoted_at + dt.timedelta(hours=49)
    assert payment.expires_at > timezone.now()
    type(payment).objects.filter(pk=payment.pk).update(expires_at=later + dt.timedelta(hours=1))
    assert lapse_unanswered_offers(now=later) == 0
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (S.PENDING_PAYMENT, S.WAITLISTED)


def test_a_registration_that_never_waited_is_not_an_offer(one_seat):
    first = register(one_seat)
    assert lapse_unanswered_offers(now=timezone.now() + dt.timedelta(days=30)) == 0
    first.refresh_from_db()
    assert first.status == S.PENDING_PAYMENT, "the plain checkout's own expiry governs it, not the offer window"
