"""Each app registers its section (title, slug, intro); cms registers the home page they go under. So an app
creates its own section on first use without importing cms."""

import pytest
from django.core.exceptions import ValidationError

from cms.models import HomePage
from marketplace.challenges.models import ChallengeIndexPage
from marketplace.core.sections import ensure_section


def test_a_section_needs_the_home_page_first(db):
    assert not HomePage.objects.exists()
    with pytest.raises(ValidationError):
        ensure_section(ChallengeIndexPage)


def test_a_section_is_created_once_under_the_home_page_with_its_registered_title(site):
    ChallengeIndexPage.objects.all().delete()
    index = ensure_section(ChallengeIndexPage)
    assert (index.title, index.slug, index.live) == ("揭榜挂帅", "challenges", True)
    assert index.get_parent().specific == site
    assert ensure_section(ChallengeIndexPage).pk == index.pk, "a second call finds the same page"
