"""One JSON object → model values, every problem collected (a line with three mistakes hears about all
three), keyed by the JSON key the user wrote."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Organization, OrganizationKind
from accounts.uscc import normalize_uscc, validate_uscc
from marketplace.taxonomy.models import County, IndustryField

from ..choices import TransferMode
from ..models import LISTING_MODELS, AchievementPage, DemandPage, ListingPage
from .vocabulary import (
    IP_LOOKUP,
    KIND_LOOKUP,
    MODE_LOOKUP,
    MODEL_TEXT_FIELD,
    NEGOTIABLE_WORDS,
    STAGE_TRL,
    TEXT_KEYS,
    TYPE_ALIASES,
    Taxonomy,
    parse_money,
)

# external_id → the listing that carries it (of any type), or None.
PageFinder = Callable[[str], "ListingPage | None"]


def find_page(external_id: str) -> ListingPage | None:
    """The listing with this external_id, looked up in each listing table (the per-line path)."""
    for model in LISTING_MODELS.values():
        page = model.objects.filter(external_id=external_id).first()
        if page is not None:
            return page
    return None


class RecordParser:
    """Turns one JSON object into model values, collecting every problem instead of stopping at the first."""

    def __init__(self, record: dict, taxonomy: Taxonomy | None = None, find: PageFinder = find_page):
        self.record = record
        self.problems: dict[str, list[str]] = {}
        self._taxonomy = taxonomy
        self._find = find

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
        page = self._find(external_id)
        if page is None:
            return external_id, None
        if type(page) is not model:
            self.add("external_id", _("外部编号“%(id)s”已被另一类信息（%(type)s）使用。")
                     % {"id": external_id, "type": page._meta.verbose_name})
            return external_id, None
        return external_id, page

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
        amount = parse_money(value)
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


