"""Formula-safe cells for every CSV and XLSX the site writes.

Excel, WPS and LibreOffice run a text cell that starts with = + - @ (or a tab or carriage return
before one) as a formula, so a title typed by a user could run code on the bureau's computer (CSV
injection). Such text is written with a leading apostrophe, which spreadsheets show as plain text."""

from typing import Any, TypeVar

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; anything else (numbers,
    dates, None, ordinary text) is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def read_safe_cell(value: str) -> str:
    """The text a safe_cell stood for, for files we export and read back in (e.g. the thesaurus)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class SafeSpreadsheetExportMixin:
    """Put before a Wagtail index view class whose viewset exports its listing (``list_export``):
    Wagtail's CSV export writes text as it is, so every cell goes through safe_cell."""

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        return safe_cell(super().preprocess_field_value(field, value, export_format))
