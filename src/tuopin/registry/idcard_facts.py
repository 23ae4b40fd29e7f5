"""Birth date and sex as an ID number states them (GB 11643), for rows written outside the
import (change requests)."""

from __future__ import annotations

import datetime as dt

from tuopin.core import idcard


def birth_and_sex(id_number: str) -> tuple[dt.date, str]:
    parsed = idcard.parse(id_number)
    return parsed.birth_date, parsed.sex
