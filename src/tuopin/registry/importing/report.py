"""What an import run tells its caller: counts of what was written, and the rejected rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from tuopin.core.imports import RowError


@dataclass
class ImportReport:
    households_created: int = 0
    households_updated: int = 0
    people_created: int = 0
    people_updated: int = 0
    households_unchanged: int = 0
    people_unchanged: int = 0
    rejected_households: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({e.line for e in self.errors})

    def as_dict(self) -> dict[str, int]:
        return {
            "households_created": self.households_created,
            "households_updated": self.households_updated,
            "people_created": self.people_created,
            "people_updated": self.people_updated,
            "households_unchanged": self.households_unchanged,
            "people_unchanged": self.people_unchanged,
            "rejected_households": self.rejected_households,
            "rejected_rows": self.rejected_rows,
        }
