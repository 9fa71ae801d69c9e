from django.core.cache import cache
from wagtail.models import Site

from marketplace.core.cache import FRAGMENT_SECONDS, public_key


def navigation(request):
    """Top-level pages marked "show in menus", for the header. Cached on the request, and in the shared
    cache by publication generation (the same pages for every visitor; which one is active is decided
    in the template)."""
    if not hasattr(request, "_nav_items"):
        site = Site.find_for_request(request)
        root = site.root_page if site else None
        items = []
        if root:
            key = public_key("nav", site.pk, root.pk)
            items = cache.get(key)
            if items is None:
                items = list(root.get_children().live().in_menu())
                cache.set(key, items, FRAGMENT_SECONDS)
        request._nav_items = items
        request._nav_root = root
    return {"nav_items": request._nav_items, "nav_root": request._nav_root}
