"""What the listing index pages show beyond their own fields (registered from ListingsConfig.ready())."""

import operator
from functools import partial
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketplace.core.page_context import page_context

from .extensions import load_badges
from .models import ListingIndexPage
from .selectors import filtered_listings


@page_context(ListingIndexPage)
def listing_index(page: ListingIndexPage, request: HttpRequest) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        listings, filters = filtered_listings(page.listing_model, request.GET)
        paginated = Paginator(listings, page.per_page).get_page(request.GET.get("page"))
        paginated.object_list = load_badges(list(paginated.object_list))
        return {"page_obj": paginated, "filters": filters}

    # Lazy: the template's cached fragment (marketplace.core.cache) reads these only on a miss.
    result = SimpleLazyObject(compute)
    return {key: SimpleLazyObject(partial(operator.getitem, result, key)) for key in ("page_obj", "filters")}
