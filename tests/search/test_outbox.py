"""The transactional outbox: listing changes reach the index after commit, survive a backend outage,
and an unpublished, deleted or expired listing never lingers in results."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from marketplace.listings import services as listing_services
from marketplace.listings.models import AchievementPage, DemandPage
from search import services
from search.backends import get_backend
from search.models import SearchOutbox
from tests.worker import wait_until

from .helpers import edit_and_publish, publish, titles

pytestmark = pytest.mark.django_db


def test_publishing_writes_the_outbox_row_in_the_same_transaction(
    backend, site, university_user, university, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = publish(university_user, university, AchievementPage)
        row = SearchOutbox.objects.get(page_id=page.pk)
        assert row.action == "upsert" and row.processed_at is None
        assert backend.search("铝合金").total == 0, "nothing is pushed before the transaction commits"
    assert callbacks, "the push is registered to run on commit"
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert row.processed_at is not None
    assert titles(backend.search("铝合金")) == [page.title]


def test_a_rolled_back_publish_leaves_no_trace(
    backend, site, university_user, university, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(university_user, university, AchievementPage)
            raise RuntimeError("the request failed after publishing")
    assert not SearchOutbox.objects.exists()
    assert backend.search("铝合金").total == 0


def test_edit_unpublish_and_delete_reach_the_index(
    backend,
    site,
    university_user,
    university,
    enterprise_user,
    enterprise,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        achievement = publish(university_user, university, AchievementPage)
        demand = publish(enterprise_user, enterprise, DemandPage)
    assert backend.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        edit_and_publish(achievement, title="镁合金一体化压铸技术", keywords="镁合金,压铸")
    assert titles(backend.search("镁合金")) == ["镁合金一体化压铸技术"]
    assert backend.count() == 2, "the edit replaced the document, it did not add one"
    assert titles(backend.search("", filters={"type": "achievement"})) == ["镁合金一体化压铸技术"]

    with django_capture_on_commit_callbacks(execute=True):
        listing_services.withdraw_listing(user=enterprise_user, page=demand)
    assert backend.search("电池托盘").total == 0

    with django_capture_on_commit_callbacks(execute=True):
        AchievementPage.objects.get(pk=achievement.pk).delete()
    assert backend.count() == 0

    # Deleting through the generic Page (as the admin's tree operations do) is caught too.
    with django_capture_on_commit_callbacks(execute=True):
        again = publish(university_user, university, AchievementPage)
    assert backend.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=again.pk).delete()
    assert backend.count() == 0
    assert SearchOutbox.objects.filter(processed_at__isnull=True).count() == 0


def test_moving_a_listing_resyncs_it(backend, site, university_user, university, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(university_user, university, AchievementPage)
    with django_capture_on_commit_callbacks(execute=True):
        page.move(page.get_parent(), pos="last-child")
    row = SearchOutbox.objects.filter(page_id=page.pk, reason="moved").get()
    assert row.processed_at is not None
    assert [h.id for h in backend.search("铝合金").hits] == [page.pk]


def test_a_backend_outage_keeps_writes_and_search_sync_catches_up(
    site,
    settings,
    tmp_path,
    university_user,
    university,
    dead_elasticsearch,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(university_user, university, AchievementPage)  # the backend refuses connections
    page.refresh_from_db()
    assert page.live, "the write succeeds while search is down"
    row = SearchOutbox.objects.get(page_id=page.pk)
    assert row.processed_at is None and row.attempts == 1 and "unreachable" in row.last_error

    with pytest.raises(CommandError, match="unavailable"):
        call_command("search_sync", stdout=io.StringIO())
    assert services.pending_count() == 1

    # Search is back (here: the embedded engine); the pending row is drained.
    settings.SEARCH_BACKEND = "embedded"
    out = io.StringIO()
    call_command("search_sync", stdout=out)
    assert "1 indexed" in out.getvalue()
    assert services.pending_count() == 0
    assert titles(get_backend().search("铝合金")) == [page.title]


def test_the_next_successful_write_drains_older_rows(
    site, settings, university_user, university, dead_elasticsearch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = publish(university_user, university, AchievementPage)
    assert services.pending_count() == 1
    settings.SEARCH_BACKEND = "embedded"
    with django_capture_on_commit_callbacks(execute=True):
        second = publish(university_user, university, AchievementPage, title="铝合金熔体净化技术")
    assert services.pending_count() == 0
    assert {h.id for h in get_backend().search("铝合金").hits} == {first.pk, second.pk}


def test_expired_listings_never_show_even_before_any_sync(
    backend, site, university_user, university, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(university_user, university, AchievementPage)
    assert backend.search("铝合金").total == 1
    # Time passes: the listing's validity ends (no signal fires for that).
    AchievementPage.objects.filter(pk=page.pk).update(expires_at=timezone.localdate() - dt.timedelta(days=1))
    # The index still holds the old document, but nothing the user sees shows it:
    from search.selectors import search_listings

    assert search_listings("铝合金", {}).rows == []
    # ...and a full reindex leaves it out for good.
    services.reindex_all()
    assert backend.count() == 0


def test_search_reindex_rebuilds_with_a_progress_bar_and_loses_nothing(
    backend,
    site,
    university_user,
    university,
    enterprise_user,
    enterprise,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        published = [publish(university_user, university, AchievementPage, title=f"铝合金成果{n}") for n in range(3)]
        publish(enterprise_user, enterprise, DemandPage)
    draft = listing_services.create_listing(
        user=university_user,
        model=AchievementPage,
        data={**_achievement(university), "title": "铝合金草稿"},
        submit=False,
    )
    backend.reset()  # lose the index entirely
    assert backend.count() == 0

    err, out = io.StringIO(), io.StringIO()
    call_command("search_reindex", stdout=out, stderr=err)
    assert "] 4/4" in err.getvalue() and "[" + "#" * 30 + "]" in err.getvalue()
    assert backend.count() == 4
    found = {h.id for h in backend.search("铝合金", filters={"type": "achievement"}).hits}
    assert found == {p.pk for p in published}
    assert draft.pk not in found


def test_changes_made_during_a_reindex_are_replayed(
    backend, site, university_user, university, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = publish(university_user, university, AchievementPage)
    late = []

    def progress(done):
        # A listing published while the rebuild is running; its outbox push goes to the old index.
        if not late:
            with django_capture_on_commit_callbacks(execute=True):
                late.append(publish(university_user, university, AchievementPage, title="铝合金半固态成形技术"))

    services.reindex_all(progress=progress)
    assert {h.id for h in backend.search("铝合金").hits} == {first.pk, late[0].pk}


def _achievement(org):
    from tests.factories import achievement_data

    return achievement_data(org)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_a_broker_the_worker_drains_the_outbox_after_commit(task_worker):
    """With a broker, the commit sends the drain task by its name (search.drain_outbox) and the worker empties the
    outbox; nothing drains in this process."""
    gone = Page.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000  # a page that does not exist
    with transaction.atomic():
        row = services.enqueue(gone, SearchOutbox.Action.DELETE, "test")
    wait_until(lambda: SearchOutbox.objects.filter(pk=row.pk, processed_at__isnull=False).exists(), timeout=60,
               what=f"the worker's drain of the outbox (log: {task_worker.log})")
