"""Every stage transition, allowed and refused, taken from the table in marketplace/deals/stages.py:
a new stage or a new arrow is tested without anyone writing a new test."""

import pytest
from django.utils import timezone

from marketplace.agreements.models import Agreement
from marketplace.deals import stages
from marketplace.deals.models import DealTransition
from marketplace.deals.stages import Stage, TransitionRefused

from .builders import deal_at, move

ALL_STAGES = [s for s, _label in Stage.choices]
ALLOWED = [(a, b) for a in ALL_STAGES for b in sorted(stages.TRANSITIONS[a])]
REFUSED = [(a, b) for a in ALL_STAGES for b in ALL_STAGES if b not in stages.TRANSITIONS[a]]


def test_the_table_names_every_stage_and_only_known_stages():
    assert set(stages.TRANSITIONS) == set(ALL_STAGES)
    for targets in stages.TRANSITIONS.values():
        assert targets <= set(ALL_STAGES)


def test_lost_is_reachable_from_every_open_stage_and_nothing_leaves_a_finished_deal():
    for stage in stages.OPEN_STAGES:
        assert Stage.LOST in stages.TRANSITIONS[stage]
    for stage in stages.TERMINAL_STAGES:
        assert stages.TRANSITIONS[stage] == frozenset()


def test_the_machine_allows_exactly_the_table():
    assert {(a, b) for a in ALL_STAGES for b in ALL_STAGES if stages.MACHINE.can(a, b)} == set(ALLOWED)
    assert stages.MACHINE.terminal == {Stage.CLOSED, Stage.LOST}


def test_the_forward_path_is_one_step_at_a_time():
    for i, stage in enumerate(stages.PIPELINE[:-1]):
        forward = stages.TRANSITIONS[stage] - {Stage.LOST}
        assert forward == {stages.PIPELINE[i + 1]}


@pytest.mark.parametrize(("from_stage", "to_stage"), REFUSED)
def test_the_pipeline_refuses_with_a_reason(from_stage, to_stage):
    with pytest.raises(TransitionRefused) as refused:
        stages.MACHINE.check(from_stage, to_stage)
    assert refused.value.messages and all(m.strip() for m in refused.value.messages)


@pytest.mark.django_db
@pytest.mark.parametrize(("from_stage", "to_stage"), ALLOWED)
def test_allowed_move_is_applied_and_recorded(from_stage, to_stage):
    deal = deal_at(from_stage)
    before_version = deal.version
    moved = move(deal, to_stage, note=f"{from_stage} -> {to_stage}")
    assert moved.stage == to_stage
    assert moved.version == before_version + 1
    last = DealTransition.objects.filter(deal=deal).order_by("-pk").first()
    assert (last.from_stage, last.to_stage, last.by, last.note) == (
        from_stage,
        to_stage,
        deal.agent,
        f"{from_stage} -> {to_stage}",
    )
    assert abs((timezone.now() - last.at).total_seconds()) < 60
    if to_stage == Stage.AGREEMENT_SIGNED:
        assert Agreement.objects.filter(deal=deal).count() == 1
    if to_stage == Stage.LOST:
        assert moved.lost_reason


@pytest.mark.django_db
@pytest.mark.parametrize("from_stage", ALL_STAGES)
def test_every_refused_move_from_a_stage_leaves_the_deal_untouched(from_stage):
    deal = deal_at(from_stage)
    transitions_before = DealTransition.objects.filter(deal=deal).count()
    agreements_before = Agreement.objects.count()
    for to_stage in [b for a, b in REFUSED if a == from_stage]:
        with pytest.raises(TransitionRefused) as refused:
            move(deal, to_stage)
        assert refused.value.messages, f"{from_stage} -> {to_stage} refused without a reason"
        deal.refresh_from_db()
        assert (deal.stage, DealTransition.objects.filter(deal=deal).count()) == (
            from_stage,
            transitions_before,
        )
    assert Agreement.objects.count() == agreements_before


def test_skipping_a_stage_says_so_and_lists_the_allowed_moves():
    with pytest.raises(TransitionRefused) as refused:
        stages.MACHINE.check(Stage.LEAD, Stage.NEGOTIATING)
    text = " ".join(refused.value.messages)
    assert "跳过" in text and "已接洽" in text and "已流失" in text


def test_a_step_back_says_so():
    with pytest.raises(TransitionRefused) as refused:
        stages.MACHINE.check(Stage.NEGOTIATING, Stage.LEAD)
    assert refused.value.messages == ["商机不能退回到“线索”。 当前可以转入：已签约、已流失。"]


def test_a_finished_deal_says_it_is_finished():
    with pytest.raises(TransitionRefused) as refused:
        stages.MACHINE.check(Stage.CLOSED, Stage.LOST)
    assert "已结束" in " ".join(refused.value.messages)
