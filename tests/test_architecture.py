"""The layers hold: every import points down (accounts <- jobs <- core <- taxonomy <- listings <- search <- payments
<- events <- agreements <- processes <- newer apps <- cms <- config), siblings do not import each other, and imports
inside functions count as much as those at the top of a module. The contracts live in pyproject.toml
([tool.importlinter]); import-linter reads every module's source, so nothing is imported here."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    # A child process with the repository first on the path: import-linter finds the packages from there.
    result = subprocess.run([str(lint_imports), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"an import points the wrong way:\n{report}"
    assert "0 broken" in report, report
