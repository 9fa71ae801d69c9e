"""Bulk import of listings (科技成果 / 技术需求 / 中试基地) from JSON Lines.

One JSON object per line; the schema is documented in docs/import_listings.md. Each line is imported in
its own transaction, so a bad line leaves nothing behind and the good lines around it still import.
Re-importing a line with the same ``external_id`` updates that listing instead of adding another.

With ``publish=True`` the pages go live at once (a bureau-run bulk load); otherwise each new or changed
listing becomes a revision in the moderation workflow, exactly like an owner's front-end submission.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization, OrganizationKind, User
from accounts.uscc import normalize_uscc, validate_uscc
from marketplace.core.pages import TREE_FIELDS, submit_for_moderation
from marketplace.taxonomy.models import County, IndustryField

from .bulk import deferred_side_effects
from .choices import IPType, MaturityStage, TransferMode
from .models import LISTING_MODELS, AchievementIPItem, AchievementPage, DemandPage, ListingPage, PilotBasePage
from .services import ALLOWED_OWNER_KINDS, INDEX_FOR, SLUG_PREFIX

logger = logging.getLogger(__name__)

# Stage words map to the top TRL of their stage: a result "at pilot scale" has completed it.
STAGE_TRL = {
    "实验室": 3, "lab": 3, MaturityStage.LAB: 3,
    "小试": 5, "bench": 5, MaturityStage.BENCH: 5,
    "中试": 7, "pilot": 7, MaturityStage.PILOT: 7,
    "产业化": 9, "industrial": 9, "industrialised": 9, "industrialized": 9, MaturityStage.INDUSTRIAL: 9,
}
TYPE_ALIASES = {
    "achievement": "achievement", "科技成果": "achievement", "成果": "achievement",
    "demand": "demand", "技术需求": "demand", "需求": "demand",
    "pilot_base": "pilot_base", "pilot-base": "pilot_base", "pilotbase": "pilot_base",
    "中试基地": "pilot_base",
}
# Model field → the JSON key the importer's user wrote, so errors point at their own data.
JSON_KEY_FOR_FIELD = {
    "trl": "maturity",
    "cooperation_modes": "transfer_modes",
    "price_negotiable": "price",
    "ip_items": "ip_items",
}
TEXT_KEYS = {
    AchievementPage: ("summary", "description"),
    DemandPage: ("description", "summary"),
    PilotBasePage: ("capabilities", "summary", "description"),
}
NEGOTIABLE_WORDS = {"面议", "negotiable", "议价"}
MODEL_TEXT_FIELD = {AchievementPage: "summary", DemandPage: "description", PilotBasePage: "capabilities"}


def _choice_lookup(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Accept a choice's code, its full label, and each half of a "中文 English" label."""
    table: dict[str, str] = {}
    for code, label in choices:
        table[code.lower()] = code
        label = str(label)
        table[label.lower()] = code
        zh, _sep, en = label.partition(" ")
        table[zh.lower()] = code
        if en:
            table[en.lower()] = code
    table.update(extra or {})
    return table


MODE_LOOKUP = _choice_lookup(TransferMode.choices, {"co-development": TransferMode.CO_DEVELOPMENT,
                                                    "技术许可": TransferMode.LICENSE,
                                                    "技术转让": TransferMode.ASSIGNMENT})
IP_LOOKUP = _choice_lookup(IPType.choices, {"专利": IPType.INVENTION_PATENT, "软著": IPType.SOFTWARE})
KIND_LOOKUP = _choice_lookup(OrganizationKind.choices, {"大学": OrganizationKind.UNIVERSITY,
                                                        "高校院所": OrganizationKind.INSTITUTE,
                                                        "研究院": OrganizationKind.INSTITUTE,
                                                        "研究所": OrganizationKind.INSTITUTE,
                                                        "中试基地": OrganizationKind.PILOT_BASE_OPERATOR})
# When a new organization's kind is not given, the listing type tells the most likely one.
DEFAULT_KIND = {AchievementPage: OrganizationKind.UNIVERSITY, DemandPage: OrganizationKind.ENTERPRISE,
                PilotBasePage: OrganizationKind.PILOT_BASE_OPERATOR}


@dataclass(frozen=True)
class LineError:
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.key}: " if self.key else ""
        return f"line {self.line}: {where}{self.message}"


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def failed_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    @property
    def ok(self) -> bool:
        return not self.errors


