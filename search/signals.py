"""Wiring only: lifecycle events of an indexed page (a listing, or a kind registered in
search.documents: challenges, events) → a row in the search outbox (search.services.enqueue).

Connected in SearchConfig.ready(). The row is written inside the caller's transaction; the push to
the backend happens after commit."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from marketplace.listings.bulk import bulk_load_finished
from marketplace.taxonomy.models import County, IndustryField

from . import services, tokenizing
from .documents import indexed_models
from .models import SearchOutbox


def on_page_published(sender, instance, **kwargs) -> None:
    if isinstance(instance, indexed_models()):
        services.enqueue(instance.pk, SearchOutbox.Action.UPSERT, "published")


def on_page_unpublished(sender, instance, **kwargs) -> None:
    if isinstance(instance, indexed_models()):
        services.enqueue(instance.pk, SearchOutbox.Action.DELETE, "unpublished")


def on_page_moved(sender, instance, **kwargs) -> None:
    if isinstance(sender, type) and issubclass(sender, indexed_models()):
        services.enqueue(instance.pk, SearchOutbox.Action.UPSERT, "moved")


def on_listing_deleted(sender, instance, **kwargs) -> None:
    # No sender filter: kinds registered by apps loaded after search count too.
    if isinstance(instance, indexed_models()):
        services.enqueue(instance.pk, SearchOutbox.Action.DELETE, "deleted")


def on_bulk_load_finished(sender, page_ids, **kwargs) -> None:
    # The load left its outbox rows pending: push them now, OUTBOX_BATCH documents per index write.
    services.drain_logged()


def on_taxonomy_changed(sender, **kwargs) -> None:
    # The domain dictionary changed: segment with the new one from now on (then run search_reindex).
    tokenizing.reset()


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="search.page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search.page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="search.post_page_move")
    post_delete.connect(on_listing_deleted, dispatch_uid="search.post_delete.indexed")
    bulk_load_finished.connect(on_bulk_load_finished, dispatch_uid="search.bulk_load_finished")
    for model in (IndustryField, County):
        for signal in (post_save, post_delete):
            signal.connect(
                on_taxonomy_changed,
                sender=model,
                dispatch_uid=f"search.taxonomy.{signal is post_save}.{model.__name__}",
            )
