"""Bulk import of listings (科技成果 / 技术需求 / 中试基地) from JSON Lines.

One JSON object per line; the schema is documented in docs/import_listings.md. A bad line leaves nothing
behind and the good lines around it still import. Re-importing a line with the same ``external_id``
updates that listing instead of adding another.

With ``publish=True`` the pages go live at once (a bureau-run bulk load): new listings are validated line
by line and written in batches by writer.py (tree paths numbered in one pass, one INSERT per table and
batch, revisions and log entries in bulk); updates of existing listings take the per-line path (a new
revision, then publish). Without ``publish`` each new or changed listing becomes a revision in the
moderation workflow, one by one, exactly like an owner's front-end submission (slower: each starts a
workflow).

Modules: vocabulary (the words a file may use), parsing (record → values, all problems collected),
building (values → a validated page; the per-line path), writer (the bulk writer), report (line errors
and the result)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.core.sections import ensure_site

from ..bulk import deferred_side_effects, forget_created
from ..models import LISTING_MODELS, ListingPage
from .building import NewPage, Organizations, import_record, plan_new_page
from .parsing import RecordParser, find_page
from .report import ImportResult, LineError, RecordInvalid, line_errors, problems_of
from .vocabulary import Taxonomy, parse_money
from .writer import write_published

__all__ = ["ImportResult", "LineError", "RecordInvalid", "RecordParser", "import_listings", "import_record",
           "parse_money"]

logger = logging.getLogger(__name__)
# Lines validated before each bulk write: one transaction, a few INSERTs per table.
BATCH = 250
Progress = Callable[[int], None]


def import_listings(lines: Iterable[str | bytes], *, publish: bool = False, user: User | None = None,
                    progress: Progress | None = None) -> ImportResult:
    """Import every line of a JSONL document; never stops at a bad line.

    With ``publish`` the side effects that do not belong to one page (reference index, Wagtail's page
    search index, the push of the search outbox) are written in batches after the last line
    (listings.bulk). ``progress(n)`` is told each line read."""
    ensure_site()  # cms builds the skeleton through the sections registry (cms sits above listings)
    if not publish:  # moderation submissions stay one by one (each starts a workflow)
        return _per_line(enumerate(lines, start=1), publish=False, user=user, progress=progress,
                         taxonomy=Taxonomy())
    with deferred_side_effects() as load:
        result = _bulk(lines, user=user, progress=progress)
        for page_id in result.created + result.updated:
            load.touched(page_id)
    return result


def _decode(number: int, raw: str | bytes) -> dict | LineError | None:
    """The line's JSON object, its error, or None for a blank line."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return LineError(number, "", _("不是UTF-8编码的文本。"))
    text = raw.lstrip("\ufeff").strip()
    if not text:
        return None
    try:
        record = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        return LineError(number, "", _("JSON格式错误（第%(col)d列）：%(msg)s") % {"col": error.colno,
                                                                                 "msg": error.msg})
    if not isinstance(record, dict):
        return LineError(number, "", _("每行应为一个JSON对象。"))
    return record


def _per_line(numbered: Iterable[tuple[int, str | bytes]], *, publish: bool, user: User | None,
              progress: Progress | None, taxonomy: Taxonomy) -> ImportResult:
    """Each line in its own transaction (a savepoint when called inside the bulk path's)."""
    result = ImportResult()
    orgs = Organizations()
    for number, raw in numbered:
        if progress:
            progress(number)
        record = _decode(number, raw)
        if record is None:
            continue
        if isinstance(record, LineError):
            result.errors.append(record)
            continue
        _guarded(result, number, lambda r=record: _one(r, publish=publish, user=user, taxonomy=taxonomy,
                                                       orgs=orgs))
    return result


def _one(record: dict, **kwargs) -> tuple[ListingPage, bool]:
    with transaction.atomic():
        return import_record(record, **kwargs)


def _guarded(result: ImportResult, number: int, work: Callable[[], tuple[ListingPage, bool] | None]) -> None:
    """Run one line's work; its problems become the line's errors, never the file's end."""
    try:
        done = work()
    except RecordInvalid as invalid:
        result.errors.extend(line_errors(number, invalid.problems))
    except ValidationError as error:
        result.errors.extend(line_errors(number, problems_of(error)))
    except Exception as error:  # an unexpected failure on one line must not abort the whole file
        logger.exception("import_listings: line %s failed", number)
        result.errors.append(LineError(number, "", _("导入失败：%(err)s")
                                       % {"err": f"{type(error).__name__}: {error}"}))
    else:
        if done is not None:
            page, created = done
            (result.created if created else result.updated).append(page.pk)


