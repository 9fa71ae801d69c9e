"""/healthz and /metrics: what a load balancer and Prometheus ask.

/healthz checks each part the site needs and answers 200 when all are up, else 503; the JSON names every part
with ok and a detail, so the failing one is plain. Without a broker (`make run`) tasks run in-process: the
broker and worker parts then say so and count as up.

/metrics is Prometheus' text format, for loopback scrapers and bureau staff only (it tells how busy the
site is): search-outbox backlog, task queue length, recorded task failures, plus the process metrics of
prometheus-client."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from accounts.permissions import is_bureau

REDIS_TIMEOUT = 2


def _in_process() -> bool:
    from jobs.services import tasks_run_in_process

    return tasks_run_in_process()


def _redis():
    import redis
    from celery import current_app

    return redis.Redis.from_url(current_app.conf.broker_url, socket_connect_timeout=REDIS_TIMEOUT,
                                socket_timeout=REDIS_TIMEOUT)


def check_database() -> dict[str, Any]:
    # A fresh connection, not the request's: it proves the server can be reached now.
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "detail": connection.vendor}
    except Exception as error:  # any failure to connect or query means "down"
        return {"ok": False, "detail": f"{type(error).__name__}: {error}"[:300]}
    finally:
        connection.close()


def check_search() -> dict[str, Any]:
    from search.backends import get_backend

    try:
        health = get_backend().health()
    except Exception as error:
        return {"ok": False, "detail": f"{type(error).__name__}: {error}"[:300]}
    return {"ok": bool(health.get("ok")), "detail": str(health.get("detail", ""))[:300]}


def check_broker() -> dict[str, Any]:
    if _in_process():
        return {"ok": True, "detail": "no broker: tasks run in-process"}
    try:
        _redis().ping()
        return {"ok": True, "detail": "redis answers"}
    except Exception as error:
        return {"ok": False, "detail": f"{type(error).__name__}: {error}"[:300]}


def check_worker() -> dict[str, Any]:
    from celery import current_app

    from jobs.heartbeat import heartbeat_key

    if _in_process():
        return {"ok": True, "detail": "no worker needed: tasks run in-process"}
    queue = current_app.conf.task_default_queue
    try:
        alive = bool(_redis().exists(heartbeat_key(queue)))
    except Exception as error:
        return {"ok": False, "detail": f"cannot read the heartbeat: {type(error).__name__}"}
    return {"ok": alive, "detail": f"heartbeat on queue {queue}" if alive else f"no heartbeat on queue {queue}"}


CHECKS = {"database": check_database, "search": check_search, "broker": check_broker, "worker": check_worker}


@never_cache
@transaction.non_atomic_requests  # the request must not need the database it checks
def healthz(request: HttpRequest) -> JsonResponse:
    parts = {name: check() for name, check in CHECKS.items()}
    failing = [name for name, part in parts.items() if not part["ok"]]
    return JsonResponse({"status": "fail" if failing else "ok", "failing": failing, "checks": parts},
                        status=503 if failing else 200, json_dumps_params={"ensure_ascii": False})


class SiteCollector:
    """Read at scrape time from the database and the broker, so every web process reports the same numbers."""

    def collect(self):
        from celery import current_app

        from jobs.selectors import failure_count
        from search.models import SearchOutbox

        backlog = GaugeMetricFamily("techmarket_search_outbox_backlog", "Search-outbox rows not yet pushed")
        backlog.add_metric([], SearchOutbox.objects.filter(processed_at__isnull=True).count())
        yield backlog
        failures = GaugeMetricFamily("techmarket_task_failures", "Failed task attempts recorded",
                                     labels=["final"])
        final = failure_count(final_only=True)
        failures.add_metric(["true"], final)
        failures.add_metric(["false"], failure_count() - final)
        yield failures
        queue = GaugeMetricFamily("techmarket_task_queue_length", "Tasks waiting in the broker queue")
        if not _in_process():
            try:
                queue.add_metric([], _redis().llen(current_app.conf.task_default_queue))
            except Exception:
                pass  # broker down: no sample (healthz says why)
        else:
            queue.add_metric([], 0)
        yield queue


def _from_loopback(request: HttpRequest) -> bool:
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not (_from_loopback(request) or is_bureau(request.user)):
        raise PermissionDenied
    registry = CollectorRegistry(auto_describe=True)
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    registry.register(SiteCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

