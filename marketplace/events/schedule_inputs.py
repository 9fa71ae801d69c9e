"""From the database to the scheduler's input: participants, pair scores with reasons, requests,
declines and hand-placed meetings.

Pair scores come from the match engine (search.matching.match_demand) when the search backend answers: for
every demand a participant linked, the matched results owned or linked by other participants score that
pair, with the engine's reasons. Pairs the engine does not see (no demand on either side) and events where
the engine is unavailable use a fallback: shared industry field, shared keywords (listing keywords plus
what each side says it offers/seeks) and the same county.
Fallback scores are halved next to engine scores, so engine matches rank first. The source used is
recorded on the schedule and shown to the organizer."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from search.backends import SearchUnavailable
from search.matching import match_demand

from .models import EventPage, Meeting, MeetingPreference, Registration
from .scheduling import Meeting as CoreMeeting
from .scheduling import ScheduleProblem
from .states import ATTENDING

logger = logging.getLogger(__name__)

ENGINE_TOP = 30  # matches fetched per demand
FALLBACK_WEIGHT_WITH_ENGINE = 0.5
SPLIT = re.compile(r"[\s,，、;；/|。.]+")

MatchFn = Callable[..., list]


# What the engine raises when its backend is down: then we fall back instead of failing.
ENGINE_ERRORS = (SearchUnavailable, ConnectionError)


def _terms(*texts: str) -> set[str]:
    return {t.strip().lower() for text in texts for t in SPLIT.split(text or "") if len(t.strip()) >= 2}


class _Profile:
    """What one registration brings: fields, keywords and county, from its links and its own text."""

    def __init__(self, registration: Registration):
        self.registration = registration
        demands = list(registration.demands.all())
        achievements = list(registration.achievements.all())
        self.demands = demands
        self.achievement_ids = {a.pk for a in achievements}
        self.seek_fields = {d.field_id: d.field for d in demands}
        self.offer_fields = {a.field_id: a.field for a in achievements}
        self.seek_terms = _terms(registration.seeks, *(d.keywords for d in demands))
        self.offer_terms = _terms(registration.offers, *(a.keywords for a in achievements))
        self.county = registration.organization.county


def _fallback_score(x: _Profile, y: _Profile) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    for seeker, offerer in ((x, y), (y, x)):
        shared_fields = set(seeker.seek_fields) & set(offerer.offer_fields)
        if shared_fields:
            score += 0.5
            names = "、".join(sorted(str(seeker.seek_fields[f]) for f in shared_fields))
            reasons.append(_("需求与成果同属领域：%(f)s") % {"f": names})
        shared = sorted(seeker.seek_terms & offerer.offer_terms)
        if shared:
            score += min(0.4, 0.1 * len(shared))
            reasons.append(_("共同关键词：%(k)s") % {"k": "、".join(shared[:5])})
    if score and x.county and y.county and x.county == y.county:
        score += 0.1
        reasons.append(_("同在%(c)s") % {"c": x.county})
    return score, reasons


def pair_scores(registrations: list[Registration], match_fn: MatchFn | None | str = "auto"
                ) -> tuple[dict[tuple[int, int], float], dict[frozenset, list[str]], str]:
    """(scores by registration-id pair, reasons by pair, a description of the source used)."""
    profiles = {r.pk: _Profile(r) for r in registrations}
    if match_fn == "auto":
        match_fn = match_demand
    engine_scores: dict[tuple[int, int], float] = {}
    reasons: dict[frozenset, list[str]] = defaultdict(list)
    source = _("双方所属领域、共同关键词与所在县")
    if match_fn is not None:
        try:
            engine_scores, engine_reasons = _engine_scores(profiles, match_fn)
        except ENGINE_ERRORS as error:
            from_search = type(error).__name__
            logger.warning("match engine unavailable for scheduling (%s); using the fallback", from_search)
            # The organizer reads this on the schedule page: the technical cause is in the log above.
            source = _("双方填写的“可提供”“希望对接”与所属领域（平台匹配服务暂不可用，已改用此依据）")
        else:
            reasons.update(engine_reasons)
            source = _("平台匹配服务对需求与成果的评分；未发布需求的单位按双方填写的“可提供”“希望对接”与所属领域")
    scores: dict[tuple[int, int], float] = dict(engine_scores)
    ids = sorted(profiles)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if (a, b) in engine_scores:
                continue
            score, why = _fallback_score(profiles[a], profiles[b])
            if score > 0:
                scores[(a, b)] = score * (FALLBACK_WEIGHT_WITH_ENGINE if engine_scores else 1.0)
                reasons[frozenset((a, b))] = why
    return scores, dict(reasons), str(source)


def _engine_scores(profiles: dict[int, _Profile], match_fn: MatchFn
                   ) -> tuple[dict[tuple[int, int], float], dict[frozenset, list[str]]]:
    # Who at this event holds a result: linked explicitly, or owned by the registered organization.
    holders: dict[int, set[int]] = defaultdict(set)  # achievement page id -> registration ids
    by_org: dict[int, set[int]] = defaultdict(set)
    for pk, profile in profiles.items():
        for achievement_id in profile.achievement_ids:
            holders[achievement_id].add(pk)
        by_org[profile.registration.organization_id].add(pk)
    scores: dict[tuple[int, int], float] = {}
    reasons: dict[frozenset, list[str]] = {}
    for pk, profile in profiles.items():
        for demand in profile.demands:
            for match in match_fn(demand, top=ENGINE_TOP):
                page = match.page
                owner = getattr(page, "organization_id", None)
                partners = holders.get(page.pk, set()) | by_org.get(owner, set())
                for other in partners - {pk}:
                    key = (min(pk, other), max(pk, other))
                    if match.score > scores.get(key, 0.0):
                        scores[key] = float(match.score)
                        reasons[frozenset(key)] = [
                            _("需求「%(d)s」匹配成果「%(a)s」") % {
                                "d": demand.title, "a": page.title},
                            *[str(r) for r in match.reasons]]
    return scores, reasons


def build_problem(event: EventPage, match_fn: MatchFn | None | str = "auto") -> tuple[ScheduleProblem, str]:
    registrations = list(Registration.objects.filter(event=event, status__in=ATTENDING)
                         .select_related("organization__county")
                         .prefetch_related("demands__field", "achievements__field"))
    ids = {r.pk for r in registrations}
    scores, reasons, source = pair_scores(registrations, match_fn)
    preferences = list(MeetingPreference.objects.filter(event=event)
                       .values_list("source_id", "target_id", "kind"))
    requests = [(s, t) for s, t, kind in preferences if kind == MeetingPreference.Kind.REQUEST]
    declines = [(s, t) for s, t, kind in preferences if kind == MeetingPreference.Kind.DECLINE]
    for s, t in requests:
        reasons.setdefault(frozenset((s, t)), []).insert(0, _("一方预约洽谈"))
    fixed = [CoreMeeting(slot=m.slot, table=m.table, a=m.a_id, b=m.b_id, score=m.score, requested=m.requested,
                         fixed=True, reasons=tuple(m.reasons))
             for m in Meeting.objects.filter(event=event, source=Meeting.Source.MANUAL)
             if m.a_id in ids and m.b_id in ids]
    problem = ScheduleProblem(
        participants=sorted(ids), slots=event.slot_count, tables=event.table_count, scores=scores,
        requests=requests, declines=declines, fixed=fixed,
        max_meetings_per_participant=event.max_meetings_per_participant, reasons=reasons)
    return problem, source


def describe_unfit(entries: Iterable[dict], names: dict[int, str]) -> list[str]:
    """Human text for the schedule's list of requested meetings that did not fit."""
    text = {
        "declined": _("%(r)s 预约 %(p)s：对方已谢绝"),
        "not_participant": _("%(r)s 预约 %(p)s：一方未确认参会"),
        "participant_full": _("%(r)s 预约 %(p)s：%(w)s 的洽谈已排满"),
        "no_common_slot": _("%(r)s 预约 %(p)s：双方没有共同的空闲时段"),
        "tables_full": _("%(r)s 预约 %(p)s：共同空闲时段的洽谈桌已满"),
    }
    out = []
    for entry in entries:
        template = text.get(entry.get("reason"), "%(r)s / %(p)s")
        out.append(template % {"r": names.get(entry.get("requester"), entry.get("requester")),
                               "p": names.get(entry.get("partner"), entry.get("partner")),
                               "w": names.get(entry.get("who"), entry.get("who") or "")})
    return out
