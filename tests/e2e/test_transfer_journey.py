"""A whole listed transfer in a real Chromium: the institute lists a result, the bureau approves it, two
enterprises pay their deposits (Stripe's signed webhook, stripe-mock behind the close) and bid, the page
follows the price without reloading, the close publishes the result notice, an objection is raised
and dismissed in the publicity window, and the conclusion opens a deal with an agreement waiting for
verification."""

import datetime as dt
import time
import urllib.request

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.agreements.models import Agreement
from marketplace.transfers.models import BidderRegistration, TransferListing
from marketplace.transfers.states import D, L
from tests.payments.conftest import sign, stripe_event, stripe_mock_url, stripe_settings  # noqa: F401
from tests.transfers.conftest import World

from .conftest import log_in

PASSWORD = "Str0ng-pass!"


def _deliver_hold(base: str, bidder: BidderRegistration) -> None:
    """What Stripe sends once the card is authorised: a signed payment_intent.amount_capturable_updated."""
    payload = stripe_event("payment_intent.amount_capturable_updated", {
        "id": f"pi_journey_{bidder.pk}", "object": "payment_intent", "status": "requires_capture",
        "capture_method": "manual", "currency": "cny", "amount": 2_000_000, "amount_capturable": 2_000_000,
        "metadata": {"transfer_bidder_id": str(bidder.pk)}})
    request = urllib.request.Request(f"{base}/payments/stripe/webhook/", data=payload, method="POST",
                                     headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload)})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 200


def _until(check, what: str, seconds: float = 20) -> None:
    """Poll the database with a deadline (the admin's form answers with a redirect we do not wait on)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _state(listing: TransferListing) -> str:
    return TransferListing.objects.get(pk=listing.pk).state


def _register_and_pay(page, base: str, listing: TransferListing, user) -> BidderRegistration:
    page.goto(f"{base}/transfers/{listing.pk}/")
    page.click("#register-form button[type=submit]")
    page.wait_for_url("https://checkout.stripe.com/**")  # stripe-mock's Checkout address; served below
    bidder = BidderRegistration.objects.get(listing=listing, user=user)
    _deliver_hold(base, bidder)
    bidder.refresh_from_db()
    assert bidder.deposit_state == D.HELD
    page.goto(f"{base}/transfers/{listing.pk}/")
    page.wait_for_selector('[data-deposit="held"]')
    return bidder


def _bid(page, amount: str) -> None:
    page.fill("#bid-form input[name=amount]", amount)
    page.click("#bid-form button[type=submit]")
    page.wait_for_selector(".messages .success")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("stripe_settings")
def test_list_approve_bid_close_notice_objection_deal(live_server, new_page, site):
    base = live_server.url
    world = World()
    (u1, _o1), (u2, o2) = world.enterprise("滨州轻量化汽车部件有限公司"), world.enterprise("邹平铝业科技有限公司")

    owner = new_page()
    log_in(owner, base, world.owner.email, PASSWORD)
    owner.goto(f"{base}/my/listings/")
    owner.click(f'a[href="/transfers/request/{world.achievement.pk}/"]')
    owner.select_option("select[name=mode]", "transfer")
    owner.fill("input[name=reserve_price]", "100000")
    owner.fill("input[name=bid_increment]", "5000")
    owner.fill("input[name=deposit_amount]", "20000")
    owner.select_option("select[name=agent]", str(world.agent.pk))
    owner.fill("textarea[name=terms]", "受让方须在滨州市内实施转化")
    owner.click("#transfer-form button[type=submit]:not([name])")
    owner.wait_for_selector('#my-transfers [data-state="pending"]')
    listing = TransferListing.objects.get(achievement=world.achievement)

    officer = new_page()
    log_in(officer, base, world.bureau.email, PASSWORD)
    officer.goto(f"{base}/admin/transfers/")
    officer.click(f'[data-transfer="{listing.pk}"] button:has-text("批准挂牌")')
    _until(lambda: _state(listing) == L.LISTED, "the approval")
    listing.refresh_from_db()

    first, second = new_page(), new_page()
    for page in (first, second):
        page.route("https://checkout.stripe.com/**", lambda route: route.fulfill(
            status=200, content_type="text/html", body="<p>Stripe Checkout</p>"))
    log_in(first, base, u1.email, PASSWORD)
    log_in(second, base, u2.email, PASSWORD)
    _register_and_pay(first, base, listing, u1)
    _register_and_pay(second, base, listing, u2)

    _bid(first, "105000")
    _bid(second, "110000")
    # The first bidder's page follows without a reload: price and the pseudonymised history.
    expect(first.locator("#current-price")).to_have_text("110000.00", timeout=20_000)
    expect(first.locator("#bid-history tbody tr")).to_have_count(2)
    history = first.inner_text("#bid-history")
    assert "竞买人2" in history and "竞买人1" in history and "邹平铝业" not in history

    # The listing's time runs out; the scheduled close runs (here: its management command).
    TransferListing.objects.filter(pk=listing.pk).update(ends_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("close_transfer_listings")
    listing.refresh_from_db()
    assert listing.state == L.PUBLICITY and listing.final_price == 110000

    first.goto(f"{base}/transfers/{listing.pk}/")
    assert "邹平铝业科技有限公司" in first.inner_text("#notice-winner")
    first.fill("#objection-form textarea[name=text]", "请核实受让方资质")
    first.click("#objection-form button[type=submit]")
    first.wait_for_selector(".messages .success")

    officer.goto(f"{base}/admin/transfers/")
    row = officer.locator("[data-objection]")
    row.locator("select[name=decision]").select_option("dismiss")
    row.locator("input[name=resolution]").fill("经核查，受让方资质合规")
    row.locator("button[type=submit]").click()
    _until(lambda: _state(listing) == L.PUBLICITY, "the objection to be dismissed")

    TransferListing.objects.filter(pk=listing.pk).update(publicity_ends_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("close_transfer_listings")
    listing.refresh_from_db()
    assert listing.state == L.CONCLUDED
    agreement = Agreement.objects.get(deal=listing.deal)
    assert agreement.status == "recorded" and agreement.amount == 110000
    assert {p.organization for p in agreement.party_links.all()} == {o2, world.university}

    broker = new_page()
    log_in(broker, base, world.agent.email, PASSWORD)
    broker.goto(f"{base}/deals/{listing.deal.pk}/")
    assert world.achievement.title in broker.inner_text("main")