class RecordInvalid(Exception):
    """All problems found in one record, keyed by the JSON key they concern."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(problems)
        self.problems = problems


def import_listings(lines: Iterable[str | bytes], *, publish: bool = False, user: User | None = None,
                    progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import every line of a JSONL document; never stops at a bad line.

    With ``publish`` the side effects that do not belong to one line (reference index, Wagtail's page
    search index, the push of the search outbox) are written in batches after the last line
    (listings.bulk); each line is still its own transaction. ``progress(n)`` is told each line done."""
    from cms.site_setup import ensure_site_structure  # cms depends on listings, not the other way round

    ensure_site_structure()
    if not publish:  # moderation submissions stay one by one (each starts a workflow)
        return _import_lines(lines, publish=False, user=user, progress=progress)
    with deferred_side_effects() as load:
        result = _import_lines(lines, publish=True, user=user, progress=progress)
        for page_id in result.created + result.updated:
            load.touched(page_id)
    return result


def _import_lines(lines: Iterable[str | bytes], *, publish: bool, user: User | None,
                  progress: Callable[[int], None] | None) -> ImportResult:
    result = ImportResult()
    taxonomy = Taxonomy()  # fields and counties read once per file, not three queries per line
    for number, raw in enumerate(lines, start=1):
        if progress:
            progress(number)
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                result.errors.append(LineError(number, "", _("不是UTF-8编码的文本。")))
                continue
        text = raw.lstrip("\ufeff").strip()
        if not text:
            continue
        try:
            record = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as error:
            message = _("JSON格式错误（第%(col)d列）：%(msg)s") % {"col": error.colno,
                                                                                  "msg": error.msg}
            result.errors.append(LineError(number, "", message))
            continue
        if not isinstance(record, dict):
            message = _("每行应为一个JSON对象。")
            result.errors.append(LineError(number, "", message))
            continue
        try:
            with transaction.atomic():
                page, created = import_record(record, publish=publish, user=user, taxonomy=taxonomy)
        except RecordInvalid as invalid:
            result.errors.extend(_line_errors(number, invalid.problems))
        except ValidationError as error:
            result.errors.extend(_line_errors(number, _problems(error)))
        except Exception as error:  # an unexpected failure on one line must not abort the whole file
            logger.exception("import_listings: line %s failed", number)
            result.errors.append(LineError(number, "", _("导入失败：%(err)s")
                                           % {"err": f"{type(error).__name__}: {error}"}))
        else:
            (result.created if created else result.updated).append(page.pk)
    return result


def _line_errors(number: int, problems: dict[str, list[str]]) -> list[LineError]:
    return [LineError(number, key, message) for key, messages in problems.items() for message in messages]


def import_record(record: dict, *, publish: bool = False, user: User | None = None,
                  taxonomy: Taxonomy | None = None) -> tuple[ListingPage, bool]:
    """Create or update one listing from one decoded JSON object. Raises RecordInvalid or
    ValidationError; the caller's transaction undoes any partial write."""
    parser = _RecordParser(record, taxonomy)
    model = parser.model()
    if model is None:
        raise RecordInvalid(parser.problems)
    external_id, existing = parser.existing_page(model)
    data, extras = parser.listing_data(model)
    data["external_id"] = external_id
    org_spec = parser.organization_spec(model)
    if parser.problems:
        raise RecordInvalid(parser.problems)

    data["organization"] = _organization_for(org_spec, model, data.get("county"))
    if existing is None:
        page = model(owner=user, live=False, slug=f"{SLUG_PREFIX[model]}-{uuid.uuid4().hex[:10]}", **data)
        _apply_extras(page, extras)
        _validate(page)
        parent = INDEX_FOR[model].objects.first()
        parent.add_child(instance=page)
    else:
        page = existing.get_latest_revision_as_object()
        for name, value in data.items():
            setattr(page, name, value)
        _apply_extras(page, extras)
        _validate(page)
    if publish:
        # --publish is an operator's decision for the whole file; the page owner's own rights don't apply.
        # _validate() above ran the field checks and the listing's rules: the revision needs no second
        # full_clean (the slug is a fresh random one, unique among its siblings).
        page.save_revision(user=user, clean=False).publish(user=user, skip_permission_checks=True)
    else:
        submit_for_moderation(page, user)
    return page, existing is None


