"""Payments sits below events in the layers (accounts ← ... ← payments ← events ← ...): it must not import
any app above it, not even inside a function. Registrations hear about their money through the handlers
events registers with payments.register_webhook_handler."""

import ast
from pathlib import Path

import marketplace.payments

ABOVE_PAYMENTS = ("marketplace.events", "marketplace.agreements", "marketplace.deals", "marketplace.challenges",
                  "marketplace.inquiries", "marketplace.programs", "marketplace.alerts", "marketplace.transfers",
                  "marketplace.bookings", "marketplace.api", "cms")


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):  # every level, functions included
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_payments_imports_nothing_from_the_apps_above_it():
    root = Path(marketplace.payments.__file__).parent
    upward = [f"{path.relative_to(root)}:{line} imports {name}"
              for path in sorted(root.rglob("*.py")) if "migrations" not in path.parts
              for line, name in _imports(path)
              if any(name == top or name.startswith(top + ".") for top in ABOVE_PAYMENTS)]
    assert upward == []


def test_the_check_sees_function_level_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from marketplace.events.models import Registration\n")
    assert _imports(sample) == [(2, "marketplace.events.models")]
