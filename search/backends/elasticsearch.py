"""The production backend: Elasticsearch through the elasticsearch.dsl API.

Index ``{prefix}-listings-v1`` (mapping version 1) sits behind the alias ``{prefix}-listings``;
every read and write goes through the alias. A full reindex builds ``{prefix}-listings-v1-<stamp>``
and swaps the alias in one atomic update_aliases call, so searches never see a half-built index.
Text fields use the ``whitespace`` tokenizer over jieba-segmented text (search.tokenizing)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import elasticsearch
from elasticsearch import Elasticsearch, helpers
from elasticsearch.dsl import A, Document, Index, Keyword, Long, MetaField, Q, Search, analyzer
from elasticsearch.dsl import Boolean as BooleanField
from elasticsearch.dsl import Date as DateField
from elasticsearch.dsl import Integer as IntegerField
from elasticsearch.dsl import Text as TextField

from search.documents import Document as IndexDocument

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
    SearchError,
    SearchHit,
    SearchUnavailable,
    expires_ordinal,
    normalize_filters,
    source_fields,
    today_ordinal,
    weighted,
)

MAPPING_VERSION = 1
BULK_CHUNK = 2000
SNIPPET_CHARS = 160

# Tokens arrive segmented and lower-cased; the analyzer only splits on whitespace (like tantivy's).
segmented = analyzer("segmented", tokenizer="whitespace", filter=["lowercase"])


class ListingDocument(Document):
    """The mapping. Money is integer fen (exact), text fields are pre-segmented."""

    id = Long()
    type = Keyword()
    title = Keyword(index=False)
    url = Keyword(index=False)
    summary = TextField(index=False)
    keywords = Keyword()
    title_text = TextField(analyzer=segmented, index_options="freqs")
    keywords_text = TextField(analyzer=segmented, index_options="freqs")
    body_text = TextField(analyzer=segmented, index_options="freqs")
    subwords = TextField(analyzer=segmented, index_options="freqs")
    field = Keyword()
    field_name = Keyword(index=False)
    county = Keyword()
    county_name = Keyword(index=False)
    trl = IntegerField()
    stage = Keyword()
    transfer_modes = Keyword()
    price_fen = Long()
    price_negotiable = BooleanField()
    budget_min_fen = Long()
    budget_max_fen = Long()
    industries = Keyword()
    organization = Keyword()
    organization_id = Long()
    external_id = Keyword()
    published_at = DateField()
    published_ts = Long()
    expires = DateField()
    expires_ord = IntegerField()

    class Meta:
        dynamic = MetaField(False)
        # Sub-words are only ever searched, never shown: not worth storing.
        source = MetaField(excludes=["subwords"])


SOURCE_EXCLUDES = ["subwords", "published_ts", "expires_ord"]


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Connection failures and server errors become SearchUnavailable; bad requests SearchError."""
    try:
        yield
    except (elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout) as exc:
        raise SearchUnavailable(f"Elasticsearch unreachable: {exc}") from exc
    except elasticsearch.ApiError as exc:
        if exc.meta.status >= 500 or exc.meta.status in (408, 429):
            raise SearchUnavailable(f"Elasticsearch error {exc.meta.status}: {exc}") from exc
        raise SearchError(f"Elasticsearch rejected the request ({exc.meta.status}): {exc}") from exc
    except elasticsearch.TransportError as exc:
        raise SearchUnavailable(f"Elasticsearch transport error: {exc}") from exc
    except helpers.BulkIndexError as exc:
        raise SearchError(f"Elasticsearch bulk errors: {exc.errors[:3]}") from exc


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        prefix: str,
        request_timeout: float = 10.0,
        *,
        api_key: str | None = None,
        basic_auth: tuple[str, str] | None = None,
        replicas: int = 0,
    ) -> None:
        self.url = url
        self.prefix = prefix
        self.alias = f"{prefix}-listings"
        self.base_index = f"{prefix}-listings-v{MAPPING_VERSION}"
        self.replicas = replicas
        # "http://a:9200,http://b:9200": the client spreads requests over the nodes and, when one stops
        # answering, retries the request once on each other node before giving up.
        hosts = [host.strip() for host in url.split(",") if host.strip()]
        self.client = Elasticsearch(
            hosts,
            api_key=api_key,
            basic_auth=basic_auth,
            request_timeout=request_timeout,
            max_retries=max(1, len(hosts) - 1),
            retry_on_timeout=False,
        )
        self._ready = False

    # ---- index management ---------------------------------------------------------------------

    def _index(self, name: str) -> Index:
        index = Index(name, using=self.client)
        index.settings(number_of_shards=1, number_of_replicas=self.replicas, max_result_window=10_000)
        index.document(ListingDocument)
        return index

    def _ensure(self, check: bool = False) -> None:
        """Create the first index and point the alias at it, once. Concurrent callers are safe: the
        first index has a fixed name, so a second create fails with 'already exists' and is ignored.

        Writes pass check=True: writing to a missing alias would make Elasticsearch auto-create a
        plain index under the alias's name, with guessed mappings."""
        if self._ready and not check:
            return
        with _errors():
            if not self.client.indices.exists_alias(name=self.alias):
                try:
                    self._index(self.base_index).create()
                except elasticsearch.BadRequestError as exc:
                    if "resource_already_exists_exception" not in str(exc):
                        raise
                self.client.indices.put_alias(index=self.base_index, name=self.alias)
        self._ready = True

    def _alias_targets(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except elasticsearch.NotFoundError:
            return []

    @contextlib.contextmanager
    def _reads(self) -> Iterator[None]:
        # After any failure (node restarted empty, index deleted) check the alias again next time.
        try:
            with _errors():
                yield
        except SearchError:
            self._ready = False
            raise

    # ---- documents ----------------------------------------------------------------------------

    def _es_source(self, doc: IndexDocument) -> dict[str, Any]:
        source = source_fields(doc)
        published = doc.get("published_at")
        source.update(
            subwords=doc.get("subwords", ""),
            published_ts=int(published.timestamp()) if published else 0,
            expires_ord=expires_ordinal(doc.get("expires")),
        )
        return source

    def _send(self, operations: list[dict]) -> int:
        response = self.client.bulk(operations=operations)
        if response.get("errors"):
            failed = [item for item in response["items"] if item.get("index", {}).get("error")]
            raise helpers.BulkIndexError(f"{len(failed)} document(s) failed to index", failed)
        return len(response["items"])

    def _bulk(self, docs: Iterable[IndexDocument], index: str, progress: Progress | None = None) -> int:
        """Send documents in chunks, one chunk in flight while the next is built.

        Documents are built (and the database read) in the calling thread only; the worker thread
        just sends HTTP requests."""
        written = 0
        pending: list[Future] = []
        chunk: list[dict] = []
        with _errors(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="es-bulk") as pool:
            for n, doc in enumerate(docs, 1):
                chunk.append({"index": {"_index": index, "_id": str(doc["id"])}})
                chunk.append(self._es_source(doc))
                if len(chunk) >= 2 * BULK_CHUNK:
                    pending.append(pool.submit(self._send, chunk))
                    chunk = []
                    while len(pending) >= 2:
                        written += pending.pop(0).result()
                if progress:
                    progress(n)
            if chunk:
                pending.append(pool.submit(self._send, chunk))
            for future in pending:
                written += future.result()
        return written

    def index_documents(self, docs: Iterable[IndexDocument]) -> int:
        self._ensure(check=True)
        written = self._bulk(docs, self.alias)
        with _errors():
            self.client.indices.refresh(index=self.alias)
        return written

    def delete(self, ids: Iterable[int]) -> None:
        ids = [int(i) for i in ids]
        if not ids:
            return
        self._ensure(check=True)
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": str(i)} for i in ids)
        with _errors():
            # A missing document is fine (already gone): ignore 404s, surface anything else.
            for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False, raise_on_exception=True):
                status = item.get("delete", {}).get("status")
                if not ok and status != 404:
                    raise SearchError(f"Elasticsearch could not delete: {item}")
            self.client.indices.refresh(index=self.alias)

    def reindex(self, docs: Iterable[IndexDocument], progress: Progress | None = None) -> int:
        self._ensure()
        stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S%f")
        new_name = f"{self.base_index}-{stamp}"
        new_index = self._index(new_name)
        with _errors():
            # No refreshes while loading: one refresh at the end is much faster.
            new_index.settings(refresh_interval="-1")
            new_index.create()
        try:
            written = self._bulk(docs, new_name, progress)
            with _errors():
                self.client.indices.put_settings(index=new_name, settings={"index": {"refresh_interval": "1s"}})
                self.client.indices.refresh(index=new_name)
                old = self._alias_targets()
                actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
                actions.append({"add": {"index": new_name, "alias": self.alias, "is_write_index": True}})
                self.client.indices.update_aliases(actions=actions)
        except BaseException:
            with contextlib.suppress(Exception):
                self.client.indices.delete(index=new_name)
            raise
        with _errors():
            for name in old:
                if name != new_name:
                    self.client.indices.delete(index=name, ignore_unavailable=True)
        return written

    def reset(self) -> None:
        with _errors():
            for name in self._alias_targets():
                self.client.indices.delete(index=name, ignore_unavailable=True)
            self.client.indices.delete(index=self.base_index, ignore_unavailable=True)
        self._ready = False
        self._ensure()

    def drop(self) -> None:
        """Delete every index of this prefix (tests and benchmarks clean up with it)."""
        with _errors():
            # Resolve the wildcard here: the cluster refuses wildcard deletes
            # (action.destructive_requires_name).
            names = list(
                self.client.indices.get(
                    index=f"{self.base_index}*", allow_no_indices=True, ignore_unavailable=True
                ).body
            )
            for name in names:
                self.client.indices.delete(index=name, ignore_unavailable=True)
        self._ready = False

    def count(self) -> int:
        self._ensure()
        with _errors():
            return int(self.client.count(index=self.alias)["count"])

    def health(self) -> dict[str, Any]:
        try:
            with _errors():
                info = self.client.info()
                health = self.client.cluster.health(timeout="2s")
            server = info["version"]["number"]
            client = elasticsearch.__versionstr__
            same_major = server.split(".")[0] == client.split(".")[0]
            return {
                "ok": same_major and health["status"] in ("green", "yellow"),
                "backend": self.name,
                "detail": f"{self.url} server {server}, client {client}, cluster {health['status']}"
                + ("" if same_major else " — client and server major versions differ"),
                "documents": self.count(),
            }
        except SearchError as exc:
            return {"ok": False, "backend": self.name, "detail": str(exc)}

    # ---- queries ------------------------------------------------------------------------------

    @staticmethod
    def _text_query(tokens: QueryTokens, boosts: dict[str, float] = TEXT_BOOSTS) -> Q | None:
        should = [
            Q("term", **{name: {"value": token, "boost": round(boost * weight, 4)}})
            for token, weight in weighted(tokens)
            for name, boost in boosts.items()
        ]
        return Q("bool", should=should, minimum_should_match=1) if should else None

    @staticmethod
    def _filters(filters: dict[str, list[Any]]) -> tuple[list[Q], list[Q]]:
        must = [Q("range", expires_ord={"gte": today_ordinal()})]
        must_not = []
        for name, values in filters.items():
            if name == "exclude_ids":
                must_not.append(Q("ids", values=[str(v) for v in values]))
            else:
                must.append(Q("terms", **{name: values}))
        return must, must_not

    def _search(self) -> Search:
        return Search(using=self.client, index=self.alias).source(excludes=SOURCE_EXCLUDES)

    def _execute_search(
        self, text: Q | None, filters: dict[str, list[Any]], facets: Sequence[str], sort: str, offset: int,
        per_page: int,
    ) -> tuple[list[SearchHit], int, dict[str, list[FacetCount]]]:
        self._ensure()
        must, must_not = self._filters(filters)
        s = self._search().query(
            Q("bool", must=[text] if text is not None else [Q("match_all")], filter=must, must_not=must_not)
        )
        s = s.extra(track_total_hits=True)[offset : offset + per_page]
        if sort != "relevance":
            s = s.sort(
                {
                    "newest": {"published_ts": {"order": "desc"}},
                    "trl": {"trl": {"order": "desc", "missing": "_last"}},
                    "price": {"price_fen": {"order": "asc", "missing": "_last"}},
                }[sort]
            )
        if text is not None:
            s = s.highlight(
                *HIGHLIGHT_FIELDS,
                pre_tags=["\x01"],
                post_tags=["\x02"],
                fragment_size=SNIPPET_CHARS,
                number_of_fragments=1,
                type="unified",
            )
        for name in facets:
            if name in FACET_FIELDS:
                s.aggs.bucket(name, A("terms", field=name, size=200))
        with self._reads():
            response = s.execute()
        hits = []
        for hit in response.hits:
            source = hit.to_dict()
            highlights = {}
            if hasattr(hit.meta, "highlight"):
                highlights = {name: list(frags) for name, frags in hit.meta.highlight.to_dict().items()}
            score = float(hit.meta.score) if sort == "relevance" and hit.meta.score is not None else 0.0
            hits.append(
                SearchHit(
                    id=int(source["id"]),
                    type=source["type"],
                    score=score,
                    highlights=highlights,
                    source=source,
                )
            )
        facet_counts: dict[str, list[FacetCount]] = {}
        for name in facets:
            if name in FACET_FIELDS:
                buckets = getattr(response.aggregations, name).buckets
                facet_counts[name] = [FacetCount(value=str(b.key), count=int(b.doc_count)) for b in buckets]
        return hits, int(response.hits.total.value), facet_counts

    def candidates(
        self, tokens: QueryTokens, type: str, filters: Filters | None = None, size: int = 100
    ) -> list[Candidate]:
        # The same clauses as _text_query, written as plain dicts: building ~100 DSL objects per match
        # cost ~2 ms of Python, as much as a tenth of the query itself.
        should = [
            {"term": {name: {"value": token, "boost": round(boost * weight, 4)}}}
            for token, weight in weighted(list(tokens))
            for name, boost in MATCH_BOOSTS.items()
        ]
        if not should or size <= 0:
            return []
        self._ensure()
        wanted = normalize_filters(filters)
        wanted["type"] = [type]
        must, must_not = self._filters(wanted)
        # The filters go in post_filter, not beside the text in one bool: a bare disjunction of term
        # queries gets Lucene's MaxScore bulk scorer, which skips documents that cannot enter the top
        # `size`; a filter or must_not clause next to it falls back to a conjunction that visits every
        # matching document (profile: ~2x the time at 100k documents, bench/README.md). Elasticsearch
        # applies post_filter while collecting, so the hits are still the best `size` documents that pass
        # the filters, with the same scores (filters never score). No total count is needed, and counting
        # would keep the scorer from skipping until 10,000 hits were seen.
        body = {
            "query": {"bool": {"should": should, "minimum_should_match": 1}},
            "post_filter": Q("bool", filter=must, must_not=must_not).to_dict(),
            "size": size,
            "track_total_hits": False,
            "_source": {"excludes": [*SOURCE_EXCLUDES, "summary", "url"]},
        }
        with self._reads():
            # Sent as the plain body: matching reads ~100 hits per call and the DSL's per-hit response
            # wrappers would cost more than the query itself.
            response = self.client.search(
                index=self.alias,
                body=body,
                filter_path=["hits.hits._id", "hits.hits._score", "hits.hits._source"],
            )
        hits = response.body.get("hits", {}).get("hits", [])
        return [Candidate(id=int(hit["_id"]), score=float(hit["_score"]), source=hit["_source"]) for hit in hits]