def _validate(page: ListingPage) -> None:
    """The model's field checks and its business rules, all reported together (a line with a bad
    e-mail and an inverted budget hears about both)."""
    problems: dict[str, list[str]] = {}
    for check in (lambda: page.clean_fields(exclude=TREE_FIELDS), page.validate_listing):
        try:
            check()
        except ValidationError as error:
            for key, messages in _problems(error).items():
                problems.setdefault(key, []).extend(m for m in messages if m not in problems.get(key, []))
    if problems:
        raise RecordInvalid(problems)


def _apply_extras(page: ListingPage, extras: dict) -> None:
    if "ip_items" in extras:
        page.ip_items.set([AchievementIPItem(ip_type=ip_type, number=number, title=title)
                           for ip_type, number, title in extras["ip_items"]])
    if "industries" in extras:
        page.industries.set(extras["industries"])


def _problems(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        out: dict[str, list[str]] = {}
        for name, errors in error.error_dict.items():
            key = "" if name == "__all__" else JSON_KEY_FOR_FIELD.get(name, name)
            out.setdefault(key, []).extend(m for e in errors for m in e.messages)
        return out
    return {"": list(error.messages)}


def _organization_for(spec: dict, model: type[ListingPage], county: County | None) -> Organization:
    org = Organization.objects.filter(uscc=spec["uscc"]).first()
    if org is None:
        org = Organization(name=spec["name"], kind=spec["kind"] or DEFAULT_KIND[model], uscc=spec["uscc"],
                           county=county)
        try:
            org.full_clean()
        except ValidationError as error:
            problems = {f"organization.{key or 'name'}": msgs for key, msgs in _problems(error).items()}
            raise RecordInvalid(problems) from None
        org.save()
    if org.kind not in ALLOWED_OWNER_KINDS[model]:
        raise RecordInvalid({"organization.kind": [
            _("机构类型“%(kind)s”不能发布“%(type)s”。")
            % {"kind": org.get_kind_display(), "type": model._meta.verbose_name}]})
    return org


class Taxonomy:
    """Industry fields and counties by Chinese name, slug or English name (case-insensitive)."""

    def __init__(self) -> None:
        self.fields = self._table(IndustryField.objects.all())
        self.counties = self._table(County.objects.all())
        self.field_names = list(IndustryField.objects.values_list("name", flat=True))
        self.county_names = list(County.objects.values_list("name", flat=True))

    @staticmethod
    def _table(rows) -> dict[str, object]:
        rows = list(rows)
        # Precedence as before: the exact name, then the slug, then the English name.
        table: dict[str, object] = {row.name_en.lower(): row for row in rows if row.name_en}
        table.update({row.slug.lower(): row for row in rows})
        table.update({row.name: row for row in rows})
        return table


class _RecordParser:
    """Turns one JSON object into model values, collecting every problem instead of stopping at the first."""

    def __init__(self, record: dict, taxonomy: Taxonomy | None = None):
        self.record = record
        self.problems: dict[str, list[str]] = {}
        self._taxonomy = taxonomy

    @property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = Taxonomy()
        return self._taxonomy

    def add(self, key: str, message: str) -> None:
        self.problems.setdefault(key, []).append(message)

    # -- top level -------------------------------------------------------------------------------------
    def model(self) -> type[ListingPage] | None:
        raw = self.record.get("type")
        kind = TYPE_ALIASES.get(str(raw).strip().lower()) if isinstance(raw, str) else None
        if kind is None:
            self.add("type", _("类型应为 achievement、demand 或 pilot_base，收到：%(v)s")
                     % {"v": raw})
            return None
        return LISTING_MODELS[kind]

    def existing_page(self, model: type[ListingPage]) -> tuple[str, ListingPage | None]:
        external_id = self.text("external_id", required=True, max_length=100) or ""
        if not external_id:
            return external_id, None
        for other in LISTING_MODELS.values():
            page = other.objects.filter(external_id=external_id).first()
            if page is None:
                continue
            if other is not model:
                self.add("external_id", _("外部编号“%(id)s”已被另一类信息（%(type)s）使用。")
                         % {"id": external_id, "type": other._meta.verbose_name})
                return external_id, None
            return external_id, page
        return external_id, None

    def listing_data(self, model: type[ListingPage]) -> tuple[dict, dict]:
        data: dict = {}
        extras: dict = {}
        data["title"] = self.text("title", required=True, max_length=255)
        text_key = next((k for k in TEXT_KEYS[model] if self.record.get(k) not in (None, "")),
                        TEXT_KEYS[model][0])
        data[MODEL_TEXT_FIELD[model]] = self.text(text_key, required=True)
        data["field"] = self.industry_field("field", required=True)
        data["county"] = self.county("county")
        data["keywords"] = self.keywords("keywords")
        for key in ("contact_name", "contact_phone", "contact_email"):
            data[key] = self.text(key) or ""
        if "expires_at" in self.record:
            data["expires_at"] = self.date("expires_at")

        if model is AchievementPage:
            if "detail" in self.record:
                data["detail"] = self.text("detail") or ""
            data["trl"] = self.maturity("maturity")
            data["transfer_modes"] = self.modes("transfer_modes", required=True)
            data["price"], data["price_negotiable"] = self.price("price")
            if "ip_items" in self.record:
                extras["ip_items"] = self.ip_items("ip_items")
        elif model is DemandPage:
            data["budget_min"] = self.money("budget_min")
            data["budget_max"] = self.money("budget_max")
            if "deadline" in self.record:
                data["deadline"] = self.date("deadline")
            key = "cooperation_modes" if "cooperation_modes" in self.record else "transfer_modes"
            # A demand that names no cooperation mode is open to any of them.
            data["cooperation_modes"] = self.modes(key) or list(TransferMode.values)
        else:
            if "equipment" in self.record:
                data["equipment"] = "\n".join(self.string_list("equipment"))
            for key in ("capacity", "fees"):
                if key in self.record:
                    data[key] = self.text(key, max_length=200) or ""
            if "industries" in self.record:
                extras["industries"] = [f for f in (self.industry_field("industries", value=v)
                                                    for v in self.string_list("industries")) if f]
        return data, extras

    def organization_spec(self, model: type[ListingPage]) -> dict:
        raw = self.record.get("organization")
        if not isinstance(raw, dict):
            self.add("organization", _("必须提供机构信息 {name, uscc, kind}。"))
            return {}
        uscc = normalize_uscc(str(raw.get("uscc") or ""))
        try:
            validate_uscc(uscc)
        except ValidationError as error:
            for message in error.messages:
                self.add("organization.uscc", message)
        name = str(raw.get("name") or "").strip()
        if not name and not Organization.objects.filter(uscc=uscc).exists():
            self.add("organization.name", _("新机构必须填写名称。"))
        kind = None
        if raw.get("kind") not in (None, ""):
            kind = KIND_LOOKUP.get(str(raw["kind"]).strip().lower())
            if kind is None:
                self.add("organization.kind", _("未知机构类型“%(v)s”，可选：%(choices)s") % {
                    "v": raw["kind"], "choices": "、".join(OrganizationKind.values)})
        return {"uscc": uscc, "name": name, "kind": kind}

    # -- value parsers ---------------------------------------------------------------------------------
    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        value = self.record.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(key, _("必填。"))
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            self.add(key, _("应为文本。"))
            return None
        value = str(value).strip()
        if max_length and len(value) > max_length:
            self.add(key, _("最多%(n)d个字符，当前%(len)d个。")
                     % {"n": max_length, "len": len(value)})
            return None
        return value

    def string_list(self, key: str) -> list[str]:
        value = self.record.get(key)
        if value in (None, ""):
            return []
        if isinstance(value, str):
            return [v.strip() for v in re.split(r"[,，、;；\n]", value) if v.strip()]
        if isinstance(value, list) and all(isinstance(v, str | int | Decimal) and not isinstance(v, bool)
                                           for v in value):
            return [str(v).strip() for v in value if str(v).strip()]
        self.add(key, _("应为字符串列表或用逗号分隔的文本。"))
        return []

    def keywords(self, key: str) -> str:
        return ",".join(self.string_list(key))

    def industry_field(self, key: str, *, required: bool = False, value=None) -> IndustryField | None:
        value = self.record.get(key) if value is None else value
        if value in (None, ""):
            if required:
                self.add(key, _("必填。"))
            return None
        token = str(value).strip()
        found = self.taxonomy.fields.get(token) or self.taxonomy.fields.get(token.lower())
        if found is None:
            self.add(key, _("未知领域“%(v)s”，可用领域：%(choices)s") % {
                "v": token, "choices": "、".join(self.taxonomy.field_names)})
        return found

    def county(self, key: str) -> County | None:
        value = self.record.get(key)
        if value in (None, ""):
            return None
        token = str(value).strip()
        found = self.taxonomy.counties.get(token) or self.taxonomy.counties.get(token.lower())
        if found is None:
            self.add(key, _("未知县(市、区)“%(v)s”，可选：%(choices)s") % {
                "v": token, "choices": "、".join(self.taxonomy.county_names)})
        return found

    def maturity(self, key: str) -> int | None:
        value = self.record.get(key)
        if value in (None, ""):
            self.add(key, _("必填：1-9的TRL，或 实验室/小试/中试/产业化。"))
            return None
        trl = None
        if isinstance(value, int | Decimal) and not isinstance(value, bool) and value == int(value):
            trl = int(value)
        elif isinstance(value, str):
            token = value.strip().lower()
            match = re.fullmatch(r"(?:trl\s*)?(\d+)", token)
            trl = int(match.group(1)) if match else STAGE_TRL.get(token)
        if trl is None or not 1 <= trl <= 9:
            self.add(key, _("技术成熟度应为1-9的整数，或 实验室/小试/中试/产业化，收到：%(v)s") % {"v": value})
            return None
        return trl

    def modes(self, key: str, *, required: bool = False) -> list[str]:
        codes: list[str] = []
        if required and self.record.get(key) in (None, "", []):
            self.add(key, _("必填：转让、许可、作价入股、合作开发、技术服务中的至少一种。"))
        for item in self.string_list(key):
            code = MODE_LOOKUP.get(item.lower())
            if code is None:
                self.add(key, _("未知转化方式“%(v)s”，可选：转让、许可、作价入股、合作开发、技术服务") % {"v": item})
            elif code not in codes:
                codes.append(code)
        return codes

    def money(self, key: str) -> Decimal | None:
        value = self.record.get(key)
        if value in (None, ""):
            return None
        amount = _parse_money(value)
        if amount is None:
            self.add(key, _("金额应为数字（元），收到：%(v)s")
                     % {"v": value})
        elif amount < 0:
            self.add(key, _("金额不能为负数。"))
            return None
        return amount

    def price(self, key: str) -> tuple[Decimal | None, bool]:
        value = self.record.get(key)
        negotiable = self.record.get("price_negotiable") is True
        # No price at all means the price is to be negotiated: that is what 面议 says.
        if value in (None, "") or (isinstance(value, str) and value.strip().lower() in NEGOTIABLE_WORDS):
            return None, True
        return self.money(key), negotiable

    def date(self, key: str) -> date | None:
        value = self.record.get(key)
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.add(key, _("日期格式应为YYYY-MM-DD，收到：%(v)s") % {"v": value})
            return None

    def ip_items(self, key: str) -> list[tuple[str, str, str]]:
        raw = self.record.get(key)
        if not isinstance(raw, list):
            self.add(key, _("应为列表。"))
            return []
        items = []
        for n, item in enumerate(raw, start=1):
            if isinstance(item, str):
                parts = item.split(maxsplit=2)
                item = {"type": parts[0] if parts else "", "number": parts[1] if len(parts) > 1 else "",
                        "title": parts[2] if len(parts) > 2 else ""}
            if not isinstance(item, dict):
                self.add(key, _("第%(n)d项应为 {type, number, title}。")
                         % {"n": n})
                continue
            ip_type = IP_LOOKUP.get(str(item.get("type") or "").strip().lower())
            number = str(item.get("number") or "").strip()
            if ip_type is None or not number or len(number) > 60:
                self.add(key, _(
                    "第%(n)d项需要有效的类型（发明专利、实用新型、外观设计、软件著作权、植物新品种、技术秘密）和编号。"
                ) % {"n": n})
                continue
            items.append((ip_type, number, str(item.get("title") or "").strip()[:200]))
        return items


def _parse_money(value) -> Decimal | None:
    """Yuan as a number or numeric text ("800000", "1,200,000.50", "80万"); never via float."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(str(value))
    elif isinstance(value, str):
        token = value.strip().replace(",", "").replace("，", "").removesuffix("元")
        scale = Decimal(1)
        if token.endswith("万"):
            token, scale = token[:-1], Decimal(10000)
        if not re.fullmatch(r"-?\d+(\.\d+)?", token):
            return None
        try:
            amount = Decimal(token) * scale
        except InvalidOperation:
            return None
    else:
        return None
    return amount if amount.is_finite() else None
