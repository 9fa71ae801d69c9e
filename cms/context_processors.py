from wagtail.models import Site


def navigation(request):
    """Top-level pages marked "show in menus", for the header. Cached on the request."""
    if not hasattr(request, "_nav_items"):
        site = Site.find_for_request(request)
        root = site.root_page if site else None
        request._nav_items = list(root.get_children().live().in_menu()) if root else []
        request._nav_root = root
    return {"nav_items": request._nav_items, "nav_root": request._nav_root}
