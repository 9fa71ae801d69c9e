"""One money spec: every amount in yuan holds up to 999,999,999,999.99, exact to the fen."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from marketplace.api.schemas import MONEY as API_MONEY
from marketplace.core.fields import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS, MoneyField


def test_the_spec_is_fourteen_digits_two_after_the_point():
    field = MoneyField("金额", max_digits=5, decimal_places=0)  # a caller cannot narrow it
    assert (field.max_digits, field.decimal_places) == (14, 2)
    assert (MONEY_MAX_DIGITS, MONEY_DECIMAL_PLACES) == (14, 2)


def test_the_largest_amount_passes_and_one_more_digit_or_a_third_decimal_fails():
    field = MoneyField("金额")
    assert field.clean(Decimal("999999999999.99"), None) == Decimal("999999999999.99")
    with pytest.raises(ValidationError):
        field.clean(Decimal("1000000000000.00"), None)
    with pytest.raises(ValidationError):
        field.clean(Decimal("1.005"), None)


def test_migrations_record_a_plain_decimal_field():
    """So migrations never import the class and a change of spec shows as an ordinary AlterField."""
    _name, path, _args, kwargs = MoneyField("金额").deconstruct()
    assert path == "django.db.models.DecimalField"
    assert (kwargs["max_digits"], kwargs["decimal_places"]) == (14, 2)


def test_every_decimal_amount_in_the_marketplace_apps_is_a_money_field():
    stray = [f"{model._meta.label}.{field.name}"
             for model in apps.get_models() if model.__module__.startswith("marketplace.")
             for field in model._meta.get_fields()
             if isinstance(field, models.DecimalField) and not isinstance(field, MoneyField)]
    assert stray == []
    money = [field for model in apps.get_models() for field in model._meta.get_fields()
             if isinstance(field, MoneyField)]
    assert len(money) >= 15  # deals, agreements, events, payments, listings, transfers, challenges


def test_the_api_accepts_the_same_range_as_the_database():
    assert (API_MONEY["max_digits"], API_MONEY["decimal_places"]) == (14, 2)
    assert API_MONEY["ge"] == 0
