"""The rows of an import and their outcomes: the types the kinds (``kinds/base.py``), the
account matching (``matching.py``) and the writers (``writing.py``) share. They live here, below
all three, so each imports this module and none imports another in a circle.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any

INSERTED, UPDATED, UNCHANGED = "inserted", "updated", "unchanged"


class RowRejected(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        self.column, self.value, self.reason = column, value, reason
        super().__init__(reason)


@dataclass(slots=True)
class Row:
    number: int
    cells: list[str]
    values: dict[str, Any] = field(default_factory=dict)
    outcome: str = ""
    rejection: RowRejected | None = None
    record: dict[str, Any] = field(default_factory=dict)  # the kind's table values

    def reject(self, column: str, value: str, reason: str) -> None:
        if self.rejection is None:
            self.rejection = RowRejected(column, value, reason)

    @property
    def ok(self) -> bool:
        return self.rejection is None


REJECTION = operator.attrgetter("rejection")
OUTCOME = operator.attrgetter("outcome")
