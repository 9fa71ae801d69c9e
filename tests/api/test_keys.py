"""API keys: stored as a hash, shown once, revoked at once, limited per key; the admins' and bureau's pages."""

import pytest
from django.urls import reverse

from marketplace.api import keys, services
from marketplace.api.models import ApiKey
from tests.factories import make_user

from .conftest import make_partner

pytestmark = pytest.mark.django_db
TARGETS = "/api/v1/targets"


def test_only_a_hash_of_the_key_is_stored(partner_a):
    stored = ApiKey.objects.get(organization=partner_a.org)
    assert partner_a.key.startswith(f"bzk_{stored.prefix}_")
    assert stored.secret_hash == keys.hash_key(partner_a.key) and partner_a.key not in stored.secret_hash
    assert services.authenticate(partner_a.key[:-1] + ("A" if partner_a.key[-1] != "A" else "B")) is None


def test_a_revoked_key_is_refused_on_the_very_next_request(client, partner_a):
    assert client.get(TARGETS, **partner_a.headers()).status_code == 200
    services.revoke_key(user=partner_a.user, key=ApiKey.objects.get(organization=partner_a.org))
    response = client.get(TARGETS, **partner_a.headers())
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_each_use_records_the_time(client, partner_a):
    assert ApiKey.objects.get(organization=partner_a.org).last_used_at is None
    client.get(TARGETS, **partner_a.headers())
    assert ApiKey.objects.get(organization=partner_a.org).last_used_at is not None


def test_a_key_over_its_own_limit_gets_429_and_another_key_does_not(client, site):
    slow = make_partner("限速伙伴", rate_limit=2)
    other = make_partner("另一伙伴", rate_limit=2)
    assert [client.get(TARGETS, **slow.headers()).status_code for _ in range(2)] == [200, 200]
    limited = client.get(TARGETS, **slow.headers())
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert limited["Retry-After"] == "60"
    assert client.get(TARGETS, **other.headers()).status_code == 200


def test_the_site_wide_api_limit_answers_in_the_same_error_format(client, settings, partner_a):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "1/m"}
    client.get(TARGETS, **partner_a.headers())
    response = client.get(TARGETS, **partner_a.headers())
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert response.json()["message_en"]


def test_an_organization_admin_creates_a_key_seen_once_and_revokes_it(client, site):
    admin = make_user("enterprise")
    from tests.factories import make_org

    org = make_org("enterprise", name="滨州丙科技有限公司", members=[admin])
    client.force_login(admin)
    url = reverse("partner_api_keys:list")
    response = client.post(url, {"organization": org.pk, "name": "省技术市场同步", "scopes": ["read", "events"],
                                 "rate_limit": 60})
    assert response.status_code == 302
    key = ApiKey.objects.get(organization=org)
    shown = client.get(url)
    assert shown["Cache-Control"] == "no-store" and key.scopes == ["events", "read"]
    secret = shown.context["created"]["secret"]
    assert secret in shown.content.decode() and keys.matches(secret, key.secret_hash)
    assert secret not in client.get(url).content.decode()  # shown once
    assert client.get(TARGETS, HTTP_X_API_KEY=secret).status_code == 200
    revoked = client.post(reverse("partner_api_keys:revoke", args=[key.pk]))
    assert revoked.status_code == 302
    assert client.get(TARGETS, HTTP_X_API_KEY=secret).status_code == 401


def test_a_plain_member_can_neither_create_nor_revoke_keys(client, partner_a):
    from accounts.models import Membership

    member = make_user("enterprise")
    Membership.objects.create(user=member, organization=partner_a.org, role=Membership.Role.MEMBER)
    client.force_login(member)
    assert client.post(reverse("partner_api_keys:list"), {"organization": partner_a.org.pk, "name": "x",
                                                          "scopes": ["read"], "rate_limit": 10}).status_code == 403
    key = ApiKey.objects.get(organization=partner_a.org)
    assert client.post(reverse("partner_api_keys:revoke", args=[key.pk])).status_code == 403
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


def test_bureau_staff_see_every_key_and_revoke_any(client, partner_a, partner_b, bureau_user):
    client.force_login(bureau_user)
    listing = client.get(reverse("partner_api_admin_keys"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert partner_a.org.name in page and partner_b.org.name in page
    key_b = ApiKey.objects.get(organization=partner_b.org)
    client.post(reverse("partner_api_admin_revoke", args=[key_b.pk]))
    assert ApiKey.objects.get(pk=key_b.pk).revoked_by == bureau_user
    assert client.get(TARGETS, **partner_b.headers()).status_code == 401
    assert client.get(TARGETS, **partner_a.headers()).status_code == 200


@pytest.mark.parametrize("raw", ["", "bzk_", "bzk_12345678_", "xyz_12345678_abc", "bzk_1234567_abc", "bzk_zz\x00_a"])
def test_malformed_keys_are_refused_without_a_lookup(raw):
    assert keys.split_key(raw) is None or services.authenticate(raw) is None
