"""Everything is findable: open 揭榜挂帅 challenges and upcoming events are indexed in both engines through
the search outbox, filterable by type on the search page; closing a challenge or unpublishing an event
takes it out. A search never writes: stale hits are handed to the view, which queues their removal."""

import datetime as dt

import pytest
from django.utils import timezone

from marketplace.challenges import services as challenge_services
from marketplace.listings.models import AchievementPage
from search import selectors
from search.models import SearchOutbox
from tests.challenges.builders import published_challenge
from tests.events.builders import make_event

from .helpers import publish, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(backend, site, enterprise_user, enterprise, university_user, university,
          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = published_challenge(enterprise_user, enterprise)
        event = make_event(title="铝基新材料产学研对接会", summary="一体化压铸企业与高校院所1对1洽谈。")
        achievement = publish(university_user, university, AchievementPage)
    return challenge, event, achievement


def test_a_published_challenge_and_event_are_indexed_with_their_type(backend, world):
    challenge, event, achievement = world
    assert backend.count() == 3
    assert titles(backend.search("", filters={"type": ["challenge"]})) == [challenge.title]
    assert titles(backend.search("", filters={"type": ["event"]})) == [event.title]
    # The challenge's problem text is searchable, not only its title.
    assert challenge.title in titles(backend.search("气孔"))


def test_the_search_page_filters_by_challenge_and_event(client, backend, world):
    challenge, event, achievement = world
    html = client.get("/search/", {"q": "压铸"}).content.decode()
    # The type facet offers the new kinds beside the listings, by their Chinese names.
    assert 'data-facet="type" data-value="challenge"' in html and "揭榜挂帅" in html
    assert 'data-facet="type" data-value="event"' in html and "对接活动" in html
    only_challenges = client.get("/search/", {"q": "压铸", "type": "challenge"})
    assert only_challenges.status_code == 200
    body = only_challenges.content.decode()
    # (titles carry <mark> highlights: the rows are recognised by their links)
    assert f'href="{challenge.url}"' in body
    assert f'href="{event.url}"' not in body and f'href="{achievement.url}"' not in body
    assert "榜单金额" in body, "a challenge row states its bounty"
    only_events = client.get("/search/", {"type": "event"}).content.decode()
    assert f'href="{event.url}"' in only_events and f'href="{challenge.url}"' not in only_events
    assert client.get("/search/", {"type": "concert"}).status_code == 400, "an unknown type is a reasoned 400"


def test_closing_a_challenge_removes_it_from_the_index(backend, world, enterprise_user,
                                                       django_capture_on_commit_callbacks):
    challenge, event, achievement = world
    with django_capture_on_commit_callbacks(execute=True):
        challenge_services.close_without_award(user=enterprise_user, challenge=challenge, reason="已自行解决")
    assert backend.search("", filters={"type": ["challenge"]}).total == 0
    assert SearchOutbox.objects.filter(page_id=challenge.pk, reason="challenge closed").exists()


def test_unpublishing_an_event_removes_it(backend, world, django_capture_on_commit_callbacks):
    challenge, event, achievement = world
    with django_capture_on_commit_callbacks(execute=True):
        event.unpublish()
    assert backend.search("", filters={"type": ["event"]}).total == 0
    assert backend.count() == 2


def test_a_finished_event_and_an_unpublished_challenge_are_not_indexed(backend, world,
                                                                       django_capture_on_commit_callbacks):
    challenge, event, achievement = world
    start = timezone.now() - dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        past = make_event(title="往届院士专家论坛", starts_at=start, registration_opens_at=start - dt.timedelta(days=9),
                          registration_closes_at=start - dt.timedelta(days=2))
        challenge.unpublish()
    assert past.live
    assert titles(backend.search("", filters={"type": ["event"]})) == [event.title], "an ended event is not listed"
    assert backend.search("", filters={"type": ["challenge"]}).total == 0


def test_reindex_rebuilds_challenges_and_events_too(backend, world):
    from search import services

    backend.reset()
    services.reindex_all()
    assert sorted(h.type for h in backend.search("").hits) == ["achievement", "challenge", "event"]


def test_a_search_selector_reports_stale_hits_and_writes_nothing(backend, world):
    challenge, event, achievement = world
    # The event is unpublished behind the index's back (no signal): its document is stale.
    type(event).objects.filter(pk=event.pk).update(live=False)
    before = SearchOutbox.objects.count()
    page = selectors.search_listings("", {"type": ["event"]})
    assert page.rows == [] and page.stale_ids == [event.pk]
    assert SearchOutbox.objects.count() == before, "a selector never writes"


def test_the_search_page_queues_stale_hits_for_removal(client, backend, world):
    challenge, event, achievement = world
    type(event).objects.filter(pk=event.pk).update(live=False)
    assert f'href="{event.url}"' not in client.get("/search/", {"type": "event"}).content.decode()
    assert SearchOutbox.objects.filter(page_id=event.pk, reason="stale hit").exists()