def _bulk(lines: Iterable[str | bytes], *, user: User | None, progress: Progress | None) -> ImportResult:
    result = ImportResult()
    taxonomy = Taxonomy()  # fields and counties read once per file
    orgs = Organizations()
    chunk: list[tuple[int, str | bytes]] = []
    for numbered in enumerate(lines, start=1):
        chunk.append(numbered)
        if len(chunk) == BATCH:
            result.extend(_bulk_chunk(chunk, user=user, progress=progress, taxonomy=taxonomy, orgs=orgs))
            chunk = []
    result.extend(_bulk_chunk(chunk, user=user, progress=progress, taxonomy=taxonomy, orgs=orgs))
    return result


def _bulk_chunk(chunk: list[tuple[int, str | bytes]], *, user: User | None, progress: Progress | None,
                taxonomy: Taxonomy, orgs: Organizations) -> ImportResult:
    """One batch in one transaction. If the bulk write fails (say a concurrent edit of the tree), the
    whole batch is rolled back and imported again line by line, so each line is reported on its own."""
    work = _ChunkImport(chunk, user=user, progress=progress, taxonomy=taxonomy, orgs=orgs)
    try:
        with transaction.atomic():
            return work.run()
    except Exception:
        logger.exception("import_listings: bulk write of lines %s-%s failed; retrying line by line",
                         chunk[0][0], chunk[-1][0])
        orgs.forget_all()
        forget_created(work.result.created)  # rolled back (and SQLite may give their ids out again)
        return _per_line(chunk, publish=True, user=user, progress=progress, taxonomy=taxonomy)


class _ChunkImport:
    """Validates a batch's lines one by one, collects new listings for one bulk write and updates
    existing ones on the per-line path."""

    def __init__(self, chunk: list[tuple[int, str | bytes]], *, user: User | None, progress: Progress | None,
                 taxonomy: Taxonomy, orgs: Organizations) -> None:
        self.chunk, self.user, self.progress, self.taxonomy, self.orgs = chunk, user, progress, taxonomy, orgs
        self.result = ImportResult()
        self.pending: list[NewPage] = []
        self.pending_ids: set[str] = set()
        self.known: dict[str, ListingPage | None] = {}

    def run(self) -> ImportResult:
        records = []
        for number, raw in self.chunk:
            record = _decode(number, raw)
            if isinstance(record, LineError):
                self.result.errors.append(record)
            elif record is not None:
                records.append((number, record))
        self._load_known(str(r.get("external_id") or "").strip() for _n, r in records)
        for number, record in records:
            if self.progress:
                self.progress(number)
            _guarded(self.result, number, lambda n=number, r=record: self._line(n, r))
        self._flush()
        return self.result

    def _load_known(self, external_ids: Iterable[str]) -> None:
        """Every listing the batch's external_ids name, in one query per listing type."""
        ids = {i for i in external_ids if i}
        self.known = dict.fromkeys(ids)
        for model in LISTING_MODELS.values():
            for page in model.objects.filter(external_id__in=ids):
                self.known[page.external_id] = page

    def _find(self, external_id: str) -> ListingPage | None:
        return self.known[external_id] if external_id in self.known else find_page(external_id)

    def _line(self, number: int, record: dict) -> tuple[ListingPage, bool] | None:
        parser = RecordParser(record, self.taxonomy, self._find)
        model = parser.model()
        if model is None:
            raise RecordInvalid(parser.problems)
        external_id, existing = parser.existing_page(model)
        if external_id in self.pending_ids:
            # The file names this listing twice: write the first, then this line updates it.
            self._flush()
            self.known[external_id] = find_page(external_id)
            existing = self.known[external_id]
        if existing is not None or parser.problems:
            with transaction.atomic():  # a savepoint: a failing update leaves the batch intact
                return import_record(record, publish=True, user=self.user, taxonomy=self.taxonomy,
                                     find=self._find, orgs=self.orgs)
        self.pending.append(plan_new_page(parser, model, line=number, user=self.user, orgs=self.orgs))
        self.pending_ids.add(external_id)
        return None

    def _flush(self) -> None:
        ids = write_published(self.pending, user=self.user)
        self.result.created.extend(ids)
        self.pending, self.pending_ids = [], set()
