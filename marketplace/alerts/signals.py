"""Wiring only: a listing published for the first time → the alerts task, after commit.

Connected in AlertsConfig.ready(). Only a first publication is news; approving an edit of a listing that
is already public tells nobody again (and the unique constraint would stop a duplicate anyway)."""

import logging

from django.db import transaction
from wagtail.signals import page_published

from marketplace.listings.models import AchievementPage, DemandPage

logger = logging.getLogger(__name__)


def _dispatch(page_id: int) -> None:
    from .tasks import notify_new_listing

    try:
        notify_new_listing.delay(page_id)
    except Exception:  # the listing is published whatever happens to its alerts; the failure is logged
        logger.exception("could not queue match alerts for listing %s", page_id)


def on_page_published(sender, instance, **kwargs) -> None:
    if not isinstance(instance, (AchievementPage, DemandPage)):
        return
    if instance.first_published_at != instance.last_published_at:
        return  # published before: not a new listing
    page_id = instance.pk
    transaction.on_commit(lambda: _dispatch(page_id), robust=True)


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="alerts.page_published")
