"""The shared state-machine helper: moves as data, guarded, with reasons people can read."""

from dataclasses import dataclass

import pytest
from django.db import models

from marketplace.core.states import StateMachine, Transition, TransitionRefused


class Light(models.TextChoices):
    RED = "red", "红"
    GREEN = "green", "绿"
    AMBER = "amber", "黄"
    OFF = "off", "关"


class Side(models.TextChoices):
    DRIVER = "driver", "司机"
    KEEPER = "keeper", "管理员"


MAPPING = StateMachine(Light, {Light.RED: [Light.GREEN, Light.OFF], Light.GREEN: [Light.AMBER],
                               Light.AMBER: [Light.RED]}, noun="信号灯")
SIDED = StateMachine(Light, [Transition(Light.RED, Light.GREEN, Side.KEEPER),
                             Transition(Light.GREEN, Light.OFF, Side.DRIVER)])


def test_allowed_moves_are_exactly_the_table():
    pairs = {(s, t) for s in Light.values for t in Light.values if MAPPING.can(s, t)}
    assert pairs == {("red", "green"), ("red", "off"), ("green", "amber"), ("amber", "red")}


def test_a_status_nobody_leaves_is_terminal():
    assert MAPPING.terminal == {"off"}
    assert SIDED.terminal == {"amber", "off"}  # amber is never a source in SIDED


def test_targets_follow_the_declared_order():
    assert MAPPING.targets(Light.RED) == ["green", "off"]


def test_refusals_say_why_and_what_is_possible():
    with pytest.raises(TransitionRefused) as refused:
        MAPPING.check(Light.RED, Light.AMBER)
    assert "信号灯不能从“红”变为“黄”" in refused.value.messages[0]
    assert "绿、关" in refused.value.messages[0]
    with pytest.raises(TransitionRefused, match="已是“关”"):
        MAPPING.check(Light.OFF, Light.RED)
    with pytest.raises(TransitionRefused, match="已处于“红”"):
        MAPPING.check(Light.RED, Light.RED)


def test_the_side_that_may_move_is_enforced():
    assert SIDED.can(Light.RED, Light.GREEN, by=Side.KEEPER)
    assert not SIDED.can(Light.RED, Light.GREEN, by=Side.DRIVER)
    assert SIDED.targets(Light.RED, by=Side.DRIVER) == []
    with pytest.raises(TransitionRefused, match="应由管理员操作"):
        SIDED.check(Light.RED, Light.GREEN, by=Side.DRIVER)


def test_unknown_statuses_in_the_table_fail_at_import_time():
    with pytest.raises(ValueError):
        StateMachine(Light, {"red": ["blue"]})


class FakeRecord:
    """Stands in for a model row: apply() only sets the field and calls save(update_fields=...)."""

    def __init__(self, status: str) -> None:
        self.status = status
        self.saved: list[list[str]] = []

    def save(self, update_fields: list[str]) -> None:
        self.saved.append(update_fields)


def test_apply_sets_saves_and_logs_only_allowed_moves():
    logged = []
    record = FakeRecord(Light.RED)
    MAPPING.apply(record, Light.GREEN, actor="张三", note="放行", also_save=["changed_at"],
                  log=lambda r, s, t, who, note: logged.append((s, t, who, note)))
    assert record.status == "green"
    assert record.saved == [["status", "changed_at"]]
    assert logged == [("red", "green", "张三", "放行")]
    with pytest.raises(TransitionRefused):
        MAPPING.apply(record, Light.OFF, log=lambda *a: logged.append(a))
    assert record.status == "green" and len(logged) == 1 and len(record.saved) == 1


class LightRefused(TransitionRefused):
    """A process's own refusal type, which its callers catch."""


def test_unknown_statuses_are_refused_by_name():
    with pytest.raises(TransitionRefused, match="未知的当前状态“blue”") as refused:
        MAPPING.check("blue", Light.RED)
    assert refused.value.code == "unknown_source"
    with pytest.raises(TransitionRefused, match="未知的目标状态“blue”"):
        MAPPING.check(Light.RED, "blue")


def test_refusals_carry_their_reason_as_the_code():
    codes = {}
    for target in (Light.RED, Light.AMBER):
        with pytest.raises(TransitionRefused) as refused:
            MAPPING.check(Light.RED, target)
        codes[target] = refused.value.code
    assert codes == {"red": "same", "amber": "not_allowed"}
    assert MAPPING.refusal_reason(Light.RED, Light.GREEN) is None


def test_a_process_may_word_its_refusals_and_raise_its_own_type():
    worded = StateMachine(Light, {Light.RED: [Light.GREEN], Light.GREEN: [Light.RED]},
                          messages={"not_allowed": "灯不能从“%(from)s”跳到“%(to)s”。", "options": ""},
                          refused=LightRefused)
    with pytest.raises(LightRefused) as refused:
        worded.check(Light.RED, Light.AMBER)
    assert refused.value.messages == ["灯不能从“红”跳到“黄”。"]  # no options sentence: it was turned off
    with pytest.raises(ValueError):
        StateMachine(Light, {}, messages={"no_such_reason": "x"})


def test_a_process_may_override_the_whole_refusal():
    class Backwards(StateMachine):
        def refusal(self, reason, source, target, *, by=None):
            return f"{reason}:{source}->{target}"

    machine = Backwards(Light, {Light.RED: [Light.GREEN]})
    with pytest.raises(TransitionRefused) as refused:
        machine.check(Light.RED, Light.AMBER)
    assert refused.value.messages == ["not_allowed:red->amber"]


@dataclass(frozen=True)
class Move(Transition):
    needs_reason: bool = False


def test_richer_transition_rows_are_kept_as_written():
    machine = StateMachine(Light, [Move(Light.RED, Light.OFF, needs_reason=True), Move(Light.RED, Light.GREEN)])
    row = machine.check(Light.RED, Light.OFF)
    assert isinstance(row, Move) and row.needs_reason
    assert not machine.check(Light.RED, Light.GREEN).needs_reason


def test_a_move_to_the_same_status_is_allowed_only_where_the_table_has_it():
    looping = StateMachine(Light, {Light.AMBER: [Light.AMBER, Light.RED]})
    assert looping.check(Light.AMBER, Light.AMBER).target == "amber"
    with pytest.raises(TransitionRefused, match="已处于"):
        MAPPING.check(Light.AMBER, Light.AMBER)
