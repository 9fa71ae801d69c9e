"""Public pages' shared cache: generations that a change bumps, and keys that always carry the language.

Nothing is ever deleted by pattern: every cached public fragment's key holds the current *generation* of
what it shows ("publication": any page published, unpublished, moved or deleted; "search": the search
index written). A change bumps the generation, so the next request computes a new key and the old entries
simply age out. A generation starts from the clock, not from 1, so a counter the cache lost (eviction, a
Redis restart) never comes back to a value whose old fragments may still be stored.

Only what every visitor sees may be cached here: nothing per user (menus with unread counts, owner
controls) goes into these keys' values. The language is part of every key (zh and en never share)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.utils.translation import get_language

PUBLICATION = "publication"
SEARCH = "search"
FEEDBACK = "match-feedback"  # owners' marks on matches (shown to everyone as 已联系 / moved down)

# Fragments also expire on their own: lists hide listings whose date has passed and events that started,
# which no signal announces.
FRAGMENT_SECONDS = 300
SEARCH_SECONDS = 60


def _gen_key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> int:
    value = cache.get(_gen_key(name))
    if value is None:
        cache.add(_gen_key(name), time.time_ns(), timeout=None)
        value = cache.get(_gen_key(name), 0)
    return int(value)


def bump(name: str) -> None:
    """Everything cached under the old generation of `name` is no longer read."""
    try:
        cache.incr(_gen_key(name))
    except ValueError:  # not stored yet (or lost): start from the clock, past any old value
        cache.set(_gen_key(name), time.time_ns(), timeout=None)


def public_key(kind: str, *parts: object, generations: tuple[str, ...] = (PUBLICATION,)) -> str:
    """The cache key of a public fragment: kind, the language, the named generations, and a digest of parts."""
    gens = ".".join(str(generation(name)) for name in generations)
    digest = hashlib.md5("\x1f".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()
    return f"public:{kind}:{get_language() or ''}:{gens}:{digest}"


RESTRICTIONS = "view-restrictions"


def restricted_paths() -> list[str]:
    """Tree paths of the pages with a view restriction (password, login, groups), from the shared cache:
    Wagtail's `.public()` reads them from the database on every call, several times per page."""
    key = public_key("restricted-paths", generations=(RESTRICTIONS, PUBLICATION))
    paths = cache.get(key)
    if paths is None:
        from wagtail.models import PageViewRestriction

        paths = sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))
        cache.set(key, paths, None)
    return paths


def public(queryset):
    """queryset.public() without its per-call query: the same exclusion (every page at or below a restricted
    page), from restricted_paths(). A restriction saved or deleted, or a page moved, renews the list."""
    from django.db.models import Q

    paths = restricted_paths()
    if not paths:
        return queryset
    private = Q()
    for path in paths:
        private |= Q(path__startswith=path)
    return queryset.exclude(private)


def bump_after_commit(name: str) -> None:
    """Bump now (this request and tests inside one transaction see the change) and again after commit:
    a page rendered by another request between the two saw the old rows and cached them under the
    intermediate generation, which the second bump retires."""
    from django.db import transaction

    bump(name)
    transaction.on_commit(lambda: bump(name))


def bump_publication(sender=None, **kwargs) -> None:
    """Signal receiver: a page was published, unpublished, moved or deleted."""
    bump_after_commit(PUBLICATION)


def connect() -> None:
    """Wagtail's page signals bump the publication generation (called from CoreConfig.ready)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(bump_publication, dispatch_uid="core.cache.published")
    page_unpublished.connect(bump_publication, dispatch_uid="core.cache.unpublished")
    post_page_move.connect(bump_publication, dispatch_uid="core.cache.moved")

    def deleted(sender, instance, **kwargs) -> None:
        if isinstance(instance, Page):
            bump_after_commit(PUBLICATION)

    post_delete.connect(deleted, dispatch_uid="core.cache.deleted", weak=False)

    def restriction_changed(sender, **kwargs) -> None:
        bump_after_commit(RESTRICTIONS)

    for signal in (post_save, post_delete):
        signal.connect(restriction_changed, sender=PageViewRestriction, weak=False,
                       dispatch_uid=f"core.cache.restriction.{signal is post_save}")


def generations(names: tuple[str, ...]) -> str:
    """generation() of several names in one round trip to the cache (a page cache hit reads them all)."""
    stored = cache.get_many([_gen_key(name) for name in names])
    return ".".join(str(stored.get(_gen_key(name)) or generation(name)) for name in names)
