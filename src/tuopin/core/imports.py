"""What every bulk import reports: the rejected rows with line, column, stable code and message."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .tabular import neutralise_row


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected row: original line number, the column at fault, a stable code, a message.

    ``column`` is the stable internal key; ``header`` is the column's title as the file wrote
    it, and ``household_no``/``name`` say whose row it is (never the ID number: the report is
    handed around and printed)."""

    line: int
    column: str
    code: str
    message: str
    header: str = ""
    household_no: str = ""
    name: str = ""


ERROR_HEADER = ["line", "household_no", "name", "header", "column", "code", "message"]


def write_errors(path: str | Path, errors: Iterable[RowError]) -> int:
    """Write rejected rows as UTF-8 CSV with BOM (Excel opens it right). Returns the count."""
    n = 0
    with Path(path).open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["行号 line", "户编号 household", "姓名 name", "列 header", "列键 column", "代码 code"]
            + ["说明 message"]
        )
        for err in errors:
            writer.writerow(
                neutralise_row(
                    [
                        err.line,
                        err.household_no,
                        err.name,
                        err.header or err.column,
                        err.column,
                        err.code,
                        err.message,
                    ]
                )
            )
            n += 1
    return n


def map_header(header: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map canonical field names to column positions, accepting Chinese or English headers."""
    lookup = {}
    for field, names in aliases.items():
        for name in (field, *names):
            lookup[name.strip().lower()] = field
    positions: dict[str, int] = {}
    for i, title in enumerate(header):
        found = lookup.get(title.strip().lower().lstrip("\ufeff"))
        if found and found not in positions:
            positions[found] = i
    return positions


def read_errors(path: str | Path, *, limit: int) -> list[RowError]:
    """The first ``limit`` rows of a report written by :func:`write_errors` (for a page)."""
    out: list[RowError] = []
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            next(reader, None)
            for cells in reader:
                if len(cells) == 4:  # a report written before the header/household columns
                    line, column, code, message = cells
                    err = RowError(int(line), column, code, message)
                else:
                    line, household_no, name, header, column, code, message = cells
                    err = RowError(int(line), column, code, message, header, household_no, name)
                out.append(err)
                if len(out) >= limit:
                    break
    except FileNotFoundError:
        return []  # deleted after the retention period
    return out
