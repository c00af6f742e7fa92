"""The one error type for bad data, and the problems it carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["DataError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in a data file: where it is and what was expected."""

    file: str
    message: str
    index: int | None = None
    """Position of the feature in the file's ``features`` list, from 0."""
    feature_id: str | None = None
    field: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.index is not None:
            where.append(f"feature {self.index}" + (f" (id {self.feature_id!r})" if self.feature_id else ""))
        if self.field is not None:
            where.append(f"field {self.field!r}")
        return f"{': '.join(where)}: {self.message}"


class DataError(ValueError):
    """Bad data: the message lists every problem found (file, feature index and id, field, value, expected)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        shown = "\n".join(f"  {p}" for p in errors[:50])
        more = f"\n  … and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} problem(s) in the data:\n{shown}{more}")
