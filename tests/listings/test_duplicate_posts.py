"""No duplicates from the listing forms: a form posted twice (double click, Back and submit again, two
posts at the same moment) saves one listing, and the repeat is sent to it with a message; never a 500.

The guard is the form's one-time token, claimed in the same transaction as the write (see
marketplace/core/one_time.py)."""

import uuid

import pytest
from django.db import connection, transaction
from django.test import Client

from marketplace.core.one_time import DuplicateSubmission, SubmissionKey, claim_submission, remember_submission
from marketplace.core.submissions import FormSubmission
from marketplace.listings.models import AchievementPage, DemandIndexPage, DemandPage
from tests.conftest import require_service
from tests.factories import make_org, make_user
from tests.races import post_at_once, redirects

from .test_forms import achievement_post, demand_post

NEW_DEMAND = "/my/listings/new/demand/"


def _follow(client, data, url=NEW_DEMAND):
    return client.post(url, data, follow=True)


@pytest.fixture
def owner_client(client, enterprise_user, enterprise, site):
    client.force_login(enterprise_user)
    return client


# --------------------------------------------------------------------------------------------------
# One after the other (Back and submit again)

@pytest.mark.django_db
def test_back_and_submit_again_with_the_same_token_goes_to_the_first_listing(owner_client, enterprise):
    data = demand_post(enterprise)
    first = owner_client.post(NEW_DEMAND, data)
    again = _follow(owner_client, data)  # the page restored by Back still holds the same token
    assert DemandPage.objects.count() == 1
    assert again.redirect_chain == [(first["Location"], 302)]
    assert "此表单已提交过，未重复保存" in again.content.decode()


@pytest.mark.django_db
def test_a_page_fetched_again_after_back_has_a_new_token_but_the_same_content_is_not_saved_twice(
        owner_client, enterprise):
    data = demand_post(enterprise)
    first = owner_client.post(NEW_DEMAND, data)
    refetched = {**data, "form_token": uuid.uuid4().hex, "csrfmiddlewaretoken": "another"}
    again = _follow(owner_client, refetched)
    assert DemandPage.objects.count() == 1
    assert again.redirect_chain == [(first["Location"], 302)]
    assert "您刚刚已提交过内容相同的表单" in again.content.decode()


@pytest.mark.django_db
def test_a_second_listing_with_different_content_is_a_new_listing(owner_client, enterprise):
    owner_client.post(NEW_DEMAND, demand_post(enterprise))
    other = owner_client.post(NEW_DEMAND, demand_post(enterprise, title="盐碱地土壤改良微生物菌剂需求"))
    assert other.status_code == 302
    assert DemandPage.objects.count() == 2


@pytest.mark.django_db
def test_the_same_content_on_another_form_is_not_a_duplicate(client, site):
    # An enterprise may publish a result and a demand with the same title and organization.
    user = make_user("enterprise")
    org = make_org("enterprise", members=[user])
    client.force_login(user)
    demand = demand_post(org)
    achievement = achievement_post(org, title=demand["title"])
    assert client.post(NEW_DEMAND, demand).status_code == 302
    assert client.post("/my/listings/new/achievement/", achievement).status_code == 302
    assert DemandPage.objects.count() == 1 and AchievementPage.objects.count() == 1


@pytest.mark.django_db
def test_an_edit_posted_twice_makes_one_revision_and_the_repeat_goes_to_my_listings(owner_client, enterprise):
    owner_client.post(NEW_DEMAND, demand_post(enterprise))
    page = DemandPage.objects.get()
    revisions = page.revisions.count()
    edit = {**demand_post(enterprise, title="化工园区有毒气体在线监测（修订）"), "form_token": uuid.uuid4().hex}
    assert owner_client.post(f"/my/listings/{page.pk}/edit/", edit).status_code == 302
    again = owner_client.post(f"/my/listings/{page.pk}/edit/", edit, follow=True)
    assert page.revisions.count() == revisions + 1
    assert again.redirect_chain == [("/my/listings/", 302)]
    assert "此表单已提交过" in again.content.decode()


