"""The pages: the owner's request form (errors in Chinese), the public page and its JSON (bidders only
as 竞买人N), bids through the form, and the bureau's dashboard with its formula-safe CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from marketplace.transfers import closing, services
from marketplace.transfers.models import TransferListing
from marketplace.transfers.states import L

from .conftest import ending_in, held_bidder

pytestmark = pytest.mark.django_db


def test_the_request_form_explains_bad_terms_in_chinese_and_saves_nothing(world, client):
    client.force_login(world.owner)
    url = reverse("transfers:request", args=[world.achievement.pk])
    response = client.post(url, {"mode": "transfer", "reserve_price": "100000", "bid_increment": "5000",
                                 "deposit_amount": "150000", "window_days": "20", "publicity_days": "5",
                                 "agent": world.agent.pk})
    assert response.status_code == 200
    assert "保证金不能高于挂牌底价" in response.content.decode()
    response = client.post(url, {"mode": "transfer", "reserve_price": "-1", "bid_increment": "",
                                 "deposit_amount": "abc", "window_days": "20", "publicity_days": "5"})
    assert response.status_code == 200 and not TransferListing.objects.exists()
    response = client.post(url, {"mode": "license", "reserve_price": "100000", "bid_increment": "5000",
                                 "deposit_amount": "20000", "window_days": "20", "publicity_days": "5",
                                 "agent": world.agent.pk})
    assert response.status_code == 302
    assert TransferListing.objects.get().state == L.PENDING


def test_the_bureau_returns_a_request_with_a_reason_and_the_owner_resubmits(world, client):
    listing = services.request_listing(user=world.owner, achievement=world.achievement,
                                       data={"mode": "transfer", "reserve_price": Decimal("100000"),
                                             "bid_increment": Decimal("5000"), "deposit_amount": Decimal("20000"),
                                             "agent": world.agent})
    client.force_login(world.bureau)
    client.post(f"/admin/transfers/{listing.pk}/reject/", {"reason": "请补充评估报告"})
    listing.refresh_from_db()
    assert listing.state == L.DRAFT and listing.state_reason == "请补充评估报告"
    client.force_login(world.owner)
    assert "请补充评估报告" in client.get(reverse("transfers:mine")).content.decode()
    response = client.post(reverse("transfers:edit", args=[listing.pk]), {
        "mode": "transfer", "reserve_price": "120000", "bid_increment": "5000", "deposit_amount": "20000",
        "window_days": "20", "publicity_days": "5", "agent": world.agent.pk})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.state == L.PENDING and listing.reserve_price == Decimal("120000")


def test_bids_through_the_page_and_the_json_names_no_bidder(world, client):
    listing = world.listing()
    (u1, o1), (u2, o2) = world.enterprise("滨州某某科技有限公司"), world.enterprise()
    held_bidder(listing, u1, o1)
    held_bidder(listing, u2, o2)
    client.force_login(u1)
    response = client.post(reverse("transfers:bid", args=[listing.pk]), {"amount": "104000"}, follow=True)
    assert "出价须不低于 105000.00 元" in response.content.decode()
    client.post(reverse("transfers:bid", args=[listing.pk]), {"amount": "105000"})
    client.force_login(u2)
    client.post(reverse("transfers:bid", args=[listing.pk]), {"amount": "110000"})
    data = client.get(reverse("transfers:status", args=[listing.pk])).json()
    assert data["current_price"] == "110000.00" and data["minimum_bid"] == "115000.00"
    assert [(b["bidder"], b["amount"]) for b in data["bids"]] == [("竞买人2", "110000.00"), ("竞买人1", "105000.00")]
    page = client.get(reverse("transfers:detail", args=[listing.pk])).content.decode()
    assert "滨州某某科技有限公司" not in page and "竞买人1" in page
    assert "transfer-live.js" in page


def test_dashboard_and_csv_compare_closing_price_with_reserve_and_keep_titles_as_text(world, client, monkeypatch):
    from marketplace.transfers import deposits

    monkeypatch.setattr(deposits, "capture", lambda bidder: None)
    monkeypatch.setattr(deposits, "release", lambda bidder: None)
    world.achievement.title = "=HYPERLINK(\"http://evil\")"
    world.achievement.save()
    listing = world.listing()
    (u1, o1), (u2, o2) = world.enterprise(), world.enterprise()
    held_bidder(listing, u1, o1)
    held_bidder(listing, u2, o2)
    services.place_bid(user=u1, listing=listing, amount=Decimal("105000"))
    services.place_bid(user=u2, listing=listing, amount=Decimal("125000"))
    import datetime as dt

    ending_in(listing, dt.timedelta(seconds=-1))
    closing.run_due()
    client.force_login(world.bureau)
    assert client.get("/admin/transfers/dashboard/").status_code == 200
    response = client.get("/admin/transfers/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r and r[0] == str(listing.pk))
    assert row[1] == "'=HYPERLINK(\"http://evil\")"  # text, not a formula
    # reserve 100,000, closing 125,000: a 25.0 % premium, two bidders, two bids, not negotiated.
    assert row[7:13] == ["100000.00", "2", "2", "125000.00", "25.0", "否"]
    # In publicity, not concluded: the totals by county count nothing yet.
    start = rows.index(["# 按县(市、区)统计的成交"]) + 2
    assert rows[start] == []
