"""Inquiry tasks: the batched new-message digest, sent by beat every half hour (was a cron entry)."""

from celery import shared_task

from jobs.base import RecordedTask


@shared_task(base=RecordedTask, name="inquiries.send_digests")
def send_digests_task() -> int:
    from .services.digests import send_message_digests

    return send_message_digests()
