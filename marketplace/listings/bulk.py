"""A bulk load of pages (import_listings --publish): per-page side effects are deferred and caught up in
batches once the load ends, instead of one round each per page.

While ``deferred_side_effects()`` is active in this thread:
- Wagtail's reference index is not updated on each save (its own ``disable_reference_index_auto_update``);
- Wagtail's own page search index (the admin's search) is not updated on each save;
- higher layers (search/) see ``in_bulk_load()`` and leave their outbox rows pending instead of pushing
  them after every commit.
On exit the reference index and Wagtail's index are written in batches for the touched pages and
``bulk_load_finished`` is sent with their ids, so search/ drains its outbox in batches. Every per-page
write (the page, its revision, the outbox row) still happens in the page's own transaction: a crash in
the middle leaves the outbox rows for ``manage.py search_sync``."""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.signals import post_save
from django.dispatch import Signal
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from .models import LISTING_MODELS

# Sent once after a bulk load, with page_ids=[...] (created or updated pages).
bulk_load_finished = Signal()
_active: contextvars.ContextVar[bool] = contextvars.ContextVar("listings_bulk_load", default=False)
CATCH_UP_BATCH = 500


def in_bulk_load() -> bool:
    return _active.get()


class BulkLoad:
    """Collects the ids of the pages a bulk load touched."""

    def __init__(self) -> None:
        self.page_ids: list[int] = []

    def touched(self, page_id: int) -> None:
        self.page_ids.append(page_id)


@contextmanager
def deferred_side_effects() -> Iterator[BulkLoad]:
    load = BulkLoad()
    token = _active.set(True)
    # Wagtail's page search index is fed by a post_save handler per model; the import process owns
    # these pages, so the handler is set aside for the load and the pages indexed in bulk afterwards.
    disconnected = [m for m in LISTING_MODELS.values()
                    if post_save.disconnect(post_save_signal_handler, sender=m)]
    try:
        with disable_reference_index_auto_update():
            yield load
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)
        _active.reset(token)
    catch_up(load.page_ids)
    bulk_load_finished.send(sender=BulkLoad, page_ids=list(load.page_ids))


def catch_up(page_ids: list[int]) -> None:
    """Write the reference index and Wagtail's page search index for these pages, in batches."""
    ids = sorted(set(page_ids))
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(ids), CATCH_UP_BATCH):
        pages = list(Page.objects.filter(pk__in=ids[start:start + CATCH_UP_BATCH]).specific())
        by_model: dict[type, list[Page]] = {}
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
            by_model.setdefault(type(page), []).append(page)
        for backend in backends:
            for model, objs in by_model.items():
                backend.add_bulk(model, objs)
