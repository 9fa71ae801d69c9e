"""Writes for match alerts: making them when a listing is first published, mailing them (immediately or
in digests), reading them, the person's frequency and the one-click unsubscribe.

Exactly once per (person, new listing): rows are inserted with ON CONFLICT DO NOTHING against the unique
constraint, and each e-mail is claimed by a conditional UPDATE (pending → sent) before it is sent, so a
re-published listing, a retried task or two tasks at once neither duplicate an alert nor mail it twice."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Page

from accounts.models import User
from marketplace.listings.models import AchievementPage, DemandPage, ListingPage
from search import matching
from search import services as search_services

from . import emails, selectors
from .frequencies import (
    DIGEST_FREQUENCIES,
    MAIL_MACHINE,
    Frequency,
    MailState,
    digest_period,
    initial_mail_state,
)
from .models import Alert, AlertDigest, AlertSettings

logger = logging.getLogger(__name__)


def _new_listing(page_id: int) -> ListingPage | None:
    page = Page.objects.live().filter(pk=page_id).specific().first()
    if not isinstance(page, (AchievementPage, DemandPage)) or page.is_expired:
        return None
    return page


def _pairs_as_demand_pages_show_them(page: ListingPage) -> list[tuple[ListingPage, matching.Match]]:
    """(the other side's listing, the match as the demand's page shows it) for every pair that clears
    the good-match cut-off there (matching.is_strong). A new demand: its own page's strong matches. A new
    result: every open demand it is a candidate for, kept only where that demand's page would show the
    result among its good matches — so the score and the reasons are exactly the page's."""
    if isinstance(page, DemandPage):
        return [(m.page, m) for m in matching.match_demand(page, top=matching.MAX_TOP) if m.strong]
    pairs = []
    for candidate in matching.match_achievement(page, top=matching.MAX_TOP):
        seen = next((m for m in matching.match_demand(candidate.page, top=matching.MAX_TOP)
                     if m.page.pk == page.pk), None)
        if seen is not None and seen.strong:
            pairs.append((candidate.page, seen))
    return pairs


def create_alerts(page_id: int) -> list[Alert]:
    """Alert the members of every organization whose public listing matches the newly published one.
    Each person gets one alert, about their organization's best match. Returns the listing's alerts
    (new or already there). Raises search.backends.SearchUnavailable when the engine is down (the task
    retries)."""
    page = _new_listing(page_id)
    if page is None:
        return []
    # The demands' side of the question searches the results' index: make sure the new one is in it
    # (the outbox push runs after the same commit, possibly later; pushing twice is harmless).
    search_services.sync_pages([page.pk])
    pairs = _pairs_as_demand_pages_show_them(page)
    members = selectors.members_of({theirs.organization_id for theirs, _m in pairs})
    best: dict[int, tuple[ListingPage, matching.Match]] = {}
    for theirs, match in sorted(pairs, key=lambda pair: -pair[1].score):
        if theirs.organization_id == page.organization_id:
            continue  # the publisher's own colleagues are not told about their own listing
        for user_id in members.get(theirs.organization_id, []):
            best.setdefault(user_id, (theirs, match))
    frequencies = selectors.frequencies_of(best)
    Alert.objects.bulk_create([
        Alert(user_id=user_id, listing=page, matched=theirs, score=round(match.score, 4),
              reasons=[str(r) for r in match.reasons], mail_state=initial_mail_state(frequencies[user_id]))
        for user_id, (theirs, match) in best.items()
    ], ignore_conflicts=True)
    return list(Alert.objects.filter(listing=page))


def move_mail_state(alerts: QuerySet[Alert], source: str, target: str, **fields) -> int:
    """The one way an alert's e-mail state changes: a conditional UPDATE along an edge of
    frequencies.MAIL_MACHINE (rows no longer in ``source`` are left alone). Returns rows moved.
    A move off the table is a programming error: TransitionRefused, before any row is touched."""
    MAIL_MACHINE.check(source, target)
    return alerts.filter(mail_state=source).update(mail_state=target, **fields)


def _claim(alert_ids: Sequence[int], now: datetime) -> int:
    return move_mail_state(Alert.objects.filter(pk__in=alert_ids), MailState.PENDING, MailState.SENT, mailed_at=now)


def _release(alert_ids: Sequence[int]) -> None:
    move_mail_state(Alert.objects.filter(pk__in=alert_ids), MailState.SENT, MailState.PENDING,
                    mailed_at=None, digest=None)


