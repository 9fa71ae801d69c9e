"""The participant list as CSV and XLSX: one row per person, for name badges, sign-in sheets and reports."""

from __future__ import annotations

import csv
import io

from django.utils import timezone
from openpyxl import Workbook

from marketplace.core.exports import safe_cell
from marketplace.payments.selectors import net_paid

from .models import EventPage
from .selectors import registrations_for_event

HEADER = ["参会单位 Organization", "单位类型 Kind", "统一社会信用代码 USCC", "姓名 Name", "职务 Position",
          "手机 Phone", "邮箱 E-mail", "票种 Ticket", "单价 Unit price (CNY)", "状态 Status",
          "报名时间 Registered at", "签到码 Check-in code", "签到时间 Checked in at", "可提供 Offers",
          "希望对接 Seeks", "付款方式", "已付金额（元）", "付款凭证号"]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _payment_cells(registration) -> list[str]:
    """How the registration was paid (Stripe and offline alike), the net amount kept, and the references."""
    paid = [p for p in registration.payments.all() if p.paid_at]
    methods = "、".join(dict.fromkeys(str(p.get_method_display()) for p in paid))
    references = "、".join(p.reference for p in paid if p.reference)
    return [methods, f"{net_paid(registration):.2f}" if paid else "", references]


def participant_rows(event: EventPage) -> list[list[str]]:
    rows = []
    for registration in registrations_for_event(event):
        org = registration.organization
        for person in registration.participants.all():
            rows.append([org.name, org.get_kind_display(), org.uscc, person.name, person.title, person.phone,
                         person.email, registration.ticket_name, f"{registration.unit_price:.2f}",
                         registration.get_status_display(), _when(registration.created_at),
                         person.checkin_code, _when(person.checked_in_at), registration.offers,
                         registration.seeks, *_payment_cells(registration)])
    return rows


def as_csv(event: EventPage) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in participant_rows(event):
        writer.writerow([safe_cell(str(cell)) for cell in row])
    # A BOM so Excel opens the UTF-8 Chinese text correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(event: EventPage) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="参会名单")
    sheet.append(HEADER)
    for row in participant_rows(event):
        sheet.append([safe_cell(str(cell)) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
