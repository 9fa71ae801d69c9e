"""Who is told about a newly published listing, and that each person is told exactly once."""

from decimal import Decimal

import pytest
from django.core import mail

from marketplace.alerts import services
from marketplace.alerts.models import Alert
from marketplace.listings.models import AchievementPage, DemandPage
from marketplace.taxonomy.models import County, IndustryField
from tests.search.helpers import edit_and_publish

pytestmark = pytest.mark.django_db


def test_a_new_result_alerts_every_member_of_the_enterprise_whose_demand_it_matches(
    new_result, demand, enterprise_user, colleague, university_user, outsider
):
    alerts = Alert.objects.filter(listing=new_result)
    assert {a.user for a in alerts} == {enterprise_user, colleague}, \
        "the demand's organization is told; the publisher's own colleagues and unrelated people are not"
    for alert in alerts:
        assert alert.matched_id == demand.pk
        assert alert.reasons, "an alert says why it matches"


def test_an_alert_carries_the_reasons_the_demand_page_shows(client, new_result, demand, enterprise_user):
    alert = Alert.objects.get(listing=new_result, user=enterprise_user)
    client.force_login(enterprise_user)
    demand_page = client.get(demand.url).content.decode()
    inbox = client.get("/my/alerts/").content.decode()
    assert new_result.title in demand_page
    for reason in alert.reasons:
        assert reason in demand_page, f"{reason!r} is not a reason the demand page gives"
        assert reason in inbox


def test_a_new_demand_alerts_the_university_whose_result_matches_it(
    site, university_user, university, enterprise_user, enterprise, publish_live
):
    result = publish_live(university_user, university, AchievementPage)
    assert not Alert.objects.exists(), "nothing to match yet"
    demand = publish_live(enterprise_user, enterprise, DemandPage)
    alert = Alert.objects.get()
    assert (alert.user, alert.listing_id, alert.matched_id) == (university_user, demand.pk, result.pk)


def test_a_weak_or_unrelated_result_alerts_nobody(new_result, university_user, university, publish_live):
    # Shares only 铝合金 with the demand (TRL 4, over budget, far away): beside the close result already
    # public, the demand's page ranks it below the good-match cut-off.
    publish_live(university_user, university, AchievementPage, title="铝合金门窗型材表面处理技术",
                 keywords="铝型材,表面处理", summary="铝型材阳极氧化与喷涂工艺优化。", trl=4,
                 transfer_modes=["service"], price=Decimal("3000000"), county=County.objects.get(slug="wudi"))
    publish_live(university_user, university, AchievementPage, title="盐碱地耐盐水稻育种技术",
                 keywords="育种,盐碱地", summary="耐盐碱水稻新品种选育与轻简化栽培技术。",
                 field=IndustryField.objects.get(slug="seed-industry"), trl=8, transfer_modes=["assignment"])
    assert set(Alert.objects.values_list("listing_id", flat=True)) == {new_result.pk}


def test_approving_an_edit_of_a_public_result_tells_nobody_again(
    new_result, django_capture_on_commit_callbacks
):
    before = set(Alert.objects.values_list("pk", "user_id"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        edit_and_publish(new_result, summary=new_result.summary + "已在两家企业应用。")
    assert set(Alert.objects.values_list("pk", "user_id")) == before
    assert not any("alerts" in getattr(c, "__module__", "") for c in callbacks), "no alert task for an edit"


def test_running_the_task_again_creates_no_second_alert_and_sends_no_second_mail(
    new_result, enterprise_user, colleague
):
    services.set_frequency(enterprise_user, "immediate")
    Alert.objects.update(mail_state="pending")
    assert services.alert_new_listing(new_result.pk) == 1
    # A retried task, a re-published revision: the same work again.
    assert services.alert_new_listing(new_result.pk) == 0
    assert services.alert_new_listing(new_result.pk) == 0
    assert Alert.objects.filter(listing=new_result).count() == 2
    assert [m.to for m in mail.outbox] == [[enterprise_user.email]]


def test_an_unpublished_listing_alerts_nobody(demand, university_user, university, publish_live):
    result = publish_live(university_user, university, AchievementPage)
    Alert.objects.all().delete()
    result.unpublish()
    assert services.create_alerts(result.pk) == []
    assert not Alert.objects.exists()
