"""A user edits only their own organization's listings; others' drafts do not exist for them."""

import pytest

from marketplace.listings import services
from marketplace.listings.models import DemandPage
from tests.factories import demand_data, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(site, enterprise_user, enterprise):
    return services.create_listing(user=enterprise_user, model=DemandPage, data=demand_data(enterprise))


@pytest.fixture
def outsider(db):
    user = make_user("enterprise")
    make_org("enterprise", name="另一家企业", members=[user])
    return user


def test_another_organizations_draft_is_404(client, draft, outsider):
    client.force_login(outsider)
    assert client.get(f"/my/listings/{draft.pk}/preview/").status_code == 404


def test_the_owner_can_preview_their_draft(client, draft, enterprise_user):
    client.force_login(enterprise_user)
    response = client.get(f"/my/listings/{draft.pk}/preview/")
    assert response.status_code == 200
    assert draft.title in response.content.decode()


def test_editing_another_organizations_listing_is_403(client, draft, outsider):
    client.force_login(outsider)
    assert client.get(f"/my/listings/{draft.pk}/edit/").status_code == 403
    response = client.post(f"/my/listings/{draft.pk}/edit/", {"title": "篡改"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.get_latest_revision_as_object().title != "篡改"


def test_withdrawing_another_organizations_listing_is_403(client, draft, outsider):
    client.force_login(outsider)
    assert client.post(f"/my/listings/{draft.pk}/withdraw/").status_code == 403


def test_service_refuses_edits_by_non_owners(draft, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.update_listing(user=outsider, page=draft, data={"title": "篡改"})


def test_bureau_staff_may_edit_any_listing(client, draft, bureau_user):
    client.force_login(bureau_user)
    assert client.get(f"/my/listings/{draft.pk}/edit/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    response = client.get(f"/my/listings/{draft.pk}/edit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_enterprise_cannot_post_an_achievement_for_someone_elses_org(site, outsider, university):
    from django.core.exceptions import PermissionDenied

    from marketplace.listings.models import AchievementPage
    from tests.factories import achievement_data

    with pytest.raises(PermissionDenied):
        services.create_listing(user=outsider, model=AchievementPage, data=achievement_data(university))
    assert not AchievementPage.objects.exists()


def test_a_university_cannot_post_a_demand(site, university_user, university):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        services.create_listing(user=university_user, model=DemandPage, data=demand_data(university))
    assert "organization" in err.value.message_dict
    assert not DemandPage.objects.exists()



def test_the_listing_editor_is_404_for_types_it_does_not_edit(client, site, enterprise_user, enterprise):
    """A challenge is edited under /challenges/, not by the listings editor."""
    from tests.challenges.builders import published_challenge

    challenge = published_challenge(enterprise_user, enterprise)
    client.force_login(enterprise_user)
    assert client.get(f"/my/listings/{challenge.pk}/edit/").status_code == 404
