"""The path inquiry → conversation → deal → agreement, counted per month, industry field and county, with
the conversion rate of each step and the listing owners' median hours to first answer. A cohort view: each
inquiry is counted in the month it was sent (Asia/Shanghai), with whatever it has led to so far. Field and
county are the listing's. Added to the dashboard and its monthly export through the registry in
agreements.reports (which never imports this app). Reads only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from marketplace.agreements.models import Agreement
from marketplace.agreements.reports import Section, dashboard_section
from marketplace.agreements.selectors import COUNTED

from .models import Conversation, Inquiry


@dataclass
class Step:
    key: str
    inquiries: int = 0
    conversations: int = 0
    deals: int = 0
    agreements: int = 0
    hours: list[float] = field(default_factory=list)

    @staticmethod
    def rate(part: int, whole: int) -> Decimal | None:
        """Percent with one decimal; None (shown as —) when there is nothing to convert."""
        if not whole:
            return None
        return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def median_hours(self) -> Decimal | None:
        if not self.hours:
            return None
        return Decimal(str(median(self.hours))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def row(self) -> list:
        return [self.key, self.inquiries, self.conversations, self.deals, self.agreements,
                self.rate(self.conversations, self.inquiries), self.rate(self.deals, self.conversations),
                self.rate(self.agreements, self.deals), self.median_hours]


@dataclass
class Funnel:
    months: list[Step]
    fields: list[Step]
    counties: list[Step]
    total: Step


def funnel(year: int) -> Funnel:
    inquiries = list(
        Inquiry.objects.filter(created_at__year=year)
        .values("pk", "listing_id", "created_at", "answered_at", "conversation__pk")
    )
    deals: dict[int, list[int]] = defaultdict(list)  # conversation -> its deals (Deal.conversation)
    for conversation_id, deal_id in (Conversation.objects.filter(inquiry__created_at__year=year,
                                                                 deals__isnull=False)
                                     .values_list("pk", "deals__pk")):
        deals[conversation_id].append(deal_id)
    counted_deals = set(Agreement.objects.filter(COUNTED, deal_id__in=[d for ds in deals.values() for d in ds])
                        .values_list("deal_id", flat=True))
    listing_ids = {i["listing_id"] for i in inquiries if i["listing_id"]}
    places: dict[int, tuple[str, str]] = {}
    for page in Page.objects.filter(pk__in=listing_ids).specific():
        # str() of a field or county is its name in the reader's language.
        listing_field, county = getattr(page, "field", None), getattr(page, "county", None)
        places[page.pk] = (str(listing_field) if listing_field else _("未分类"), str(county) if county else _("未注明"))

    months = {m: Step(f"{year}-{m:02d}") for m in range(1, 13)}
    by_field: dict[str, Step] = {}
    by_county: dict[str, Step] = {}
    total = Step(_("合计"))
    for inquiry in inquiries:
        month = timezone.localtime(inquiry["created_at"]).month
        field_name, county_name = places.get(inquiry["listing_id"], (_("未分类"), _("未注明")))
        steps = [months[month], by_field.setdefault(field_name, Step(field_name)),
                 by_county.setdefault(county_name, Step(county_name)), total]
        deal_ids = deals.get(inquiry["conversation__pk"], []) if inquiry["conversation__pk"] else []
        for step in steps:
            step.inquiries += 1
            step.conversations += inquiry["conversation__pk"] is not None
            step.deals += len(deal_ids)
            step.agreements += sum(d in counted_deals for d in deal_ids)
            if inquiry["answered_at"] is not None:
                step.hours.append((inquiry["answered_at"] - inquiry["created_at"]).total_seconds() / 3600)
    order: Callable[[Step], tuple] = lambda s: (-s.inquiries, s.key)  # noqa: E731
    return Funnel(list(months.values()), sorted(by_field.values(), key=order),
                  sorted(by_county.values(), key=order), total)


HEADER = ["", gettext_lazy("咨询"), gettext_lazy("洽谈"), gettext_lazy("商机"), gettext_lazy("协议（已认定）"),
          gettext_lazy("咨询→洽谈 %"), gettext_lazy("洽谈→商机 %"), gettext_lazy("商机→协议 %"),
          gettext_lazy("首次答复中位用时（小时）")]


@dashboard_section
def funnel_sections(year: int) -> list[Section]:
    data = funnel(year)

    def section(title: str, first: str, steps: list[Step]) -> Section:
        return Section(title, [first, *map(str, HEADER[1:])], [s.row() for s in steps] + [data.total.row()])

    return [
        section(_("%(year)d年洽谈转化漏斗：按月（按咨询发送月份）") % {"year": year}, _("月份"), data.months),
        section(_("%(year)d年洽谈转化漏斗：按产业领域") % {"year": year}, _("产业领域"), data.fields),
        section(_("%(year)d年洽谈转化漏斗：按县(市、区)") % {"year": year}, _("县(市、区)"), data.counties),
    ]
