"""The jobs app's tasks, where Celery's autodiscovery looks: the e-mail task lives beside its backend."""

from .mail import send_email

__all__ = ["send_email"]