def send_immediate(page_id: int) -> int:
    """Mail each pending alert about this listing whose person chose immediate e-mail. Returns mails sent."""
    pending = (Alert.objects.filter(listing_id=page_id, mail_state=MailState.PENDING, user__is_active=True)
               .exclude(user__email="").select_related("user", "listing", "matched"))
    frequencies = selectors.frequencies_of({a.user_id for a in pending})
    sent = 0
    for alert in pending:
        if frequencies[alert.user_id] != Frequency.IMMEDIATE:
            continue
        if not _claim([alert.pk], timezone.now()):
            continue  # another task mailed it a moment ago
        try:
            emails.build_message(alert.user, [alert], digest=False).send()
        except Exception:
            _release([alert.pk])  # the retry mails it
            raise
        sent += 1
    return sent


def alert_new_listing(page_id: int) -> int:
    """What the task does for a newly published listing: make the alerts, mail the immediate ones."""
    create_alerts(page_id)
    return send_immediate(page_id)


def _send_digest(user_id: int, now: datetime) -> bool:
    with transaction.atomic():
        AlertSettings.objects.get_or_create(user_id=user_id)
        # One runner per person at a time: a second one waits here, then finds the digest already made.
        prefs = AlertSettings.objects.select_for_update().select_related("user").get(user_id=user_id)
        if prefs.frequency not in DIGEST_FREQUENCIES or not prefs.user.is_active or not prefs.user.email:
            return False
        period = digest_period(prefs.frequency, now)
        if AlertDigest.objects.filter(user_id=user_id, period=period).exists():
            return False
        alerts = list(Alert.objects.filter(user_id=user_id, mail_state=MailState.PENDING, listing__live=True)
                      .select_related("listing", "matched").order_by("-score", "pk"))
        if not alerts:
            return False
        digest = AlertDigest.objects.create(user_id=user_id, period=period, sent_at=now, alert_count=len(alerts))
        move_mail_state(Alert.objects.filter(pk__in=[a.pk for a in alerts]), MailState.PENDING, MailState.SENT,
                        mailed_at=now, digest=digest)
        # Sent inside the transaction: if the mail server refuses, nothing is marked and the next run
        # sends it.
        emails.build_message(prefs.user, alerts, digest=True).send()
    return True


def send_digests(now: datetime | None = None) -> int:
    """One e-mail per person per period (day or ISO week) with their alerts not mailed yet. Returns
    e-mails sent. Safe to run as often as wanted: a period's digest is sent once."""
    now = now or timezone.now()
    user_ids = (Alert.objects.filter(mail_state=MailState.PENDING).order_by("user_id")
                .values_list("user_id", flat=True).distinct())
    sent = 0
    for user_id in list(user_ids):
        try:
            sent += _send_digest(user_id, now)
        except Exception:  # one person's refused address must not hold back everyone else's digest
            logger.exception("alert digest for user %s failed", user_id)
    return sent


def set_frequency(user: User, frequency: str) -> AlertSettings:
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}")
    with transaction.atomic():
        prefs, _created = AlertSettings.objects.update_or_create(user=user, defaults={"frequency": frequency})
        if frequency == Frequency.OFF:
            # Turned off means no e-mail at all, not one last digest of what was waiting.
            move_mail_state(Alert.objects.filter(user=user), MailState.PENDING, MailState.SKIPPED)
    return prefs


def unsubscribe(token: str) -> User:
    """Turn e-mail alerts off for the person named in a signed unsubscribe link. Raises
    django.core.signing.BadSignature (or User.DoesNotExist) for a link that is not one of ours."""
    user_id = signing.loads(token, salt=emails.UNSUBSCRIBE_SALT)
    user = User.objects.get(pk=user_id)
    set_frequency(user, Frequency.OFF)
    return user


def user_for_token(token: str) -> User:
    """The person an unsubscribe link names, without changing anything (for the confirmation page)."""
    return User.objects.get(pk=signing.loads(token, salt=emails.UNSUBSCRIBE_SALT))


def mark_read(user: User, alert_id: int) -> bool:
    """Mark one of the person's own alerts read. False when it is not theirs (or does not exist)."""
    alert = Alert.objects.filter(pk=alert_id, user=user).first()
    if alert is None:
        return False
    if alert.read_at is None:
        Alert.objects.filter(pk=alert.pk, read_at__isnull=True).update(read_at=timezone.now())
    return True


def mark_all_read(user: User) -> int:
    return Alert.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
