"""Owners submit through front-end forms; only revisions approved by bureau staff are public."""

import pytest
from django.test import Client

from marketplace.listings import selectors, services
from marketplace.listings.models import AchievementPage, DemandPage
from tests.factories import achievement_data, demand_data

from .helpers import approve, reject

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(bureau_user):
    client = Client()
    client.force_login(bureau_user)
    return client


def test_a_submitted_listing_is_private_until_approved(site, enterprise_user, enterprise, staff_client, client):
    page = services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))
    page.refresh_from_db()
    assert not page.live
    assert selectors.moderation_status(page)["code"] == "in_review"
    assert client.get(page.url or f"/demands/{page.slug}/").status_code == 404
    assert page not in selectors.public_listings(DemandPage)

    response = approve(staff_client, page, comment="内容完整，同意发布")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert selectors.moderation_status(page)["code"] == "published"
    public = client.get(page.url)
    assert public.status_code == 200
    assert "电池托盘" in public.content.decode()


def test_rejection_carries_the_reviewers_comment_to_the_owner(site, enterprise_user, enterprise, staff_client):
    page = services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))
    reject(staff_client, page, comment="请补充预算依据")
    page.refresh_from_db()
    status = selectors.moderation_status(page)
    assert status["code"] == "rejected"
    assert status["comment"] == "请补充预算依据"
    assert not page.live


def test_an_edit_to_a_live_listing_waits_for_approval(site, university_user, university, staff_client, client):
    page = services.create_listing(user=university_user, model=AchievementPage, data=achievement_data(university))
    approve(staff_client, page)
    page.refresh_from_db()
    old_title = page.title

    services.update_listing(user=university_user, page=page, data={"title": "改进版：铝合金一体化压铸技术"})
    page.refresh_from_db()
    assert page.title == old_title, "the live title must not change before approval"
    assert "改进版" not in client.get(page.url).content.decode()
    assert selectors.moderation_status(page)["code"] == "in_review"

    approve(staff_client, page)
    page.refresh_from_db()
    assert page.title == "改进版：铝合金一体化压铸技术"
    assert "改进版" in client.get(page.url).content.decode()


def test_resubmitting_after_rejection_starts_a_new_review(site, enterprise_user, enterprise, staff_client):
    page = services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))
    reject(staff_client, page, comment="标题过于笼统")
    services.update_listing(user=enterprise_user, page=page, data={"title": "电池托盘搅拌摩擦焊工艺需求"})
    page.refresh_from_db()
    assert selectors.moderation_status(page)["code"] == "in_review"
    approve(staff_client, page)
    page.refresh_from_db()
    assert page.live and page.title == "电池托盘搅拌摩擦焊工艺需求"


def test_withdrawing_takes_a_listing_off_the_site(site, enterprise_user, enterprise, staff_client, client):
    page = services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))
    approve(staff_client, page)
    page.refresh_from_db()
    url = page.url
    services.withdraw_listing(user=enterprise_user, page=page)
    assert client.get(url).status_code == 404
    page.refresh_from_db()
    assert selectors.moderation_status(page)["code"] == "withdrawn"


def test_my_listings_shows_each_listings_state(site, enterprise_user, enterprise, staff_client, client):
    published = services.create_listing(user=enterprise_user, model=DemandPage,
                                        data=demand_data(enterprise, title="已发布的需求"))
    approve(staff_client, published)
    rejected = services.create_listing(user=enterprise_user, model=DemandPage,
                                       data=demand_data(enterprise, title="被退回的需求"))
    reject(staff_client, rejected, comment="缺少联系人")
    services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise, title="审核中的需求"))

    client.force_login(enterprise_user)
    rows = client.get("/my/listings/").context["rows"]
    states = {row["page"].title: row["status"]["code"] for row in rows}
    assert states == {"已发布的需求": "published", "被退回的需求": "rejected", "审核中的需求": "in_review"}
