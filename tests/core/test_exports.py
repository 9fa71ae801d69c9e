"""Formula-safe export cells: text a spreadsheet would run as a formula is written as plain text."""

import datetime as dt
from decimal import Decimal

import pytest

from marketplace.core.exports import SafeSpreadsheetExportMixin, read_safe_cell, safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+86 543", "-2", "@SUM(A1)", "\t=cmd", "\r=cmd",
                                  '=HYPERLINK("http://evil.example","点我")'])
def test_text_starting_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "滨州技术市场", "a=b", " =1", "'quoted", "#1 section", "100%"])
def test_other_text_is_left_alone(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("value", [None, 5, -5, Decimal("-12.50"), 1.5, dt.date(2026, 12, 2)])
def test_numbers_dates_and_empty_cells_pass_through(value):
    """A negative amount is a number, not a formula: it stays a number the spreadsheet can add up."""
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", ["=1+1", "-减重", "@home", "plain", "'quoted", ""])
def test_reading_a_safe_cell_back_gives_the_original_text(text):
    assert read_safe_cell(safe_cell(text)) == text


def test_wagtail_listing_exports_go_through_safe_cell():
    class WagtailExport:  # what Wagtail's SpreadsheetExportMixin does by default (force_str)
        def preprocess_field_value(self, field, value, export_format):
            return str(value)

    class Safe(SafeSpreadsheetExportMixin, WagtailExport):
        pass

    assert Safe().preprocess_field_value("term", "=cmd|' /C calc'!A0", "csv") == "'=cmd|' /C calc'!A0"
    assert Safe().preprocess_field_value("term", "轻量化", "csv") == "轻量化"
