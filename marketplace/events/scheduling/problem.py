"""What the scheduler is given and what it hands back: the problem, meetings, and why a request did not fit."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Participant = Hashable
ScoreInput = Mapping[tuple[Participant, Participant], float] | Callable[[Participant, Participant], float]


@dataclass(frozen=True)
class Meeting:
    slot: int
    table: int
    a: Participant
    b: Participant
    score: float = 0.0
    requested: bool = False
    fixed: bool = False
    reasons: tuple[str, ...] = ()

    @property
    def pair(self) -> frozenset:
        return frozenset((self.a, self.b))

    def involves(self, participant: Participant) -> bool:
        return participant in (self.a, self.b)

    def partner_of(self, participant: Participant) -> Participant:
        return self.b if participant == self.a else self.a


# Why a requested meeting was left out. Codes are stable; the service layer turns them into text.
UNFIT_DECLINED = "declined"
UNFIT_NOT_PARTICIPANT = "not_participant"
UNFIT_PARTICIPANT_FULL = "participant_full"
UNFIT_NO_COMMON_SLOT = "no_common_slot"
UNFIT_TABLES_FULL = "tables_full"


@dataclass(frozen=True)
class Unfit:
    requester: Participant
    partner: Participant
    reason: str  # one of the UNFIT_* codes
    who: Participant | None = None  # the participant who is full / unknown, when that is the reason


@dataclass
class ScheduleProblem:
    participants: Sequence[Participant]
    slots: int
    tables: int
    scores: ScoreInput
    requests: Iterable[tuple[Participant, Participant]] = ()  # (who asks, whom)
    declines: Iterable[tuple[Participant, Participant]] = ()  # (who declines, whom)
    fixed: Iterable[Meeting] = ()
    max_meetings_per_participant: int | None = None
    reasons: Mapping[frozenset, Sequence[str]] = field(default_factory=dict)


@dataclass
class ScheduleResult:
    meetings: list[Meeting]
    unfit: list[Unfit]
    total_score: float
    requested_met: int
    algorithm: str
    seconds: float = 0.0

    def agenda(self, participant: Participant) -> list[Meeting]:
        return sorted((m for m in self.meetings if m.involves(participant)), key=lambda m: m.slot)


class ScheduleError(ValueError):
    """The input itself is inconsistent (e.g. two fixed meetings at one table)."""
