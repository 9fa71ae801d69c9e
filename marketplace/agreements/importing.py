"""Importing an agreements register from CSV or XLSX: each row read into AgreementTerms + Parties, with every
problem reported by row number and column, then saved whole or not at all through services.create_agreement."""

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from accounts.uscc import normalize_uscc
from marketplace.taxonomy.models import County, IndustryField

from . import services
from .models import Agreement, AgreementSource, AgreementType
from .permissions import can_enter_agreements
from .services import AgreementTerms, Parties, RowError

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    code: str
    label: str  # shown in errors and used as the export header
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = [
    Column("title", "协议名称 title", ("协议名称", "名称"), required=True),
    Column("agreement_type", "协议类型 type", ("协议类型", "类型", "type"), required=True),
    Column(
        "amount",
        "合同金额（元） amount",
        ("合同金额", "金额", "合同金额（元）", "合同金额(元)"),
        required=True,
    ),
    Column(
        "signed_on",
        "签订日期 signed on",
        ("签订日期", "签约日期", "signed_on", "signing date"),
        required=True,
    ),
    Column("county", "县(市、区) county", ("县(市、区)", "县（市、区）", "县区", "县市区"), required=True),
    Column("field", "产业领域 field", ("产业领域", "领域", "industry field"), required=True),
    Column("enterprises", "企业方 enterprises", ("企业方", "企业", "enterprise"), required=True),
    Column(
        "academics",
        "高校院所方 universities/institutes",
        ("高校院所方", "高校院所", "universities", "institutes", "academics"),
        required=True,
    ),
    Column("others", "其他参与方 other parties", ("其他参与方", "other", "other parties")),
    Column(
        "registration_number",
        "技术合同登记号 registration number",
        ("技术合同登记号", "登记号", "registration_number"),
    ),
    Column(
        "registered_amount",
        "登记金额（元） registered amount",
        ("登记金额", "登记金额（元）", "登记金额(元)", "registered_amount"),
    ),
    Column("notes", "备注 notes", ("备注",)),
]
COLUMN_BY_CODE = {c.code: c for c in COLUMNS}
# Model field name -> import column, for errors raised by the model on save.
FIELD_TO_COLUMN = {c.code: c.code for c in COLUMNS}
PARTY_SEPARATORS = re.compile(r"[;；、|\n]+")


@dataclass
class ParsedRow:
    row: int
    terms: AgreementTerms | None = None
    parties: Parties | None = None
    errors: list[RowError] = field(default_factory=list)


def label_of(code: str) -> str:
    column = COLUMN_BY_CODE.get(code)
    return column.label if column else code


def row_errors(row: int, error: ValidationError) -> list[RowError]:
    """A model/service ValidationError as row errors, each naming its column."""
    if not hasattr(error, "error_dict"):
        return [RowError(row, _("整行"), m) for m in error.messages]
    return [
        RowError(row, label_of(FIELD_TO_COLUMN.get(name, name)) if name != "__all__" else _("整行"), m)
        for name, messages in error.message_dict.items()
        for m in messages
    ]


# --- reading files ---------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    # Excel on Chinese Windows saves CSV as GB18030/GBK; everything else is UTF-8 (maybe with a BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("无法识别文件编码，请保存为 UTF-8 CSV。")
    )


def read_table(filename: str, content: bytes) -> list[list]:
    """All rows of the first sheet (or the CSV), header first, as lists of cell values."""
    if len(content) > MAX_BYTES:
        raise ValidationError(_("文件超过5MB。"))
    name = (filename or "").lower()
    if name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(_decode(content))))
    elif name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    else:
        raise ValidationError(_("仅支持 .csv 或 .xlsx 文件。"))
    if not rows:
        raise ValidationError(_("文件是空的。"))
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(_("一次最多导入%(n)d行。") % {"n": MAX_ROWS})
    return rows


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a non-workbook; all mean the same here
        raise ValidationError(_("无法读取该 Excel 文件。")) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


# --- parsing rows ----------------------------------------------------------------------------------


def _norm(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def map_header(header: list) -> dict[str, int]:
    """Column code -> index. A header cell matches a column by its code, label or any alias, or by
    the Chinese part of a bilingual label ("协议名称 title")."""
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.code, column.label, *column.aliases):
            lookup[_norm(name)] = column.code
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = _norm(cell)
        code = lookup.get(text) or lookup.get(text.split(" ")[0]) if text else None
        if code and code not in positions:
            positions[code] = index
    missing = [c.label for c in COLUMNS if c.required and c.code not in positions]
    if missing:
        raise ValidationError(
            _("第1行（表头）缺少列：%(cols)s。")
            % {"cols": "、".join(missing)}
        )
    return positions


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_amount(value, *, required: bool) -> Decimal | None:
    if isinstance(value, float):
        value = repr(value)  # the shortest text that round-trips; never do money arithmetic in float
    text = _text(value).replace(",", "").replace("，", "").replace("元", "").replace("¥", "").strip()
    if not text:
        if required:
            raise ValidationError(_("请填写金额。"))
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(v)s”不是有效的金额。") % {"v": text}) from None
    if not amount.is_finite():
        raise ValidationError(_("“%(v)s”不是有效的金额。") % {"v": text})
    if amount < 0:
        raise ValidationError(_("金额不能为负数。"))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("金额最多保留两位小数。"))
    return amount.quantize(Decimal("0.01"))


