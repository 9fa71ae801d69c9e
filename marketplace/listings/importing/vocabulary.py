"""The words an import file may use: listing types, stages, transfer modes, IP and organization kinds,
industry fields and counties by any of their names, and money written the way people write it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from accounts.models import OrganizationKind
from marketplace.taxonomy.models import County, IndustryField

from ..choices import IPType, MaturityStage, TransferMode
from ..models import AchievementPage, DemandPage, PilotBasePage

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


def parse_money(value) -> Decimal | None:
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
