"""Writes for commissioners and records. Every state change goes through states.py's tables."""

from .commissioners import confirm_assignment, decide_assignment, propose_assignment, write_log
from .evaluations import enter_evaluation
from .imports import import_sheet
from .records import decide_record, enter_record, import_records

__all__ = ["confirm_assignment", "decide_assignment", "decide_record", "enter_evaluation", "enter_record",
           "import_records", "import_sheet", "propose_assignment", "write_log"]