DATE_PATTERNS = [
    r"(\d{4})-(\d{1,2})-(\d{1,2})",
    r"(\d{4})/(\d{1,2})/(\d{1,2})",
    r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
    r"(\d{4})年(\d{1,2})月(\d{1,2})日?",
]


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        raise ValidationError(_("请填写签订日期。"))
    for pattern in DATE_PATTERNS:
        match = re.fullmatch(pattern, text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValidationError(
        _("“%(v)s”不是有效日期，请用 2023-05-18 格式。") % {"v": text}
    )


def parse_type(value) -> str:
    text = _norm(value)
    for code, label in AgreementType.choices:
        zh, _sep, en = str(label).partition(" ")
        if text in {code, _norm(label), _norm(zh), _norm(en)}:
            return code
    options = "、".join(str(label) for _code, label in AgreementType.choices)
    raise ValidationError(
        _("未知的协议类型“%(v)s”，可选：%(options)s。")
        % {"v": _text(value), "options": options}
    )


def parse_county(value) -> County:
    text = _text(value)
    county = (
        County.objects.filter(Q(name=text) | Q(slug=text) | Q(name_en__iexact=text)).first() if text else None
    )
    if county is None:
        raise ValidationError(_("未知的县(市、区)“%(v)s”。") % {"v": text})
    return county


def parse_field(value) -> IndustryField:
    text = _text(value)
    found = (
        IndustryField.objects.filter(Q(name=text) | Q(slug=text) | Q(name_en__iexact=text)).first()
        if text
        else None
    )
    if found is None:
        raise ValidationError(_("未知的产业领域“%(v)s”。") % {"v": text})
    return found


def find_organization(text: str) -> Organization:
    """By USCC (18 characters) or by exact registered name."""
    text = text.strip()
    org = None
    if len(text) == 18:
        org = Organization.objects.filter(uscc=normalize_uscc(text)).first()
    if org is None:
        matches = list(Organization.objects.filter(name=text)[:2])
        if len(matches) > 1:
            raise ValidationError(
                _(
                    "有多个名为“%(v)s”的机构，请改填统一社会信用代码。"
                )
                % {"v": text}
            )
        org = matches[0] if matches else None
    if org is None:
        raise ValidationError(
            _(
                "平台上没有机构“%(v)s”（请填写已登记机构的名称或统一社会信用代码）。"
            )
            % {"v": text}
        )
    return org


def parse_orgs(value) -> list[Organization]:
    names = [n.strip() for n in PARTY_SEPARATORS.split(_text(value)) if n.strip()]
    found, problems = [], []
    for name in names:
        try:
            found.append(find_organization(name))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    return found


def parse_row(row_number: int, cells: list, positions: dict[str, int]) -> ParsedRow:
    def cell(code: str):
        index = positions.get(code)
        return cells[index] if index is not None and index < len(cells) else None

    parsed = ParsedRow(row=row_number)
    values: dict = {}
    parsers = {
        "agreement_type": parse_type,
        "amount": lambda v: parse_amount(v, required=True),
        "signed_on": parse_date,
        "county": parse_county,
        "field": parse_field,
        "enterprises": parse_orgs,
        "academics": parse_orgs,
        "others": parse_orgs,
        "registered_amount": lambda v: parse_amount(v, required=False),
    }
    for column in COLUMNS:
        raw = cell(column.code)
        try:
            values[column.code] = parsers[column.code](raw) if column.code in parsers else _text(raw)
        except ValidationError as error:
            parsed.errors.extend(RowError(row_number, column.label, m) for m in error.messages)
    if not values.get("title") and "title" in values:
        parsed.errors.append(
            RowError(row_number, COLUMN_BY_CODE["title"].label, _("请填写协议名称。"))
        )
    if parsed.errors:
        return parsed
    parsed.terms = AgreementTerms(
        title=values["title"],
        agreement_type=values["agreement_type"],
        amount=values["amount"],
        signed_on=values["signed_on"],
        county=values["county"],
        field=values["field"],
        registration_number=values["registration_number"] or None,
        registered_amount=values["registered_amount"],
        notes=values["notes"],
    )
    parsed.parties = Parties(
        enterprises=values["enterprises"], academics=values["academics"], others=values["others"]
    )
    return parsed


def parse_rows(rows: list[list]) -> Iterator[ParsedRow]:
    positions = map_header(rows[0])
    for offset, cells in enumerate(rows[1:], start=2):
        if all(_text(c) == "" for c in cells):
            continue  # blank lines (often at the end of a sheet) are not rows
        yield parse_row(offset, cells, positions)


@dataclass
class ImportResult:
    created: list[Agreement] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0

    @property
    def failed_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})


def import_agreements(*, user: User, filename: str, content: bytes,
                      progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import a CSV or XLSX register. Each row is saved whole or not at all; a bad row is reported by
    row number and column and does not stop the others."""
    if not can_enter_agreements(user):
        raise PermissionDenied(_("只有科技局工作人员或活动组织方可以导入协议。"))
    rows = read_table(filename, content)  # ValidationError for an unreadable file
    result = ImportResult()
    total = max(len(rows) - 1, 0)  # the header is not a row to import
    for parsed in parse_rows(rows):
        result.rows_read += 1
        if progress and (result.rows_read % 50 == 0 or result.rows_read == total):
            progress(result.rows_read, total)
        if parsed.errors:
            result.errors.extend(parsed.errors)
            continue
        try:
            agreement = services.create_agreement(
                terms=parsed.terms, parties=parsed.parties, created_by=user, source=AgreementSource.IMPORT
            )
        except ValidationError as error:
            result.errors.extend(row_errors(parsed.row, error))
        else:
            result.created.append(agreement)
    return result
