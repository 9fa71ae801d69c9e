"""Celery tasks for match alerts. The logic lives in services; these only give it a queue and retries."""

from celery import shared_task

from jobs.base import RecordedTask

from . import services


@shared_task(base=RecordedTask, name="alerts.notify_new_listing")
def notify_new_listing(page_id: int) -> int:
    """Alerts for a newly published listing; a failure (the search engine down) is retried with backoff and
    recorded for bureau staff. Creating an alert is idempotent, so a retry never alerts anyone twice."""
    return services.alert_new_listing(page_id)


@shared_task(base=RecordedTask, name="alerts.send_digests")
def send_alert_digests() -> int:
    """Run daily by beat: daily digests every day, weekly ones once per ISO week."""
    return services.send_digests()
