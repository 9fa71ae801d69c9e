"""The worker's heartbeat: while a worker runs, it writes the time into the broker's Redis every few
seconds under a key named after the queue it serves, with a short expiry. /healthz reads that key: no
key means no worker has been alive for HEARTBEAT_TTL seconds."""

from __future__ import annotations

import threading
import time

import redis
from celery.signals import worker_ready, worker_shutdown

HEARTBEAT_EVERY = 5
HEARTBEAT_TTL = 20
_stop = threading.Event()


def heartbeat_key(queue: str) -> str:
    return f"techmarket:worker-heartbeat:{queue}"


def _beat(app) -> None:
    client = redis.Redis.from_url(app.conf.broker_url)
    key = heartbeat_key(app.conf.task_default_queue)
    while not _stop.is_set():
        try:
            client.set(key, str(time.time()), ex=HEARTBEAT_TTL)
        except redis.RedisError:
            pass  # the broker is down: the worker cannot work either, and the key expires
        _stop.wait(HEARTBEAT_EVERY)
    try:
        client.delete(key)
    except redis.RedisError:
        pass


@worker_ready.connect
def _start(sender=None, **kwargs) -> None:
    _stop.clear()
    threading.Thread(target=_beat, args=(sender.app,), name="heartbeat", daemon=True).start()


@worker_shutdown.connect
def _end(sender=None, **kwargs) -> None:
    _stop.set()
