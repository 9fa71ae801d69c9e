"""The bulk writer of import_listings --publish: many new listings placed and published in a few
statements instead of Wagtail's ~50 per page (add_child, save_revision, publish).

For each listing index (the parent), in one pass: the parent row is locked, its last child's
materialised path read once and the new paths numbered on from it with treebeard's own helpers
(``_get_path``, as ``add_child`` does one at a time), the parent's ``numchild`` raised once. Then, per
table, one INSERT per batch: wagtailcore_page (Django's bulk_create refuses multi-table models, so the
base rows go first and the type's own rows follow with the ids they got), IP items and served
industries, one revision per page (its content is ``serializable_data()``, as ``save_revision`` stores
it), the live/latest revision set in one UPDATE, one "wagtail.publish" log entry per page. Last,
``page_published`` is sent for each page as ``publish()`` would, so the search outbox and match alerts
see the same event as from the admin. Reference index and Wagtail's own search index are caught up
by listings.bulk once the load ends."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from treebeard.exceptions import PathOverflow
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published, published

from accounts.models import User

from ..bulk import created_in_bulk
from ..models import AchievementIPItem, ListingPage, PilotBasePage
from ..services import INDEX_FOR, SLUG_PREFIX
from .building import NewPage

PAGE_FIELDS = [f for f in Page._meta.concrete_fields if not f.primary_key]


def write_published(items: list[NewPage], *, user: User | None) -> list[int]:
    """Insert and publish these pages; returns their ids in the order given. Run inside a transaction:
    any failure leaves nothing (the caller then retries the lines one by one)."""
    if not items:
        return []
    now = timezone.now()
    by_model: dict[type[ListingPage], list[ListingPage]] = defaultdict(list)
    for item in items:
        by_model[type(item.page)].append(item.page)
    for model, pages in by_model.items():
        _place(model, pages, now)

    pages = [item.page for item in items]
    for page in pages:
        _hold_children(page)
    bases = Page.objects.bulk_create([Page(**{f.attname: getattr(p, f.attname) for f in PAGE_FIELDS})
                                      for p in pages], batch_size=_batch(PAGE_FIELDS))
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.page_ptr_id = base.pk
    for model, group in by_model.items():
        _insert_own_rows(model, group)
    _write_children(items)

    revisions = Revision.objects.bulk_create([_revision(p, user, now) for p in pages], batch_size=200)
    for page, revision in zip(pages, revisions, strict=True):
        page.live_revision = page.latest_revision = revision
    # One UPDATE: each new page points at its only revision (a CASE per row would be compiled in Python).
    only_revision = Subquery(Revision.objects.filter(base_content_type_id=_page_type_id(),
                                                     object_id=Cast(OuterRef("pk"), CharField()))
                             .order_by("-pk").values("pk")[:1])
    Page.objects.filter(pk__in=[p.pk for p in pages]).update(live_revision=only_revision,
                                                             latest_revision=only_revision)
    action = uuid.uuid4()  # one operator action: Wagtail's history groups its entries by this uuid
    PageLogEntry.objects.bulk_create([
        PageLogEntry(content_type_id=p.content_type_id, label=p.get_admin_display_title(), action="wagtail.publish",
                     data={}, timestamp=now, uuid=action, user=user, revision=r, content_changed=True, page_id=p.pk)
        for p, r in zip(pages, revisions, strict=True)], batch_size=200)
    for page, revision in zip(pages, revisions, strict=True):
        page_published.send(sender=type(page), instance=page, revision=revision)
        published.send(sender=type(page), instance=page, revision=revision)
    created_in_bulk(pages)
    return [p.pk for p in pages]


def _place(model: type[ListingPage], pages: list[ListingPage], now) -> None:
    """Tree position, URL path and publication fields for new children of the model's index page."""
    index = INDEX_FOR[model].objects.first()
    # Lock the parent as treebeard's add_child does: a concurrent add_child waits for our numbering.
    parent = Page.objects.select_for_update().get(pk=index.pk)
    depth = parent.depth + 1
    last = (Page.objects.filter(path__startswith=parent.path, depth=depth)
            .order_by("-path").values_list("path", flat=True).first())
    start = Page._str2int(last[-Page.steplen:]) if last else 0
    if len(Page._int2str(start + len(pages))) > Page.steplen:
        raise PathOverflow(f"no room for {len(pages)} more children under {parent.path}")
    _unique_slugs(model, parent, pages)
    for n, page in enumerate(pages, start=start + 1):
        page.depth = depth
        page.path = Page._get_path(parent.path, depth, n)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = now
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def _hold_children(page: ListingPage) -> None:
    """A new page has no child rows yet: its child relations (IP items, Wagtail's comments) and parental
    many-to-many (served industries) are kept in memory, so serializable_data() reads no table for them."""
    names = [rel.get_accessor_name() for rel in get_all_child_relations(page)]
    names += [f.name for f in get_all_child_m2m_relations(page)]
    for name in names:
        manager = getattr(page, name)
        manager.set(list(manager.all()))  # the page has no pk yet: all() is the in-memory list


def _unique_slugs(model: type[ListingPage], parent: Page, pages: list[ListingPage]) -> None:
    """Random slugs are all but certain to be new; this makes it certain among the siblings."""
    while True:
        slugs = [p.slug for p in pages]
        taken = set(parent.get_children().filter(slug__in=slugs).values_list("slug", flat=True))
        seen: set[str] = set()
        clashes = False
        for page in pages:
            if page.slug in taken or page.slug in seen:
                page.slug = f"{SLUG_PREFIX[model]}-{uuid.uuid4().hex[:10]}"
                clashes = True
            seen.add(page.slug)
        if not clashes:
            return


def _insert_own_rows(model: type[ListingPage], pages: list[ListingPage]) -> None:
    """The listing type's own table (page_ptr + its fields), what Model.save writes for a child table."""
    fields = list(model._meta.local_concrete_fields)
    size = _batch(fields)
    for start in range(0, len(pages), size):
        model._base_manager._insert(pages[start:start + size], fields=fields, using=connection.alias)
    for page in pages:
        page._state.adding = False
        page._state.db = connection.alias


def _write_children(items: list[NewPage]) -> None:
    ip_items: list[AchievementIPItem] = []
    links = []
    through = PilotBasePage.industries.through
    m2m = PilotBasePage._meta.get_field("industries")
    for item in items:
        for order, ip in enumerate(item.ip_items):
            ip.page_id = item.page.pk
            ip.sort_order = order
            ip_items.append(ip)
        links.extend(through(**{f"{m2m.m2m_field_name()}_id": item.page.pk,
                                f"{m2m.m2m_reverse_field_name()}_id": field.pk})
                     for field in dict.fromkeys(item.industries))
    AchievementIPItem.objects.bulk_create(ip_items, batch_size=500)
    through.objects.bulk_create(links, batch_size=500)


def _revision(page: ListingPage, user: User | None, now) -> Revision:
    return Revision(content_type_id=page.content_type_id,
                    base_content_type_id=_page_type_id(),
                    object_id=str(page.pk), user=user, created_at=now, object_str=str(page),
                    content=page.serializable_data())


def _page_type_id() -> int:
    return ContentType.objects.get_for_model(Page).pk


def _batch(fields: list) -> int:
    """Rows per INSERT within the database's limit on bound parameters (999 on older SQLite)."""
    limit = connection.features.max_query_params or 100_000
    return max(1, min(500, limit // max(1, len(fields))))
