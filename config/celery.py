"""The Celery app. Settings come from Django's (the CELERY_* names in config/settings.py); every installed
app's tasks.py is found by autodiscovery. Without CELERY_BROKER_URL (`make run`) tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("techmarket")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
