"""What an import tells its user: one LineError per problem (line number, the JSON key at fault, the
reason) and the lists of pages created and updated."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

# Model field → the JSON key the importer's user wrote, so errors point at their own data.
JSON_KEY_FOR_FIELD = {
    "trl": "maturity",
    "cooperation_modes": "transfer_modes",
    "price_negotiable": "price",
    "ip_items": "ip_items",
}


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

    def extend(self, other: ImportResult) -> None:
        self.created.extend(other.created)
        self.updated.extend(other.updated)
        self.errors.extend(other.errors)


class RecordInvalid(Exception):
    """All problems found in one record, keyed by the JSON key they concern."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(problems)
        self.problems = problems


def problems_of(error: ValidationError) -> dict[str, list[str]]:
    """A model ValidationError keyed by the JSON keys of the import format."""
    if hasattr(error, "error_dict"):
        out: dict[str, list[str]] = {}
        for name, errors in error.error_dict.items():
            key = "" if name == "__all__" else JSON_KEY_FOR_FIELD.get(name, name)
            out.setdefault(key, []).extend(m for e in errors for m in e.messages)
        return out
    return {"": list(error.messages)}


def line_errors(number: int, problems: dict[str, list[str]]) -> list[LineError]:
    return [LineError(number, key, message) for key, messages in problems.items() for message in messages]
