"""The zero-setup backend: a tantivy index on disk under settings.SEARCH_EMBEDDED_PATH.

Layout: ``CURRENT`` names the live index directory (``listings-v1-<stamp>``); a reindex builds a new
directory and replaces ``CURRENT`` atomically (os.replace), so readers never see a half-built index.
Writers from several processes (web workers, commands) are serialised by an flock on ``.write.lock``;
tantivy itself allows one IndexWriter per index."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import tantivy

from search.documents import Document
from search.tokenizing import HL_END, HL_START

from .base import (
    FACET_FIELDS,
    HIGHLIGHT_FIELDS,
    MATCH_BOOSTS,
    TEXT_BOOSTS,
    Candidate,
    FacetCount,
    Filters,
    Progress,
    QueryTokens,
    SearchBackend,
    SearchHit,
    SearchUnavailable,
    expires_ordinal,
    normalize_filters,
    source_fields,
    to_fen,
    today_ordinal,
    weighted,
)

SCHEMA_VERSION = 1
KEYWORD_FIELDS = ("type", "field", "county", "stage", "transfer_modes", "industries")
STORED_TEXT = ("title_text", "keywords_text", "body_text")
PRICE_MISSING = 2**62  # sorts listings without a price after every priced one
WRITER_HEAP = 32_000_000  # split across writer threads; tantivy needs ≥15 MB per thread
BATCH_COMMIT = 20_000
SNIPPET_CHARS = 160


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in KEYWORD_FIELDS:
        sb.add_text_field(name, stored=False, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_integer_field("organization_id", indexed=True, fast=True)
    for name in TEXT_BOOSTS:
        sb.add_text_field(name, stored=name in STORED_TEXT, tokenizer_name="whitespace", index_option="freq")
    for name in ("trl", "price_sort", "published_ts", "expires_ord"):
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_bytes_field("source", stored=True)
    return sb.build()


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.schema = build_schema()
        self._index: tantivy.Index | None = None
        self._index_dir: str | None = None
        self._mutex = threading.Lock()
        self._held = threading.local()

    # ---- storage ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Exclusive across processes; re-entrant within a thread (a second flock would deadlock)."""
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".write.lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            self._held.depth = 1
            try:
                yield
            finally:
                self._held.depth = 0
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _current_name(self) -> str | None:
        try:
            return (self.path / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def _new_dir(self) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S%f")
        directory = self.path / f"listings-v{SCHEMA_VERSION}-{stamp}"
        directory.mkdir(parents=True)
        return directory

    def _point_current_to(self, directory: Path) -> None:
        tmp = self.path / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(directory.name)
        os.replace(tmp, self.path / "CURRENT")

    def _index_for_current(self) -> tantivy.Index:
        """The live index, reopened when another process has switched CURRENT."""
        name = self._current_name()
        if name is None or not (self.path / name).is_dir():
            with self._write_lock():
                name = self._current_name()
                if name is None or not (self.path / name).is_dir():
                    directory = self._new_dir()
                    tantivy.Index(self.schema, path=str(directory), reuse=False)
                    self._point_current_to(directory)
                    name = directory.name
        with self._mutex:
            if self._index is None or self._index_dir != name:
                try:
                    self._index = tantivy.Index(self.schema, path=str(self.path / name), reuse=True)
                except (OSError, ValueError) as exc:
                    raise SearchUnavailable(f"cannot open search index {self.path / name}: {exc}") from exc
                self._index_dir = name
            return self._index

    def _searcher(self) -> tantivy.Searcher:
        index = self._index_for_current()
        index.reload()  # see commits made by other processes
        return index.searcher()

    # ---- documents ----------------------------------------------------------------------------

    def _to_tantivy(self, doc: Document) -> tantivy.Document:
        td = tantivy.Document()
        td.add_integer("id", int(doc["id"]))
        for name in KEYWORD_FIELDS:
            value = doc.get(name)
            for item in value if isinstance(value, list) else [value]:
                if item:
                    td.add_text(name, str(item))
        if doc.get("organization_id") is not None:
            td.add_integer("organization_id", int(doc["organization_id"]))
        for name in TEXT_BOOSTS:
            td.add_text(name, doc.get(name) or "")
        price = to_fen(doc.get("price"))
        published = doc.get("published_at")
        td.add_integer("trl", int(doc.get("trl") or 0))
        td.add_integer("price_sort", PRICE_MISSING if price is None else price)
        td.add_integer("published_ts", int(published.timestamp()) if published else 0)
        td.add_integer("expires_ord", expires_ordinal(doc.get("expires")))
        source = {k: v for k, v in source_fields(doc).items() if k not in STORED_TEXT}
        td.add_bytes("source", json.dumps(source, ensure_ascii=False).encode())
        return td

    def _source(self, stored: dict[str, list[Any]]) -> dict[str, Any]:
        source = json.loads(stored["source"][0])
        for name in STORED_TEXT:
            source[name] = (stored.get(name) or [""])[0]
        return source

    def _write(
        self, index: tantivy.Index, docs: Iterable[Document], replace: bool, progress: Progress | None = None
    ) -> int:
        written = 0
        writer = index.writer(WRITER_HEAP, 2 if not replace else 1)
        try:
            for doc in docs:
                if replace:
                    writer.delete_documents_by_term("id", int(doc["id"]))
                writer.add_document(self._to_tantivy(doc))
                written += 1
                if written % BATCH_COMMIT == 0:
                    writer.commit()
                if progress:
                    progress(written)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        return written

    def index_documents(self, docs: Iterable[Document]) -> int:
        with self._write_lock():
            return self._write(self._index_for_current(), docs, replace=True)

    def delete(self, ids: Iterable[int]) -> None:
        ids = [int(i) for i in ids]
        if not ids:
            return
        with self._write_lock():
            index = self._index_for_current()
            writer = index.writer(15_000_000, 1)
            try:
                for doc_id in ids:
                    writer.delete_documents_by_term("id", doc_id)
                writer.commit()
            finally:
                writer.wait_merging_threads()

    def reindex(self, docs: Iterable[Document], progress: Progress | None = None) -> int:
        directory = self._new_dir()
        try:
            index = tantivy.Index(self.schema, path=str(directory), reuse=False)
            written = self._write(index, docs, replace=False, progress=progress)
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        with self._write_lock():
            old = self._current_name()
            self._point_current_to(directory)
        if old and old != directory.name:
            # Readers in other processes keep their open files (POSIX) until they notice CURRENT changed.
            shutil.rmtree(self.path / old, ignore_errors=True)
        return written

    def reset(self) -> None:
        with self._write_lock():
            old = self._current_name()
            directory = self._new_dir()
            tantivy.Index(self.schema, path=str(directory), reuse=False)
            self._point_current_to(directory)
        if old:
            shutil.rmtree(self.path / old, ignore_errors=True)

    def count(self) -> int:
        return self._searcher().num_docs

    def health(self) -> dict[str, Any]:
        try:
            return {
                "ok": True,
                "backend": self.name,
                "detail": str(self.path / (self._current_name() or "")),
                "documents": self.count(),
            }
        except Exception as exc:  # noqa: BLE001 - health reports, never raises
            return {"ok": False, "backend": self.name, "detail": str(exc)}

    # ---- queries ------------------------------------------------------------------------------

    def _text_query(self, tokens: QueryTokens, boosts: dict[str, float] = TEXT_BOOSTS) -> tantivy.Query | None:
        clauses = []
        for token, weight in weighted(tokens):
            for name, boost in boosts.items():
                term = tantivy.Query.term_query(self.schema, name, token)
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(term, boost * weight)))
        return tantivy.Query.boolean_query(clauses) if clauses else None

    def _filter_clauses(self, filters: dict[str, list[Any]]) -> list[tuple[Any, tantivy.Query]]:
        """Filters as zero-score MUST clauses (and MUST_NOT for excluded ids); always unexpired only."""
        zero = 0.0
        clauses = [
            (
                tantivy.Occur.Must,
                tantivy.Query.const_score_query(
                    tantivy.Query.range_query(
                        self.schema, "expires_ord", tantivy.FieldType.Integer, today_ordinal(), None
                    ),
                    zero,
                ),
            )
        ]
        for name, values in filters.items():
            if name == "exclude_ids":
                for doc_id in values:
                    clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_query(self.schema, "id", doc_id)))
                continue
            query = tantivy.Query.term_set_query(self.schema, name, values)
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(query, zero)))
        return clauses

    def _query(self, text: tantivy.Query | None, filters: dict[str, list[Any]]) -> tantivy.Query:
        clauses = self._filter_clauses(filters)
        clauses.append((tantivy.Occur.Must, text if text is not None else tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _execute_search(
        self, text: tantivy.Query | None, filters: dict[str, list[Any]], facets: Sequence[str], sort: str,
        offset: int, per_page: int,
    ) -> tuple[list[SearchHit], int, dict[str, list[FacetCount]]]:
        full = self._query(text, filters)
        searcher = self._searcher()
        if sort == "relevance":
            result = searcher.search(full, per_page, count=True, offset=offset)
        else:
            order_field, order = {
                "newest": ("published_ts", tantivy.Order.Desc),
                "trl": ("trl", tantivy.Order.Desc),
                "price": ("price_sort", tantivy.Order.Asc),
            }[sort]
            result = searcher.search(full, per_page, count=True, offset=offset, order_by_field=order_field, order=order)
        generators = {}
        if text is not None:
            for name in HIGHLIGHT_FIELDS:
                generator = tantivy.SnippetGenerator.create(searcher, text, self.schema, name)
                generator.set_max_num_chars(SNIPPET_CHARS)
                generators[name] = generator
        hits = []
        for key, address in result.hits:
            stored = searcher.doc(address)
            source = self._source(stored.to_dict())
            highlights = {}
            for name, generator in generators.items():
                fragment = _marked(generator.snippet_from_doc(stored))
                if fragment:
                    highlights[name] = [fragment]
            score = float(key) if sort == "relevance" else 0.0
            hits.append(
                SearchHit(id=source["id"], type=source["type"], score=score, highlights=highlights, source=source)
            )
        facet_counts = self._facets(searcher, full, facets)
        return hits, result.count or 0, facet_counts

    def _facets(
        self, searcher: tantivy.Searcher, query: tantivy.Query, facets: Sequence[str]
    ) -> dict[str, list[FacetCount]]:
        wanted = [f for f in facets if f in FACET_FIELDS]
        if not wanted:
            return {}
        spec = {name: {"terms": {"field": name, "size": 200}} for name in wanted}
        result = searcher.aggregate(query, spec)
        return {
            name: [
                FacetCount(value=b["key"], count=int(b["doc_count"])) for b in result.get(name, {}).get("buckets", [])
            ]
            for name in wanted
        }

    def candidates(
        self, tokens: QueryTokens, type: str, filters: Filters | None = None, size: int = 100
    ) -> list[Candidate]:
        text = self._text_query(list(tokens), MATCH_BOOSTS)
        if text is None or size <= 0:
            return []
        wanted = normalize_filters(filters)
        wanted["type"] = [type]
        searcher = self._searcher()
        result = searcher.search(self._query(text, wanted), size, count=False)
        found = []
        for score, address in result.hits:
            source = self._source(searcher.doc(address).to_dict())
            found.append(Candidate(id=source["id"], score=float(score), source=source))
        return found


def _marked(snippet: tantivy.Snippet) -> str:
    """Snippet text with HL_START/HL_END around each matched token (byte offsets → str slices)."""
    fragment = snippet.fragment()
    ranges = snippet.highlighted()
    if not fragment or not ranges:
        return ""
    raw = fragment.encode()
    out, last = [], 0
    for r in sorted(ranges, key=lambda r: r.start):
        out.append(raw[last : r.start].decode(errors="ignore"))
        out.append(HL_START + raw[r.start : r.end].decode(errors="ignore") + HL_END)
        last = r.end
    out.append(raw[last:].decode(errors="ignore"))
    return "".join(out)
