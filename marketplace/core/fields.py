"""One money field for every amount in yuan, so prices, fees, bounties and payments share one range."""

from typing import Any

from django.db import models

# Up to 999,999,999,999.99 yuan: above any contract the bureau registers, exact to the fen.
MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 2


class MoneyField(models.DecimalField):
    """A DecimalField with the money spec fixed (pass the other options as usual)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_digits"] = MONEY_MAX_DIGITS
        kwargs["decimal_places"] = MONEY_DECIMAL_PLACES
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list, dict]:
        # Migrations record a plain DecimalField with the digits spelled out: they then never depend
        # on this class, and a change of the spec shows up as an ordinary AlterField.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
