"""Report tables (selectors.Section) written as CSV or XLSX. Formatting only; the numbers come from
selectors, the same ones the dashboard shows."""

import csv
import io
from datetime import date
from decimal import Decimal

from marketplace.core.exports import safe_cell

from .reports import Section


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        return str(value)
    return safe_cell(str(value))


def to_csv(sections: list[Section]) -> bytes:
    """UTF-8 with a BOM so Excel opens the Chinese correctly. Several tables are separated by a blank
    line and start with a title row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, section in enumerate(sections):
        if index:
            writer.writerow([])
        if len(sections) > 1:
            writer.writerow([f"# {section.title}"])
        writer.writerow(section.header)
        for row in section.rows:
            writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\ and unique.
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def to_xlsx(sections: list[Section]) -> bytes:
    """One sheet per table; amounts as numbers with two decimals, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for section in sections:
        sheet = workbook.create_sheet(_sheet_title(section.title, used))
        sheet.append(section.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append([safe_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Decimal | float):
                    cell.number_format = "#,##0.00"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width * 1.6))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
