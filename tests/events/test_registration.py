"""Registering for events: tickets, the registration window, capacity, the FIFO waiting list,
confirmation e-mails, linked listings, and the organizer's approve/reject/cancel."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from marketplace.events.models import Registration, WhenFull
from marketplace.events.selectors import seats_left, waitlist_position
from marketplace.events.services import registrations
from marketplace.events.services.registrations import RegistrationRefused
from marketplace.events.states import RegistrationStatus as S
from marketplace.listings.models import DemandIndexPage, DemandPage
from tests.factories import demand_data

from .builders import make_event, make_registrant, participant_rows, register

pytestmark = pytest.mark.django_db


def test_free_ticket_confirms_at_once_and_mails_a_confirmation(event_site, organizer, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    event = make_event(organizer=organizer)
    user, org = make_registrant(name="滨州轻量化汽车部件有限公司")
    with django_capture_on_commit_callbacks(execute=True):
        r = register(event, user=user, org=org, people=3, contact_email="boss@example.com")
    assert r.status == S.CONFIRMED
    assert r.participants.count() == 3 and r.seats == 3
    assert len({p.checkin_code for p in r.participants.all()}) == 3
    assert seats_left(event) == 7
    assert [m.to for m in mailoutbox] == [["boss@example.com"]]
    assert "报名成功" in mailoutbox[0].subject
    assert reverse("events:registration", args=[r.pk]) in mailoutbox[0].body


def test_no_mail_when_the_registration_rolls_back(event_site, organizer, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    event = make_event(organizer=organizer, capacity=1, when_full=WhenFull.REFUSE)
    with django_capture_on_commit_callbacks(execute=True):
        register(event)
        with pytest.raises(RegistrationRefused):
            register(event)
    assert len(mailoutbox) == 1  # only the first registrant's confirmation


def test_paid_ticket_waits_for_payment_and_holds_the_seats(event_site, organizer):
    event = make_event(organizer=organizer, price="380.00", capacity=2)
    r = register(event, people=2)
    assert r.status == S.PENDING_PAYMENT
    assert r.total_price == r.unit_price * 2
    assert seats_left(event) == 0


@pytest.mark.parametrize("when,code", [("before", "not_open"), ("after", "closed")])
def test_registering_outside_the_window_is_refused_with_the_reason(when, code, event_site, organizer):
    event = make_event(organizer=organizer)
    now = event.registration_opens_at - dt.timedelta(minutes=1) if when == "before" \
        else event.registration_closes_at + dt.timedelta(seconds=1)
    with pytest.raises(RegistrationRefused) as refused:
        register(event, now=now)
    assert refused.value.code == code
    assert not Registration.objects.filter(event=event).exists()


def test_over_capacity_is_refused_when_the_event_does_not_keep_a_waiting_list(event_site, organizer):
    event = make_event(organizer=organizer, capacity=3, when_full=WhenFull.REFUSE)
    register(event, people=2)
    with pytest.raises(RegistrationRefused) as refused:
        register(event, people=2)
    assert refused.value.code == "full"
    assert "剩余1个" in refused.value.messages[0]
    assert register(event, people=1).status == S.CONFIRMED  # the last seat still goes to someone who fits


def test_waiting_list_fills_freed_seats_first_come_first_served(event_site, organizer, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    event = make_event(organizer=organizer, capacity=2, when_full=WhenFull.WAITLIST)
    first = register(event, people=2)
    b = register(event, people=1)
    c = register(event, people=2)
    d = register(event, people=1)
    assert [x.status for x in (b, c, d)] == [S.WAITLISTED] * 3
    assert [waitlist_position(x) for x in (b, c, d)] == [1, 2, 3]
    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel(user=first.registered_by, registration=first)
    for x in (b, c, d):
        x.refresh_from_db()
    # b fits (1 of 2 seats); c needs 2 with 1 left, so it stays first in line and d may not overtake it.
    assert (b.status, c.status, d.status) == (S.CONFIRMED, S.WAITLISTED, S.WAITLISTED)
    assert waitlist_position(c) == 1
    assert any("报名成功" in m.subject and m.to == [b.contact_email] for m in mailoutbox)
    registrations.cancel(user=b.registered_by, registration=b)
    c.refresh_from_db()
    d.refresh_from_db()
    assert (c.status, d.status) == (S.CONFIRMED, S.WAITLISTED)


def test_nobody_overtakes_the_queue_even_when_a_seat_is_free(event_site, organizer):
    event = make_event(organizer=organizer, capacity=2)
    register(event, people=1)
    big = register(event, people=2)  # does not fit: waits
    small = register(event, people=1)  # would fit the free seat, but big is ahead
    assert (big.status, small.status) == (S.WAITLISTED, S.WAITLISTED)


def test_one_active_registration_per_organization(event_site, organizer):
    event = make_event(organizer=organizer)
    user, org = make_registrant()
    first = register(event, user=user, org=org)
    with pytest.raises(RegistrationRefused) as refused:
        register(event, user=user, org=org)
    assert refused.value.code == "duplicate"
    registrations.cancel(user=user, registration=first)
    assert register(event, user=user, org=org).status == S.CONFIRMED  # after cancelling, again


def test_only_members_register_their_organization(event_site, organizer):
    event = make_event(organizer=organizer)
    _owner, org = make_registrant()
    outsider, _other = make_registrant()
    with pytest.raises(PermissionDenied):
        register(event, user=outsider, org=org)


def test_unpublished_events_take_no_registrations(event_site, organizer):
    event = make_event(organizer=organizer, publish=False)
    with pytest.raises(RegistrationRefused) as refused:
        register(event)
    assert refused.value.code == "not_live"


def _live_demand(org, user):
    index = DemandIndexPage.objects.first() or Page.objects.get(depth=2).add_child(
        instance=DemandIndexPage(title="技术需求", slug="demands"))
    page = DemandPage(owner=user, slug=f"demand-{org.pk}", **demand_data(org))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_registration_links_only_the_organizations_own_listings(event_site, organizer):
    event = make_event(organizer=organizer)
    user, org = make_registrant()
    other_user, other_org = make_registrant()
    mine, theirs = _live_demand(org, user), _live_demand(other_org, other_user)
    with pytest.raises(ValidationError):
        register(event, user=user, org=org, demands=[theirs])
    r = register(event, user=user, org=org, demands=[mine], seeks="电池托盘轻量化")
    assert list(r.demands.all()) == [mine]


def test_organizer_approves_rejects_and_others_may_not(event_site, organizer):
    event = make_event(organizer=organizer, requires_approval=True)
    r1, r2 = register(event), register(event)
    stranger, _org = make_registrant()
    with pytest.raises(PermissionDenied):
        registrations.approve(user=stranger, registration=r1)
    registrations.approve(user=organizer, registration=r1)
    registrations.reject(user=organizer, registration=r2, reason="名额有限")
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert (r1.status, r2.status) == (S.CONFIRMED, S.REJECTED)
    assert r2.log.last().note == "名额有限"


# --- through the web ------------------------------------------------------------------------------

PEOPLE = [{"name": "张伟", "title": "总工程师", "phone": "13800000001", "email": "zhang@example.com"},
          {"name": "李娜"}]


def _form(event, org, people=PEOPLE, **extra):
    data = {"organization": org.pk, "ticket": event.ticket_types.first().pk,
            "contact_email": "a@example.com", "offers": "", "seeks": "铝合金 轻量化",
            **participant_rows(people)}
    data.update(extra)
    return data


def _row_errors(response) -> list[dict]:
    return [dict(form.errors) for form in response.context["participants"].forms]


def test_register_through_the_form_and_land_on_the_ticket_page(client, event_site, organizer):
    event = make_event(organizer=organizer)
    user, org = make_registrant()
    user.display_name, user.phone = "赵敏", "13900000002"
    user.save()
    client.force_login(user)
    page = client.get(reverse("events:register", args=[event.pk]))
    assert page.status_code == 200 and event.title in page.content.decode()
    # The person registering is the first row, filled in; one blank row follows for a colleague.
    rows = page.context["participants"].forms
    assert [row["name"].value() for row in rows] == ["赵敏", None]
    assert rows[0]["phone"].value() == "13900000002" and rows[0]["email"].value() == user.email
    response = client.post(reverse("events:register", args=[event.pk]), _form(event, org), follow=True)
    r = Registration.objects.get(event=event, organization=org)
    assert response.redirect_chain[-1][0] == reverse("events:registration", args=[r.pk])
    assert r.seats == 2
    assert [(p.name, p.title, p.phone, p.email) for p in r.participants.all()] == [
        ("张伟", "总工程师", "13800000001", "zhang@example.com"), ("李娜", "", "", "")]
    html = response.content.decode()
    assert all(p.checkin_code in html for p in r.participants.all())
    assert "data:image/svg+xml;base64," in html  # the QR codes


def test_each_participant_row_is_checked_with_chinese_messages(client, event_site, organizer):
    event = make_event(organizer=organizer)
    user, org = make_registrant()
    client.force_login(user)
    url = reverse("events:register", args=[event.pk])
    bad = client.post(url, _form(event, org, people=[
        {"title": "经理", "phone": "13800000001"},
        {"name": "王五", "phone": "1380000", "email": "not-an-email"},
        {"name": "赵六", "phone": "0543 316 1234"},  # a landline with its area code, spaces dropped
    ]))
    assert bad.status_code == 200
    assert _row_errors(bad) == [
        {"name": ["请填写参会人姓名。"]},
        {"phone": ["请填写11位手机号，或带区号的固定电话（如0543-3161234）。"],
         "email": ["请填写有效的邮箱地址，如 zhang@example.com。"]},
        {}]
    nobody = client.post(url, _form(event, org, people=[{"name": "张伟", "DELETE": True}, {}]))
    assert nobody.context["participants"].non_form_errors() == ["请至少填写一名参会人。"]
    crowd = client.post(url, _form(event, org, people=[{"name": f"参会人{i}"} for i in range(21)]))
    assert crowd.context["participants"].non_form_errors() == ["每个单位最多20人，本次填写了21人。"]
    assert not Registration.objects.filter(event=event).exists()

    event.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    event.registration_opens_at = timezone.now() - dt.timedelta(days=2)
    event.save_revision().publish()
    closed = client.post(url, _form(event, org))
    assert closed.status_code == 200 and "报名已截止" in closed.content.decode()


def test_the_seats_a_registration_takes_are_its_rows(client, event_site, organizer):
    """Each row is one seat: with 2 seats left and no waiting list, 3 rows are refused on the form with
    the count; 2 rows fit. With a waiting list, 3 rows join it."""
    refusing = make_event(organizer=organizer, capacity=3, when_full=WhenFull.REFUSE)
    register(refusing, people=1)
    user, org = make_registrant()
    client.force_login(user)
    url = reverse("events:register", args=[refusing.pk])
    three = [{"name": "甲"}, {"name": "乙"}, {"name": "丙"}]
    page = client.get(url).content.decode()
    assert 'data-formset-count-for="participants" data-limit="2"' in page
    too_many = client.post(url, _form(refusing, org, people=three))
    assert too_many.context["participants"].non_form_errors() == [
        "剩余名额2个，本次填写了3名参会人（每人占1个名额），请减少参会人。"]
    assert client.post(url, _form(refusing, org, people=three[:2])).status_code == 302
    assert Registration.objects.get(event=refusing, organization=org).seats == 2

    queueing = make_event(organizer=organizer, capacity=3, when_full=WhenFull.WAITLIST)
    register(queueing, people=1)
    assert client.post(reverse("events:register", args=[queueing.pk]),
                       _form(queueing, org, people=three)).status_code == 302
    waiting = Registration.objects.get(event=queueing, organization=org)
    assert (waiting.status, waiting.seats) == (S.WAITLISTED, 3)


def test_event_page_shows_tickets_seats_and_the_register_button(client, event_site, organizer):
    event = make_event(organizer=organizer, tickets=[("企业票", "0"), ("VIP", "500")])
    html = client.get(event.url).content.decode()
    assert "企业票" in html and "¥500" in html
    assert reverse("events:register", args=[event.pk]) in html
    assert "剩余 10" in html


def test_registrant_cancels_from_the_ticket_page(client, event_site, organizer):
    event = make_event(organizer=organizer)
    user, org = make_registrant()
    r = register(event, user=user, org=org)
    client.force_login(user)
    client.post(reverse("events:cancel_registration", args=[r.pk]))
    r.refresh_from_db()
    assert r.status == S.CANCELLED


def test_strangers_cannot_see_a_ticket(client, event_site, organizer):
    event = make_event(organizer=organizer)
    r = register(event)
    stranger, _org = make_registrant()
    client.force_login(stranger)
    assert client.get(reverse("events:registration", args=[r.pk])).status_code == 404


def test_the_seats_advertised_agree_with_what_a_registration_gets(client, event_site, organizer):
    """The bug: 3 seats, 2 taken, a 2-person registration waiting; the form said "剩余名额 1 个" and a
    1-person registration was then put on the waiting list (or, with no waiting list any more, refused as
    full). A seat freed while others wait is theirs, so none is advertised to newcomers."""
    event = make_event(organizer=organizer, capacity=3, when_full=WhenFull.WAITLIST)
    register(event, people=2)
    user, org = make_registrant()
    client.force_login(user)
    form = reverse("events:register", args=[event.pk])
    assert "剩余名额 1 个" in client.get(form).content.decode(), "before anyone waits, the free seat is open"
    assert register(event, people=2).status == S.WAITLISTED

    assert "剩余名额 0 个" in client.get(form).content.decode()
    assert "报名候补" in client.get(event.url).content.decode()
    assert register(event, user=user, org=org, people=1).status == S.WAITLISTED

    # The organizer stops the waiting list: the newcomer is refused, with the reason, not "1 left, need 1".
    event.when_full = WhenFull.REFUSE
    event.save_revision(user=organizer).publish()
    with pytest.raises(RegistrationRefused) as refused:
        register(event, people=1)
    assert refused.value.code == "full" and "候补名单" in refused.value.messages[0]


def test_cancelling_asks_for_confirmation_first(client, event_site, organizer):
    event = make_event(organizer=organizer)
    registration = register(event)
    confirm = reverse("events:cancel_registration", args=[registration.pk])
    client.force_login(registration.registered_by)
    ticket = client.get(reverse("events:registration", args=[registration.pk])).content.decode()
    assert f'href="{confirm}"' in ticket, "the ticket page links to the confirmation, it does not cancel"
    page = client.get(confirm)
    assert page.status_code == 200 and "确认取消报名" in page.content.decode()
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED, "opening the confirmation changes nothing"
    assert client.post(confirm, {"reason": "行程冲突"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED

    # The organizer's "取消" in the registrations table goes through the same confirmation.
    other = register(event)
    client.force_login(organizer)
    manage = client.get(reverse("events:manage_event", args=[event.pk])).content.decode()
    organizer_confirm = reverse("events:cancel_registration", args=[other.pk]) + "?next=manage"
    assert organizer_confirm in manage
    assert 'name="next" value="manage"' in client.get(organizer_confirm).content.decode()
    assert client.post(organizer_confirm.split("?")[0], {"next": "manage"}).url == reverse(
        "events:manage_event", args=[event.pk])
