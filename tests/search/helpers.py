"""Publishing listings for search tests: created by their owners, published by bureau staff."""

from marketplace.listings import services
from marketplace.listings.models import AchievementPage, DemandPage, PilotBasePage
from tests.factories import achievement_data, demand_data, pilot_base_data

DATA = {AchievementPage: achievement_data, DemandPage: demand_data, PilotBasePage: pilot_base_data}


def publish(user, org, model, **overrides):
    """Create a listing and publish it (moderation bypassed). Returns the live page."""
    page = services.create_listing(user=user, model=model, data=DATA[model](org, **overrides), submit=False)
    page.get_latest_revision().publish()
    return type(page).objects.get(pk=page.pk)


def edit_and_publish(page, **changes):
    """A new revision of a live listing, published (what approval of an owner's edit does)."""
    draft = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def titles(results) -> list[str]:
    return [hit.source["title"] for hit in results.hits]
