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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import Signal
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from .models import LISTING_MODELS

# Sent once after a bulk load, with page_ids=[...] (created or updated pages).
bulk_load_finished = Signal()
_active: contextvars.ContextVar[BulkLoad | None] = contextvars.ContextVar("listings_bulk_load", default=None)
CATCH_UP_BATCH = 500


def in_bulk_load() -> bool:
    return _active.get() is not None


def created_in_bulk(pages: Iterable[Page]) -> None:
    """The bulk writer hands over the new pages it wrote (their child relations still in memory), so
    the catch-up indexes them without reading them back."""
    load = _active.get()
    if load is not None:
        load.created.update((page.pk, page) for page in pages)


def forget_created(page_ids: Iterable[int]) -> None:
    """Pages the writer handed over whose transaction was then rolled back."""
    load = _active.get()
    if load is not None:
        for page_id in page_ids:
            load.created.pop(page_id, None)


class BulkLoad:
    """Collects the pages a bulk load touched: ids, and the objects of the pages it created."""

    def __init__(self) -> None:
        self.page_ids: list[int] = []
        self.created: dict[int, Page] = {}

    def touched(self, page_id: int) -> None:
        self.page_ids.append(page_id)


@contextmanager
def deferred_side_effects() -> Iterator[BulkLoad]:
    load = BulkLoad()
    token = _active.set(load)
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
    catch_up(load.page_ids, created=load.created)
    bulk_load_finished.send(sender=BulkLoad, page_ids=sorted(set(load.page_ids)))


def catch_up(page_ids: list[int], created: dict[int, Page] | None = None) -> None:
    """Write the reference index and Wagtail's page search index for these pages, in batches (one
    transaction each). Pages in ``created`` (id → the object the writer inserted) are new: they have no
    references to compare with, so their rows are inserted together instead of read, compared and
    inserted page by page, from the objects in hand. A created page whose batch was rolled back is
    skipped (it is not in the database)."""
    created = created or {}
    ids = sorted(set(page_ids))
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(ids), CATCH_UP_BATCH):
        batch = ids[start:start + CATCH_UP_BATCH]
        alive = set(Page.objects.filter(pk__in=batch).values_list("pk", flat=True))
        pages = [created[i] for i in batch if i in created and i in alive]
        new_rows = [row for page in pages for row in _reference_rows(page)]
        with transaction.atomic():
            ReferenceIndex.objects.bulk_create(new_rows, batch_size=CATCH_UP_BATCH,
                                               ignore_conflicts=connection.features.supports_ignore_conflicts)
            for page in Page.objects.filter(pk__in=[i for i in batch if i not in created]).specific():
                ReferenceIndex.create_or_update_for_object(page)
                pages.append(page)
        by_model: dict[type, list[Page]] = {}
        for page in pages:
            by_model.setdefault(type(page), []).append(page)
        for backend in backends:
            for model, objs in by_model.items():
                backend.add_bulk(model, objs)


def _reference_rows(page: Page) -> list[ReferenceIndex]:
    """The rows ReferenceIndex.create_or_update_for_object would insert for a page that has none yet
    (the same extraction, Wagtail's own; the same content types: the page's own and Page as its base)."""
    content_type = ContentType.objects.get_for_model(page, for_concrete_model=False)
    base_content_type = ContentType.objects.get_for_model(Page)
    return [ReferenceIndex(content_type=content_type, base_content_type=base_content_type, object_id=page.pk,
                           to_content_type_id=to_ct, to_object_id=to_id, model_path=model_path,
                           content_path=content_path,
                           content_path_hash=ReferenceIndex._get_content_path_hash(content_path))
            for to_ct, to_id, model_path, content_path
            in set(ReferenceIndex._extract_references_from_object(page))]
