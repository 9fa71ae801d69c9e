"""Reads for match alerts. Never write."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from wagtail.models import Page

from accounts.models import Membership, User

from .frequencies import DEFAULT_FREQUENCY
from .models import Alert, AlertSettings


def frequency_of(user: User) -> str:
    row = AlertSettings.objects.filter(user=user).values_list("frequency", flat=True).first()
    return row or DEFAULT_FREQUENCY


def frequencies_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Every given user's frequency; users who never chose have the default."""
    ids = list(user_ids)
    chosen = dict(AlertSettings.objects.filter(user_id__in=ids).values_list("user_id", "frequency"))
    return {pk: chosen.get(pk, DEFAULT_FREQUENCY) for pk in ids}


def members_of(organization_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active members of each organization (user ids), for deciding who is told about a match."""
    members: dict[int, list[int]] = {}
    rows = (Membership.objects.filter(organization_id__in=list(organization_ids), user__is_active=True)
            .order_by("user_id").values_list("organization_id", "user_id"))
    for org_id, user_id in rows:
        members.setdefault(org_id, []).append(user_id)
    return members


def alerts_for(user: User) -> QuerySet[Alert]:
    """A person's own alerts about listings still public, newest first."""
    return (Alert.objects.filter(user=user, listing__live=True)
            .select_related("listing", "matched"))


def with_pages(alerts: Iterable[Alert]) -> list[Alert]:
    """Attach the specific listing pages (title, organization, url) as ``new`` and ``mine`` in two queries,
    not two per alert."""
    rows = list(alerts)
    ids = {a.listing_id for a in rows} | {a.matched_id for a in rows}
    pages = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific().select_related()}
    for alert in rows:
        alert.new = pages.get(alert.listing_id)
        alert.mine = pages.get(alert.matched_id)
    return rows


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return alerts_for(user).filter(read_at__isnull=True).count()


def personal_data(user: User) -> dict:
    """What the alerts hold about a person, for /accounts/personal-data/."""
    alerts = with_pages(Alert.objects.filter(user=user).order_by("created_at", "pk"))
    return {
        "frequency": frequency_of(user),
        "alerts": [{
            "listing_id": a.listing_id,
            "listing_title": a.new.title if a.new else "",
            "matched_id": a.matched_id,
            "score": a.score,
            "reasons": list(a.reasons),
            "created_at": a.created_at.isoformat(),
            "read_at": a.read_at.isoformat() if a.read_at else None,
            "mail_state": a.mail_state,
        } for a in alerts],
    }
