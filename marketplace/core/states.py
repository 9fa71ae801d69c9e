"""One state-machine helper for every process of the marketplace (registrations, deals, agreements,
challenges, inquiries, transfers, bookings, programs, payments).

Each process keeps its statuses and its transitions as data in its own `states.py`; this module
only answers the questions every process asks the same way:

- may a record go from A to B, and who (which side or role) may make that move?
- if not, why not, in words the person who tried can read (a ValidationError, so forms show it);
- make the move: guard it, set the field, save only that field, and hand the change to the
  process's own log (each process keeps its own log model: who, when, from, to, note).

Transitions are written either as a mapping source -> targets (anyone the service already
authorised may make them) or as Transition rows naming the side that may make the move. A process
whose moves carry more (what a move needs, which roles may make it) subclasses Transition.

Refusals speak the process's language: pass `messages` (templates by reason, see REASONS) or
override `refusal()`, and `refused` (a TransitionRefused subclass) when callers catch their own
exception type.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_lazy


class TransitionRefused(ValidationError):
    """A move the process does not allow; the message says why, for the person who tried it."""


# Why a move is refused (also the refusal's ValidationError code), with the default sentence. The
# templates may use %(noun)s, %(from)s, %(to)s (status labels), %(options)s and %(side)s.
REASONS: dict[str, Any] = {
    "unknown_source": gettext_lazy("未知的当前状态“%(from)s”。"),
    "unknown_target": gettext_lazy("未知的目标状态“%(to)s”。"),
    "same": gettext_lazy("%(noun)s已处于“%(from)s”状态。"),
    "terminal": gettext_lazy("%(noun)s已是“%(from)s”，不能再变更。"),
    "not_allowed": gettext_lazy("%(noun)s不能从“%(from)s”变为“%(to)s”。"),
    # appended to not_allowed when some move is open from the current status
    "options": gettext_lazy("当前可以变为：%(options)s。"),
    "wrong_side": gettext_lazy("这一步应由%(side)s操作。"),
}


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    # The side or role allowed to make this move; None when the calling service decides who may.
    by: str | None = None


# (record, source, target, actor, note) -> None: writes the process's own log row.
TransitionLog = Callable[[models.Model, str, str, Any, str], None]


class StateMachine:
    """The allowed moves of one status field, as data, with the guard and the move itself."""

    def __init__(
        self,
        choices: type[models.TextChoices],
        transitions: Mapping[str, Iterable[str]] | Iterable[Transition],
        *,
        field: str = "status",
        noun: str = "",
        messages: Mapping[str, Any] | None = None,
        refused: type[TransitionRefused] = TransitionRefused,
    ) -> None:
        self.choices = choices
        self.field = field
        # What the record is called in refusals ("商机", "报名"); empty reads as a generic "记录".
        self.noun = noun
        unknown_reasons = set(messages or {}) - set(REASONS)
        if unknown_reasons:
            raise ValueError(f"messages for unknown refusal reasons: {sorted(unknown_reasons)}")
        self.messages = {**REASONS, **(messages or {})}
        self.refused = refused
        if isinstance(transitions, Mapping):
            rows = [Transition(str(s), str(t)) for s, targets in transitions.items() for t in targets]
        else:
            rows = list(transitions)
        self.transitions: tuple[Transition, ...] = tuple(rows)
        known = {str(value) for value in choices.values}
        unknown = {s for row in rows for s in (row.source, row.target)} - known
        if unknown:
            raise ValueError(f"transitions name unknown statuses: {sorted(unknown)}")
        self._rows = {(row.source, row.target): row for row in rows}
        # A status nobody can leave ends the process.
        self.terminal: frozenset[str] = frozenset(known - {row.source for row in rows})

    # -- questions ---------------------------------------------------------------------------------

    def label(self, status: str) -> str:
        return str(dict(self.choices.choices).get(status, status))

    def row(self, source: str, target: str) -> Transition | None:
        return self._rows.get((str(source), str(target)))

    def can(self, source: str, target: str, *, by: str | None = None) -> bool:
        row = self.row(source, target)
        return row is not None and (row.by is None or by is None or row.by == by)

    def targets(self, source: str, *, by: str | None = None) -> list[str]:
        """The moves open from `source` (for `by`, when given), in the order the choices are declared."""
        order = {str(v): i for i, v in enumerate(self.choices.values)}
        found = {row.target for row in self.transitions
                 if row.source == str(source) and (by is None or row.by is None or row.by == by)}
        return sorted(found, key=order.__getitem__)

    def sources_of(self, target: str) -> frozenset[str]:
        return frozenset(row.source for row in self.transitions if row.target == str(target))

    def refusal_reason(self, source: str, target: str, *, by: str | None = None) -> str | None:
        """Why source -> target is refused (a key of REASONS), or None when the move is allowed."""
        source, target = str(source), str(target)
        known = {str(value) for value in self.choices.values}
        if source not in known:
            return "unknown_source"
        if target not in known:
            return "unknown_target"
        row = self.row(source, target)
        if target == source and row is None:  # a move to itself only where the table has one (a second refund)
            return "same"
        if source in self.terminal:
            return "terminal"
        if row is None:
            return "not_allowed"
        if row.by is not None and by is not None and row.by != by:
            return "wrong_side"
        return None

    def refusal(self, reason: str, source: str, target: str, *, by: str | None = None) -> str:
        """The sentence for a refused move; a process overrides this (or passes `messages`) to say
        it in its own words."""
        row = self.row(source, target)
        names = {
            "from": self.label(source),
            "to": self.label(target),
            "noun": self.noun or gettext("记录"),
            "options": "、".join(self.label(o) for o in self.targets(source, by=by)),
            "side": self._side_label(row.by) if row is not None and row.by is not None else "",
        }
        message = str(self.messages[reason]) % names
        if reason == "not_allowed" and names["options"] and self.messages["options"]:
            message += str(self.messages["options"]) % names
        return message

    def check(self, source: str, target: str, *, by: str | None = None) -> Transition:
        """The transition row for source -> target, or TransitionRefused saying why not."""
        source, target = str(source), str(target)
        reason = self.refusal_reason(source, target, by=by)
        if reason is not None:
            raise self.refused(self.refusal(reason, source, target, by=by), code=reason)
        return self._rows[(source, target)]

    def _side_label(self, side: str) -> str:
        return str(side.label) if isinstance(side, models.Choices) else str(side)

    # -- the move ----------------------------------------------------------------------------------

    def apply(
        self,
        record: models.Model,
        target: str,
        *,
        by: str | None = None,
        actor: Any = None,
        note: str = "",
        log: TransitionLog | None = None,
        also_save: Iterable[str] = (),
    ) -> Transition:
        """Guard and make the move on `record`: set the field, save it (with `also_save` fields the
        caller changed alongside), then write the process's log row. Call inside the caller's
        transaction, on a row it has locked, so two moves cannot both pass the guard."""
        source = getattr(record, self.field)
        row = self.check(source, target, by=by)
        setattr(record, self.field, row.target)
        record.save(update_fields=[self.field, *also_save])
        if log is not None:
            log(record, row.source, row.target, actor, note)
        return row
