"""What an import reports: counts, and per row what is wrong (nothing is written then)."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django import forms


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportFailedError(Exception):
    """Raised inside the import's transaction to roll back everything."""


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add_form_errors(self, row: int, form: forms.Form) -> None:
        for column, messages in form.errors.items():
            for message in messages:
                self.problems.append(
                    Problem(row, "" if column == "__all__" else column, str(message))
                )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "ok": self.ok,
            "created": self.counts["created"],
            "updated": self.counts["updated"],
            "unchanged": self.counts["unchanged"],
            "problems": [p.as_dict() for p in self.problems],
        }


def split_list(value: str) -> list[str]:
    """'a; b,c' -> ['a', 'b', 'c']"""
    return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]
