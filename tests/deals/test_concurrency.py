"""Two agents move the same deal at once: one wins, the other is told to refresh, and no stage is
skipped or applied twice. Real PostgreSQL, real connections (one per thread), real row locks."""

import threading
import time

import pytest
from django.db import close_old_connections, connection, connections, transaction

from marketplace.deals import services
from marketplace.deals.models import Deal, DealTransition
from marketplace.deals.stages import Stage
from tests.conftest import require_service

from .builders import make_agent, open_manual_deal

# serialized_rollback: the flush after a transactional test also removes migration data (taxonomy,
# seeded targets, the Wagtail root), which the next transactional test needs restored.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgres_only(db):
    require_service(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "row locks need PostgreSQL; run with DATABASE_URL (services/postgres.sh start)",
    )


def _in_thread(target, results: dict, key: str, *args) -> threading.Thread:
    def run():
        try:
            results[key] = target(*args)
        except Exception as error:  # the test inspects what each agent was told
            results[key] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=key)
    thread.start()
    return thread


def _move(user, deal_id: int, to_stage: str, expected_stage: str, version: int, barrier=None):
    close_old_connections()
    if barrier is not None:
        barrier.wait(timeout=30)
    return services.move_deal(
        deal_id=deal_id,
        user=user,
        to_stage=to_stage,
        expected_stage=expected_stage,
        expected_version=version,
        note=threading.current_thread().name,
    )


def _query_waiting_for_lock(deadline_s: float = 30.0) -> str | None:
    """Poll pg_stat_activity until another backend waits on a lock and return its query (no sleeps
    for synchronisation: this is a poll with a deadline)."""
    deadline = time.monotonic() + deadline_s
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            # Activity stats are a per-transaction snapshot; clear it or we would poll a frozen picture.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND pid <> pg_backend_pid()"
            )
            row = cursor.fetchone()
            if row:
                return row[0]
    return None


def test_two_agents_moving_at_once_one_wins_the_other_is_told():
    agent, co_agent = make_agent(), make_agent()
    deal = open_manual_deal(agent=agent)
    deal.collaborators.add(co_agent)
    barrier = threading.Barrier(2)
    results: dict = {}
    threads = [
        _in_thread(_move, results, "agent", agent, deal.pk, Stage.CONTACTED, Stage.LEAD, 0, barrier),
        _in_thread(_move, results, "co_agent", co_agent, deal.pk, Stage.CONTACTED, Stage.LEAD, 0, barrier),
    ]
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["Deal", "StaleDeal"], results
    loser = next(r for r in results.values() if isinstance(r, services.StaleDeal))
    assert "该商机已被他人更新，请刷新后重试" in " ".join(loser.messages)
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == (Stage.CONTACTED, 1)
    assert list(DealTransition.objects.filter(deal=deal).values_list("from_stage", "to_stage")) == [
        (Stage.LEAD, Stage.CONTACTED)
    ]


def test_different_moves_at_once_never_skip_a_stage():
    """One agent moves contacted -> negotiating while another marks the deal lost from what they saw:
    whichever commits second sees a new version and is refused."""
    agent, co_agent = make_agent(), make_agent()
    deal = open_manual_deal(agent=agent)
    deal.collaborators.add(co_agent)
    deal = services.move_deal(
        deal_id=deal.pk, user=agent, to_stage=Stage.CONTACTED, expected_stage=Stage.LEAD, expected_version=0
    )
    barrier = threading.Barrier(2)
    results: dict = {}

    def lose(user):
        close_old_connections()
        barrier.wait(timeout=30)
        return services.move_deal(
            deal_id=deal.pk,
            user=user,
            to_stage=Stage.LOST,
            expected_stage=Stage.CONTACTED,
            expected_version=1,
            reason="预算取消",
        )

    threads = [
        _in_thread(_move, results, "forward", agent, deal.pk, Stage.NEGOTIATING, Stage.CONTACTED, 1, barrier),
        _in_thread(lose, results, "lost", co_agent),
    ]
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()
    winners = [r for r in results.values() if isinstance(r, Deal)]
    assert len(winners) == 1 and sum(isinstance(r, services.StaleDeal) for r in results.values()) == 1
    deal.refresh_from_db()
    assert deal.version == 2 and deal.stage == winners[0].stage
    moves = list(DealTransition.objects.filter(deal=deal).values_list("from_stage", "to_stage"))
    assert moves == [(Stage.LEAD, Stage.CONTACTED), (Stage.CONTACTED, winners[0].stage)]


def test_the_move_waits_for_the_row_lock_and_then_sees_it_is_stale():
    """Agent A holds the deal (inside a move); agent B's move blocks on the row lock rather than
    reading the old row, and after A commits B is refused."""
    agent, co_agent = make_agent(), make_agent()
    deal = open_manual_deal(agent=agent)
    deal.collaborators.add(co_agent)
    results: dict = {}
    with transaction.atomic():
        Deal.objects.select_for_update().get(pk=deal.pk)
        waiting = _in_thread(_move, results, "co_agent", co_agent, deal.pk, Stage.CONTACTED, Stage.LEAD, 0)
        waiting_query = _query_waiting_for_lock()
        assert waiting_query, "the second move did not wait on the deal's row lock"
        # It waits while *reading* the deal (SELECT ... FOR UPDATE), before it checks or writes anything.
        assert waiting_query.lstrip().upper().startswith("SELECT") and "FOR UPDATE" in waiting_query.upper()
        assert "co_agent" not in results
        services.move_deal(
            deal_id=deal.pk,
            user=agent,
            to_stage=Stage.CONTACTED,
            expected_stage=Stage.LEAD,
            expected_version=0,
        )
    waiting.join(timeout=60)
    assert not waiting.is_alive()
    assert isinstance(results["co_agent"], services.StaleDeal), results
    deal.refresh_from_db()
    assert (deal.stage, deal.version, deal.transitions.count()) == (Stage.CONTACTED, 1, 1)
