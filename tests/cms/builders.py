"""Published pages for page-rendering tests, without going through moderation (which tests/listings
covers): the bureau's approval is what these stand for."""

import itertools

from cms.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage
from marketplace.listings.models import AchievementIPItem, AchievementPage, ListingPage
from marketplace.listings.services import INDEX_FOR

_seq = itertools.count(1)


def publish_listing(model: type[ListingPage], data: dict,
                    ip_items: list[tuple[str, str, str]] = ()) -> ListingPage:
    page = model(slug=f"test-{model.__name__.lower()}-{next(_seq)}", live=False, **data)
    if model is AchievementPage:
        page.ip_items.set([AchievementIPItem(ip_type=t, number=n, title=title) for t, n, title in ip_items])
    INDEX_FOR[model].objects.first().add_child(instance=page)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk)


def publish_policy(**fields) -> PolicyPage:
    page = PolicyPage(slug=f"policy-{next(_seq)}", live=False, **fields)
    PolicyIndexPage.objects.first().add_child(instance=page)
    page.save_revision().publish()
    return page


def publish_news(**fields) -> NewsPage:
    page = NewsPage(slug=f"news-{next(_seq)}", live=False, **fields)
    NewsIndexPage.objects.first().add_child(instance=page)
    page.save_revision().publish()
    return page
