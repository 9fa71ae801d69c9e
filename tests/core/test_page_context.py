"""A page's extra context comes from the function its app registered for its type, or for the nearest base type
(page models never import their selectors; core.page_context sits between them)."""

from marketplace.core.page_context import context_for, page_context


class Listing:
    pass


class Challenge(Listing):
    pass


class Unregistered:
    pass


def test_the_nearest_registered_type_gives_the_context():
    page_context(Listing)(lambda page, request: {"from": "listing", "request": request})
    assert context_for(Challenge(), "req") == {"from": "listing", "request": "req"}, "a subclass uses its base's"

    page_context(Challenge)(lambda page, request: {"from": "challenge"})
    assert context_for(Challenge(), None) == {"from": "challenge"}, "its own registration wins over the base's"
    assert context_for(Listing(), None)["from"] == "listing"


def test_a_page_type_nobody_registered_adds_nothing():
    assert context_for(Unregistered(), None) == {}
