"""Celery tasks for match alerts. The logic lives in services; these only give it a queue and retries."""

from celery import shared_task

from search.backends import SearchUnavailable

from . import services


@shared_task(autoretry_for=(SearchUnavailable,), retry_backoff=True, retry_backoff_max=600, max_retries=8,
             acks_late=True)
def notify_new_listing(page_id: int) -> int:
    """Alerts for a newly published listing; the search engine being down is retried with backoff."""
    return services.alert_new_listing(page_id)


@shared_task(acks_late=True)
def send_alert_digests() -> int:
    """Run daily by beat: daily digests every day, weekly ones once per ISO week."""
    return services.send_digests()
