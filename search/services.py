"""Writes to the search index. Everything goes through the outbox or a full reindex, and every push
decides from the database *now* whether a page belongs in the index (live, public, not expired), so
pushes are idempotent and order does not matter."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from marketplace.core import cache
from marketplace.listings.bulk import in_bulk_load

from .backends import SearchError, get_backend
from .documents import Document, kinds
from .models import MatchFeedback, SearchOutbox

logger = logging.getLogger(__name__)
OUTBOX_BATCH = 500
DRAIN_TASK = "search.drain_outbox"  # search.tasks.drain_outbox


@dataclass
class SyncReport:
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    pending: int = 0
    error: str = ""


def enqueue(page_id: int, action: str, reason: str = "") -> SearchOutbox:
    """Record that ``page_id`` must be (re)synced. Call inside the transaction that changes the page;
    the push to the backend runs after that transaction commits."""
    row = SearchOutbox.objects.create(page_id=page_id, action=action, reason=reason[:30])
    transaction.on_commit(_drain_after_commit)
    return row


def _drain_after_commit() -> None:
    # A bulk load (import_listings --publish) drains once at its end, in batches (signals.py).
    if in_bulk_load():
        return
    # The listing change is committed whatever happens here: a failure leaves the rows for search_sync
    # and for beat's periodic sweep. With a broker the worker drains (retrying with backoff); without one
    # (`make run`, most tests) the drain runs here, once. The task is sent by its name: tasks.py runs this
    # module, so this module does not import it back.
    if not current_app.conf.task_always_eager:
        try:
            current_app.send_task(DRAIN_TASK)
        except Exception:
            logger.exception("could not queue the search outbox drain; rows stay pending for the sweep")
        return
    drain_logged()


def drain_logged() -> None:
    """Drain now; a failure is logged, never raised (the listing change is already committed)."""
    try:
        report = drain()
        if report.failed:
            logger.warning("search outbox: %s rows wait for the backend: %s", report.failed, report.error)
    except Exception:
        logger.exception("search outbox drain failed; rows stay pending for search_sync")


def documents_for(page_ids: Iterable[int]) -> tuple[list[Document], list[int]]:
    """(documents to index, ids to delete) for these pages, from their current database state."""
    ids = sorted({int(i) for i in page_ids})
    docs: list[Document] = []
    public_ids: set[int] = set()
    for kind in kinds().values():
        for page in kind.public().filter(pk__in=ids).prefetch_related(*kind.prefetch):
            docs.append(kind.build(page))
            public_ids.add(page.pk)
    return docs, [i for i in ids if i not in public_ids]


def sync_pages(page_ids: Iterable[int]) -> tuple[int, int]:
    """Push these pages' current state to the backend. Raises SearchError if it cannot."""
    docs, gone = documents_for(page_ids)
    backend = get_backend()
    if docs:
        backend.index_documents(docs)
    if gone:
        backend.delete(gone)
    if docs or gone:
        cache.bump(cache.SEARCH)  # cached match lists and search results were computed from the old index
    return len(docs), len(gone)


def process_outbox(limit: int = OUTBOX_BATCH) -> SyncReport:
    """Push one batch of pending outbox rows. On backend failure the rows stay pending (attempts+1)."""
    report = SyncReport()
    with transaction.atomic():
        pending = SearchOutbox.objects.filter(processed_at__isnull=True).order_by("id")
        # skip_locked: concurrent drains (two requests committing at once) take disjoint rows.
        rows = list(pending.select_for_update(skip_locked=True)[:limit])
        if not rows:
            return report
        ids = [row.pk for row in rows]
        try:
            report.indexed, report.deleted = sync_pages(row.page_id for row in rows)
        except SearchError as exc:
            report.failed = len(rows)
            report.error = str(exc)[:1000]
            SearchOutbox.objects.filter(pk__in=ids).update(last_error=report.error)
            for row in rows:
                row.attempts += 1
            SearchOutbox.objects.bulk_update(rows, ["attempts"])
            return report
        SearchOutbox.objects.filter(pk__in=ids).update(processed_at=timezone.now(), last_error="")
    report.pending = pending_count()
    return report


def drain(batch: int = OUTBOX_BATCH) -> SyncReport:
    """Process batches until the outbox is empty or the backend fails."""
    total = SyncReport()
    while True:
        report = process_outbox(batch)
        total.indexed += report.indexed
        total.deleted += report.deleted
        if report.failed:
            total.failed = report.failed
            total.error = report.error
            break
        if report.indexed + report.deleted == 0:
            break
    total.pending = pending_count()
    return total


def pending_count() -> int:
    return SearchOutbox.objects.filter(processed_at__isnull=True).count()


def purge_processed(older_than: timedelta = timedelta(days=7)) -> int:
    """Forget rows processed long ago (kept a while so a reindex can replay recent changes)."""
    cutoff = timezone.now() - older_than
    deleted, _ = SearchOutbox.objects.filter(processed_at__lt=cutoff).delete()
    return deleted


def public_listing_count() -> int:
    """Every page the index should hold (all kinds: listings, challenges, events)."""
    return sum(kind.public().count() for kind in kinds().values())


def iter_public_documents(chunk_size: int = 500) -> Iterator[Document]:
    for kind in kinds().values():
        pages = kind.public().prefetch_related(*kind.prefetch).order_by("pk")
        for page in pages.iterator(chunk_size=chunk_size):
            yield kind.build(page)


def reindex_all(progress: Callable[[int], None] | None = None) -> SyncReport:
    """Rebuild the whole index from the database and switch to it atomically.

    Listing changes made while the rebuild runs land in the old index (and the outbox); they are
    replayed into the new one right after the switch, so nothing is lost."""
    started = timezone.now()
    backend = get_backend()
    written = backend.reindex(iter_public_documents(), progress=progress)
    cache.bump(cache.SEARCH)
    SearchOutbox.objects.filter(processed_at__isnull=True, created_at__lt=started).update(
        processed_at=timezone.now(), last_error=""
    )
    recent = set(SearchOutbox.objects.filter(created_at__gte=started).values_list("page_id", flat=True))
    report = SyncReport(indexed=written)
    if recent:
        indexed, deleted = sync_pages(recent)
        SearchOutbox.objects.filter(created_at__gte=started, processed_at__isnull=True).update(
            processed_at=timezone.now(), last_error=""
        )
        report.indexed += indexed
        report.deleted += deleted
    report.pending = pending_count()
    return report


def heal(page_ids: Iterable[int]) -> None:
    """A search hit pointed at a page that is no longer public: queue its removal (after commit)."""
    for page_id in page_ids:
        enqueue(page_id, SearchOutbox.Action.DELETE, "stale hit")


# ---- outcomes of matches ---------------------------------------------------------------------------


def record_feedback(*, demand_id: int, result_id: int, verdict: str, user=None) -> MatchFeedback:
    """Store what happened to a proposed pair (idempotent: the same verdict twice is one row). Marking a
    pair 不相关 withdraws an earlier 已联系 and the other way round; a deal record stays."""
    if verdict not in MatchFeedback.Verdict.values:
        raise ValueError(f"unknown verdict {verdict!r}")
    with transaction.atomic():
        opposite = {"irrelevant": "contacted", "contacted": "irrelevant"}.get(verdict)
        if opposite:
            MatchFeedback.objects.filter(demand_id=demand_id, result_id=result_id, verdict=opposite).delete()
        row, _created = MatchFeedback.objects.get_or_create(
            demand_id=demand_id, result_id=result_id, verdict=verdict, defaults={"user": user}
        )
    cache.bump_after_commit(cache.FEEDBACK)  # shared match lists show the marks
    return row