@pytest.mark.django_db
def test_a_post_that_failed_leaves_its_token_unused(owner_client, enterprise):
    # The service refuses after claiming the token (no index page to put the demand under): the claim
    # rolls back with it, so the same page can be submitted once the problem is fixed.
    index = DemandIndexPage.objects.get()
    parent = index.get_parent()
    index.delete()
    data = demand_post(enterprise)
    refused = owner_client.post(NEW_DEMAND, data)
    assert refused.status_code == 200 and "站点尚未建立该类列表页" in refused.content.decode()
    assert not FormSubmission.objects.filter(token=data["form_token"]).exists()
    parent.add_child(instance=DemandIndexPage(title="技术需求", slug="demands"))
    assert owner_client.post(NEW_DEMAND, data).status_code == 302
    assert DemandPage.objects.count() == 1


@pytest.mark.django_db
def test_someone_elses_token_is_refused_without_showing_their_listing(owner_client, enterprise, client):
    data = demand_post(enterprise)
    owner_client.post(NEW_DEMAND, data)
    colleague = make_user("enterprise")
    enterprise.memberships.create(user=colleague)
    client.force_login(colleague)
    answer = client.post(NEW_DEMAND, {**data, "title": "另一条需求"})
    assert answer.status_code == 200 and "此表单已提交过" in answer.content.decode()
    assert DemandPage.objects.count() == 1


@pytest.mark.django_db
def test_an_overlong_token_is_a_form_error_not_a_500(owner_client, enterprise):
    answer = owner_client.post(NEW_DEMAND, demand_post(enterprise, form_token="x" * 65))
    assert answer.status_code == 200 and "form_token" in answer.context["form"].errors
    assert not DemandPage.objects.exists()


@pytest.mark.django_db
def test_claiming_commits_and_rolls_back_with_the_write(enterprise_user):
    key = SubmissionKey(uuid.uuid4().hex)
    with pytest.raises(RuntimeError), transaction.atomic():
        claim_submission(key, enterprise_user)
        raise RuntimeError("the write failed")
    with transaction.atomic():
        claim = claim_submission(key, enterprise_user)
        remember_submission(claim, enterprise_user)
    with pytest.raises(DuplicateSubmission) as repeated:
        claim_submission(key.token, enterprise_user)  # the plain-string form other callers use
    assert repeated.value.result == enterprise_user
    assert claim_submission(None, enterprise_user) is None and claim_submission("", enterprise_user) is None


# --------------------------------------------------------------------------------------------------
# At the same moment (double click, two tabs), on PostgreSQL

@pytest.fixture
def _postgres(db):
    require_service("PostgreSQL", connection.vendor == "postgresql",
                    "concurrent posts need PostgreSQL; run with DATABASE_URL (services/run_tests.sh)")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_demand_posted_four_times_at_once_is_saved_once(_postgres, site, enterprise_user, enterprise):
    data = demand_post(enterprise)
    answers = post_at_once(enterprise_user, NEW_DEMAND, [data] * 4)
    page = DemandPage.objects.get()
    # Every post, the first and the repeats, ends on the one listing's preview.
    assert redirects(answers) == {f"/my/listings/{page.pk}/preview/"}
    assert FormSubmission.objects.get(token=data["form_token"]).result == page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_edit_posted_twice_at_once_makes_one_revision(_postgres, site, enterprise_user, enterprise):
    owner = Client()
    owner.force_login(enterprise_user)
    owner.post(NEW_DEMAND, demand_post(enterprise))
    page = DemandPage.objects.get()
    revisions = page.revisions.count()
    edit = {**demand_post(enterprise, title="化工园区气体监测（修订）"), "form_token": uuid.uuid4().hex}
    answers = post_at_once(enterprise_user, f"/my/listings/{page.pk}/edit/", [edit, edit])
    assert redirects(answers) == {"/my/listings/"}
    assert page.revisions.count() == revisions + 1
