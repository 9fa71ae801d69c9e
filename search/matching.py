"""The match engine: demand → achievements, achievement → demands, demand → pilot bases.

1. The listing becomes a weighted query (search.match_query): its specific words, title and keywords
   first, plus domain-thesaurus and 词林 expansions (search.thesaurus).
2. The backend returns BM25 candidates over segmented title/keywords/body (field boosts in
   search.backends.base.TEXT_BOOSTS, multiplied by each token's weight, identically in both engines).
3. A re-rank in Python scores the common ground (shared specific terms, thesaurus concepts) and adds
   structured features — same field, county proximity, maturity fit, budget vs price, transfer-mode
   overlap, freshness — and explains each match in reasons ("相近说法：减重 ≈ 轻量化").
4. Outcomes recorded on pairs (不相关 / 已联系 / deal) adjust the order; a floor drops noise and
   ``strong`` marks what pages show first.
5. Only listings that are live, public and unexpired in the database *now* are returned; the hits the engine
   still had for others are named in ``Matches.stale_ids`` for the caller to heal (matching never writes).

Callers (the listing pages, the deals workbench, the event scheduler) use match_demand /
match_achievement / match_pilot_bases. They raise search.backends.SearchUnavailable when the search
backend cannot be reached."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.core import cache as shared_cache
from marketplace.listings.choices import TransferMode
from marketplace.listings.models import AchievementPage, DemandPage, ListingPage, PilotBasePage
from marketplace.listings.selectors import public_listings
from marketplace.taxonomy.models import County

from . import tokenizing
from .backends import Candidate, get_backend
from .backends.base import source_fields
from .documents import MODEL_FOR_TYPE, Document, build_document, document_tokens, is_demand_side
from .match_query import MatchQuery, build_query, concepts_in, matching_tokens  # noqa: F401 - API (bench)

MAX_TOP = 50
CANDIDATES = 50  # BM25 candidates fetched for the re-rank
MATCH_CACHE_SECONDS = 600  # freshness reasons ("published this week") age: a cached ranking is recomputed
MAX_SHARED_SHOWN = 5
NEARBY_KM = 100.0  # beyond this a county gives no proximity credit
FRESH_DAYS = 30
FULL_EVIDENCE = 3.0  # this much weighted common ground (shared terms + thesaurus concepts) is full agreement
MAX_CONCEPTS_SHOWN = 3

# Feature weights; they sum to 1 so a score reads as "how good a match, 0..1". Text agreement dominates:
# price, place and freshness only order results that answer the same problem.
WEIGHTS = {
    "text": 0.58,
    "field": 0.14,
    "county": 0.07,
    "maturity": 0.08,
    "budget": 0.07,
    "modes": 0.04,
    "fresh": 0.02,
}

# Two cut-offs, calibrated on search/eval with manage.py match_eval (figures in search/README.md):
# - FLOOR_SCORE: below it a candidate is noise and is never listed (pages, API, `manage.py match`). It is
#   set low enough that it costs the ranking almost nothing (nDCG@10 0.944 → 0.940 on the set).
# - strong: what pages show by default — score ≥ STRONG_MIN_SCORE and ≥ STRONG_MIN_RATIO × the best
#   match for the same listing. The rest, above the floor, sit behind "显示更多较弱匹配".
FLOOR_SCORE = 0.35
STRONG_MIN_SCORE = 0.40
STRONG_MIN_RATIO = 0.50
# Outcomes feed back (search.models.MatchFeedback): a pair the owner marked 不相关 drops to this share of
# its score and is never "strong" again (at best it waits behind "显示更多较弱匹配"; often it falls below
# the floor and leaves the list); 已联系 / a deal opened are shown beside the match (Match.outcomes).
IRRELEVANT_FACTOR = 0.5


# Reason texts (zh first, en second). Translated once per ranking, not once per candidate.
REASONS = {
    "maturity_fit": _("成熟度TRL %(trl)d 适合产业化需求"),
    "pilot_ready": _("成熟度TRL %(trl)d 可中试放大"),
    "budget_fits": _("预算覆盖报价"),
    "negotiable": _("价格面议"),
    "same_county": _("同在%(county)s"),
    "distance": _("距离约%(km)d公里"),
    "fresh": _("近期发布"),
    "shared": _("共同关键词：%(terms)s"),
    "concepts": _("相近说法：%(pairs)s"),
    "contacted": _("已联系"),
    "deal": _("已发起商机"),
    "same_field": _("同一领域：%(field)s"),
    "serves_field": _("服务行业覆盖：%(field)s"),
    "modes": _("转化方式一致：%(modes)s"),
}


def _texts() -> dict[str, str]:
    return {key: str(text) for key, text in REASONS.items()}


@dataclass
class Match:
    page: ListingPage
    score: float
    reasons: list[str]
    shared_terms: list[str] = field(default_factory=list)
    text_score: float = 0.0
    distance_km: float | None = None
    concepts: list[str] = field(default_factory=list)  # "减重 ≈ 轻量化"
    strong: bool = True  # clears the cut-off (see is_strong)
    outcomes: list[str] = field(default_factory=list)  # 已联系 / 已发起商机 recorded on this pair


class Matches(list):
    """The matches, best first, and `stale_ids`: hits the search engine still has but the database no longer shows
    (unpublished, deleted). Matching only reads; the caller passes them to search.services.heal."""

    def __init__(self, matches: Sequence[Match] = (), stale_ids: Sequence[int] = ()) -> None:
        super().__init__(matches)
        self.stale_ids = list(stale_ids)


@dataclass
class Ranked:
    """A re-ranked candidate before it is joined with its page."""

    id: int
    score: float
    reasons: list[str]
    shared_terms: list[str]
    text_score: float
    distance_km: float | None
    concepts: list[str] = field(default_factory=list)
    evidence: float = 0.0
    marked_irrelevant: bool = False
    outcomes: list[str] = field(default_factory=list)


# ---- query side -----------------------------------------------------------------------------------


def is_strong(score: float, best: float) -> bool:
    """The cut-off pages apply: good in absolute terms and not far below the best match."""
    return score >= STRONG_MIN_SCORE and score >= STRONG_MIN_RATIO * best


def _mode_names(codes: Sequence[str]) -> list[str]:
    labels = dict(TransferMode.choices)
    return [str(labels.get(code, code)) for code in codes]


# ---- features -----------------------------------------------------------------------------------


def _shared_terms(query_tokens: Sequence[str], candidate: Mapping[str, Any], preferred: frozenset[str]) -> list[str]:
    """Tokens both listings contain (``query_tokens`` are already reason-worthy), most telling first:
    the owners' keywords and domain words, then the rest in the query's order."""
    theirs = document_tokens(candidate)
    shared = [t for t in query_tokens if t in theirs]
    if len(shared) < 2:
        return shared
    their_keywords = set(candidate.get("keywords") or ())
    order = {t: n for n, t in enumerate(shared)}
    return sorted(shared, key=lambda t: (t not in preferred and t not in their_keywords, order[t]))


def _maturity(txt: dict[str, str], trl: int | None) -> tuple[float, str | None]:
    if not trl:
        return 0.3, None
    if trl >= 7:
        return 1.0, txt["maturity_fit"] % {"trl": trl}
    if trl >= 5:
        return 0.6, txt["pilot_ready"] % {"trl": trl}
    return 0.2, None


def _budget(
    txt: dict[str, str],
    price_fen: int | None,
    negotiable: bool,
    budget_max_fen: int | None,
) -> tuple[float, str | None]:
    """Whether the demand's budget covers the result's price (integer fen, no float money)."""
    if price_fen is not None and budget_max_fen is not None:
        if price_fen <= budget_max_fen:
            return 1.0, txt["budget_fits"]
        return max(0.0, 1.0 - (price_fen - budget_max_fen) / max(budget_max_fen, 1)) * 0.5, None
    if negotiable or price_fen is None:
        return 0.5, (txt["negotiable"] if negotiable else None)
    return 0.3, None


def _county(
    txt: dict[str, str], mine: str, theirs: str, counties: Mapping[str, County]
) -> tuple[float, str | None, float | None]:
    if not mine or not theirs:
        return 0.0, None, None
    if mine == theirs:
        name = counties[mine].name if mine in counties else mine
        return 1.0, txt["same_county"] % {"county": name}, 0.0
    a, b = counties.get(mine), counties.get(theirs)
    distance = a.distance_km(b) if a and b else None
    if distance is None:
        return 0.0, None, None
    credit = max(0.0, 1.0 - distance / NEARBY_KM)
    reason = txt["distance"] % {"km": round(distance)} if credit > 0 else None
    return credit, reason, distance


def _freshness(txt: dict[str, str], published: str | dt.datetime | None, now: dt.datetime) -> tuple[float, str | None]:
    if not published:
        return 0.0, None
    if isinstance(published, str):
        published = dt.datetime.fromisoformat(published)
    age_days = max(0.0, (now - published).total_seconds() / 86400)
    reason = txt["fresh"] if age_days <= FRESH_DAYS else None
    return math.exp(-age_days / 90), reason


def rank_candidates(
    query: Mapping[str, Any],
    candidates: Sequence[Candidate],
    counties: Mapping[str, County],
    now: dt.datetime | None = None,
    mq: MatchQuery | None = None,
) -> list[Ranked]:
    """Re-rank backend candidates for ``query`` (a source dict: search.backends.base.source_fields).

    Pure: no database, no backend — the benchmark times it on generated documents."""
    now = now or timezone.now()
    if not candidates:
        return []
    txt = _texts()
    best = max(c.score for c in candidates) or 1.0
    mq = mq or build_query(query)
    specific = [t for t in mq.tokens if tokenizing.is_specific(t)]
    preferred = frozenset(k.lower() for k in query.get("keywords") or []) | tokenizing.domain_words()
    ranked = []
    for candidate in candidates:
        other = candidate.source
        reasons: list[str] = []
        theirs = document_tokens(other)
        shared = _shared_terms(specific, other, preferred)
        concepts = concepts_in(mq.expansions, theirs, set(shared))
        if not shared and not concepts:
            continue  # nothing a user would recognise as common ground
        if shared:
            reasons.append(txt["shared"] % {"terms": "、".join(shared[:MAX_SHARED_SHOWN])})
        if concepts:
            pairs = [f"{e.source} ≈ {e.target}" for e in concepts[:MAX_CONCEPTS_SHOWN]]
            reasons.append(txt["concepts"] % {"pairs": "、".join(pairs)})
        # Relative BM25 alone would give a lone weak candidate full marks; evidence keeps it honest.
        evidence = sum(mq.tokens[t] for t in shared) + sum(e.weight for e in concepts)
        coverage = min(1.0, evidence / FULL_EVIDENCE)
        features = {"text": 0.4 * candidate.score / best + 0.6 * coverage}

        same_field = query.get("field") and query.get("field") == other.get("field")
        serves_field = query.get("field") in (other.get("industries") or [])
        features["field"] = 1.0 if same_field else (0.8 if serves_field else 0.0)
        if same_field:
            reasons.append(txt["same_field"] % {"field": other.get("field_name") or other["field"]})
        elif serves_field:
            reasons.append(txt["serves_field"] % {"field": query.get("field_name") or query["field"]})

        features["county"], county_reason, distance = _county(
            txt, query.get("county", ""), other.get("county", ""), counties
        )
        if county_reason:
            reasons.append(county_reason)

        if other["type"] == "pilot_base":
            # A pilot base has no price, maturity or transfer modes: those features stay neutral.
            features.update(maturity=0.5, budget=0.5, modes=0.5)
        else:
            # The query is a demand or a challenge (matched against achievements) or an achievement.
            achievement, demand = (other, query) if other["type"] == "achievement" else (query, other)
            features["maturity"], maturity_reason = _maturity(txt, achievement.get("trl"))
            if maturity_reason:
                reasons.append(maturity_reason)
            features["budget"], budget_reason = _budget(
                txt,
                achievement.get("price_fen"),
                bool(achievement.get("price_negotiable")),
                demand.get("budget_max_fen"),
            )
            if budget_reason:
                reasons.append(budget_reason)
            wanted_modes = demand.get("transfer_modes") or []
            common = [m for m in wanted_modes if m in (achievement.get("transfer_modes") or [])]
            features["modes"] = 1.0 if common else (0.5 if not wanted_modes else 0.0)
            if common:
                reasons.append(txt["modes"] % {"modes": "、".join(_mode_names(common))})

        features["fresh"], fresh_reason = _freshness(txt, other.get("published_at"), now)
        if fresh_reason:
            reasons.append(fresh_reason)

        score = sum(WEIGHTS[name] * value for name, value in features.items())
        ranked.append(
            Ranked(
                id=candidate.id,
                score=round(score, 4),
                reasons=reasons,
                shared_terms=shared,
                text_score=round(candidate.score, 4),
                distance_km=distance,
                concepts=[f"{e.source} ≈ {e.target}" for e in concepts],
                evidence=round(evidence, 3),
            )
        )
    ranked.sort(key=lambda r: (-r.score, -r.text_score, r.id))
    return ranked


# ---- public API -----------------------------------------------------------------------------------


def county_map() -> dict[str, County]:
    return {c.slug: c for c in County.objects.all()}


def clamp_top(top: int) -> int:
    return max(0, min(int(top), MAX_TOP))


def _query_doc(page: ListingPage) -> dict[str, Any]:
    doc: Document = build_document(page)
    return source_fields(doc)


def _rank(page: ListingPage, target_type: str) -> list[Ranked]:
    """Candidates from the index, ranked (before feedback): the expensive part of a match."""
    query = _query_doc(page)
    mq = build_query(query)
    tokens = mq.backend_tokens()
    if not tokens:
        return []
    candidates = get_backend().candidates(tokens, target_type, filters={"exclude_ids": [page.pk]}, size=CANDIDATES)
    return rank_candidates(query, candidates, county_map(), mq=mq)


def _cached_rank(page: ListingPage, target_type: str) -> list[Ranked]:
    """_rank per listing revision and search-index generation (the language is in the key: reasons are
    text). A new revision or any index write computes a new key, so a stale list is never read."""
    key = shared_cache.public_key("match", page.pk, page.latest_revision_id, target_type,
                                  generations=(shared_cache.SEARCH,))
    ranked = cache.get(key)
    if ranked is None:
        ranked = _rank(page, target_type)
        cache.set(key, ranked, MATCH_CACHE_SECONDS)
    return ranked


def _match(page: ListingPage, target: type[ListingPage], top: int, cached: bool = True) -> Matches:
    top = clamp_top(top)
    if top == 0:
        return Matches()
    target_type = next(t for t, m in MODEL_FOR_TYPE.items() if m is target)
    # A preview shows unsaved edits under the stored revision's id: never cached.
    ranked = _cached_rank(page, target_type) if cached and page.pk else _rank(page, target_type)
    ranked = _apply_feedback(page, ranked)
    best = ranked[0].score if ranked else 0.0
    # The database has the last word: a hit that is no longer public is dropped (and named for removal).
    wanted = [r.id for r in ranked[: top * 2 + 10]]
    pages = {p.pk: p for p in public_listings(target).filter(pk__in=wanted)}
    matches = Matches(stale_ids=[i for i in wanted if i not in pages])
    for r in ranked:
        if r.score < FLOOR_SCORE:
            break  # ranked is sorted by score: the rest are weaker still
        if r.id in pages:
            matches.append(
                Match(
                    page=pages[r.id],
                    score=r.score,
                    reasons=r.reasons,
                    shared_terms=r.shared_terms,
                    text_score=r.text_score,
                    distance_km=r.distance_km,
                    concepts=r.concepts,
                    strong=is_strong(r.score, best) and not r.marked_irrelevant,
                    outcomes=r.outcomes,
                )
            )
        if len(matches) >= top:
            break
    return matches


def _apply_feedback(page: ListingPage, ranked: list[Ranked]) -> list[Ranked]:
    from .selectors import feedback_for

    verdicts = feedback_for(page.pk, [r.id for r in ranked], is_demand_side(page))
    if not verdicts:
        return ranked
    txt = _texts()
    for r in ranked:
        marks = verdicts.get(r.id, set())
        if "irrelevant" in marks:
            r.score = round(r.score * IRRELEVANT_FACTOR, 4)
            r.marked_irrelevant = True
        else:
            r.outcomes = [txt[v] for v in ("contacted", "deal") if v in marks]
    ranked.sort(key=lambda r: (-r.score, -r.text_score, r.id))
    return ranked


def match_demand(demand: ListingPage, top: int = 10, cached: bool = True) -> Matches:
    """The best achievements (科技成果) for an enterprise demand — or any demand-side page, such as a
    揭榜挂帅 challenge (search.documents.is_demand_side) — best first, with reasons."""
    return _match(demand, AchievementPage, top, cached)


def match_achievement(achievement: AchievementPage, top: int = 10, cached: bool = True) -> Matches:
    """The open demands (技术需求) an achievement could answer, best first, with reasons."""
    return _match(achievement, DemandPage, top, cached)


def match_pilot_bases(demand: DemandPage, top: int = 5, cached: bool = True) -> Matches:
    """Pilot bases (中试基地) that could scale up a solution for this demand, best first."""
    return _match(demand, PilotBasePage, top, cached)
