"""A listing as a match query: its own words weighted by specificity plus thesaurus expansions, and
which of those expansions a candidate contains (the "减重 ≈ 轻量化" reasons)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import thesaurus, tokenizing

QUERY_TOKENS = 32
MULTI_TOKEN_SHARE = 0.7  # a multi-word thesaurus term queries each of its words at this share of its weight


@dataclass
class MatchQuery:
    """A listing as a match query: its own words weighted by specificity, plus thesaurus expansions."""

    tokens: dict[str, float]
    expansions: list[thesaurus.Expansion]

    def backend_tokens(self) -> list[tuple[str, float]]:
        out = list(self.tokens.items())
        for e in self.expansions:
            if len(e.tokens) == 1:
                out.append((e.tokens[0], e.weight))
            else:
                out.extend((t, e.weight * MULTI_TOKEN_SHARE * tokenizing.token_weight(t)) for t in e.tokens)
        return [(t, round(w, 4)) for t, w in out if w > 0]


def _raw_text(doc: Mapping[str, Any]) -> str:
    parts = [doc.get("title_text") or "", " ".join(doc.get("keywords") or []), doc.get("body_text") or ""]
    return "。".join(tokenizing.desegment(p) for p in parts)


def build_query(doc: Mapping[str, Any], limit: int = QUERY_TOKENS) -> MatchQuery:
    """Title and keyword words count fully, body words at 0.7; each scaled by how specific it is."""
    tokens: dict[str, float] = {}
    for name, share in (("title_text", 1.0), ("keywords_text", 1.0), ("body_text", 0.7)):
        for token in (doc.get(name) or "").split():
            # Generic words (技术, 研究...) would pull in every listing; they never make a match.
            if tokenizing.is_reason_term(token) and token not in tokens:
                weight = tokenizing.token_weight(token) * share
                if weight > 0:
                    tokens[token] = round(weight, 3)
    tokens = dict(list(tokens.items())[:limit])
    expansions = thesaurus.expand(_raw_text(doc), list(tokens), doc.get("field") or "")
    return MatchQuery(tokens, expansions[: limit])


def matching_tokens(doc: Mapping[str, Any], limit: int = QUERY_TOKENS) -> list[tuple[str, float]]:
    """The weighted tokens a listing queries the backend with (its words and their expansions)."""
    return build_query(doc, limit).backend_tokens()


def concepts_in(
    expansions: Sequence[thesaurus.Expansion], theirs: set[str], shared: set[str]
) -> list[thesaurus.Expansion]:
    """Thesaurus expansions the candidate contains in full, one per source word (the strongest), never a
    source word that is itself a shared term (减重 shared outright needs no 减重 ≈ 轻量化)."""
    found: dict[str, thesaurus.Expansion] = {}
    for e in expansions:  # strongest first
        if e.source in shared or e.source in found:
            continue
        if all(t in theirs for t in e.tokens) and any(tokenizing.is_specific(t) for t in e.tokens):
            found[e.source] = e
    return list(found.values())
