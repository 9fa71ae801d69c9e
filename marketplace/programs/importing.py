"""Reading last year's spreadsheets (CSV or XLSX), one row at a time, with every problem reported by row
number and column. This module reads reserve projects and major key results; sheets.py describes the other
kinds (commissioners, stations, evaluations) with the same pieces. Saving is services.imports' job.
File reading, dates, counties, fields and organizations are read the same way as the agreements import."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from marketplace.agreements.importing import find_organization, parse_county, parse_date, parse_field
from marketplace.agreements.services import RowError

from .models import RecordKind, RecordStage

# code -> (label shown in errors, other header spellings)
COLUMNS = {
    "kind": ("类别", ("类型", "项目类别")),
    "title": ("名称", ("项目名称", "成果名称")),
    "owner": ("承担单位", ("单位", "所属单位", "统一社会信用代码")),
    "field": ("产业领域", ("领域",)),
    "county": ("县(市、区)", ("县（市、区）", "县区", "县市区")),
    "stage": ("阶段", ("所处阶段",)),
    "approved_on": ("认定日期", ("入库日期", "认定时间")),
    "summary": ("简介", ("项目简介", "成果简介", "备注")),
}
REQUIRED = ["kind", "title", "owner", "field", "county", "stage", "approved_on"]


@dataclass
class ParsedRecord:
    row: int
    data: dict


def _norm(text) -> str:
    return re.sub(r"\s+", "", str(text or "")).lower()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def map_header(header: list, columns: dict | None = None, required: list | None = None) -> dict[str, int]:
    columns, required = columns or COLUMNS, REQUIRED if required is None else required
    lookup = {_norm(name): code for code, (label, aliases) in columns.items() for name in (code, label, *aliases)}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        code = lookup.get(_norm(cell))
        if code and code not in positions:
            positions[code] = index
    missing = [columns[code][0] for code in required if code not in positions]
    if missing:
        raise ValidationError(_("第1行（表头）缺少列：%(cols)s。") % {"cols": "、".join(missing)})
    return positions


def _choice(value, choices, what: str) -> str:
    text = _norm(value)
    for code, label in choices:
        if text in {code, _norm(label)}:
            return code
    raise ValidationError(_("未知的%(what)s“%(v)s”，可选：%(options)s。") % {
        "what": what, "v": _text(value), "options": "、".join(str(label) for _c, label in choices)})


PARSERS = {
    "kind": lambda v: _choice(v, RecordKind.choices, _("类别")),
    "stage": lambda v: _choice(v, RecordStage.choices, _("阶段")),
    "owner": lambda v: find_organization(_text(v)),
    "field": parse_field,
    "county": parse_county,
    "approved_on": parse_date,
    "title": _text,
    "summary": _text,
}


def parse_rows(rows: list[list], columns: dict | None = None, required: list | None = None,
               parsers: dict | None = None) -> tuple[list[ParsedRecord], list[RowError]]:
    """Every row parsed by the column parsers (reserve projects and key results unless told otherwise)."""
    columns, parsers = columns or COLUMNS, parsers or PARSERS
    required = REQUIRED if required is None else required
    positions = map_header(rows[0], columns, required)
    parsed, errors = [], []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in cells):
            continue  # blank lines between blocks are common in hand-kept sheets
        data, row_errors = {}, []
        for code, index in positions.items():
            value = cells[index] if index < len(cells) else None
            if not _text(value):
                if code in required:
                    row_errors.append(RowError(number, columns[code][0], _("必填。")))
                    continue
                if code not in ("title", "summary"):
                    continue  # an optional column left blank
            try:
                data[code] = parsers[code](value)
            except ValidationError as error:
                row_errors.extend(RowError(number, columns[code][0], m) for m in error.messages)
        errors.extend(row_errors)
        if not row_errors:
            parsed.append(ParsedRecord(number, data))
    return parsed, errors
