"""Points in time taken from outside (API bodies, statements): aware and within sane years.

A naive time has no meaning here (Asia/Shanghai is applied only where a file gives local
times), and a year outside ``EARLIEST``..``LATEST`` is a typo or an attack: year 1 or 9999
overflows when the database converts it to UTC.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_YEAR = 1990
LATEST_YEAR = 2200


def in_range(value: dt.datetime) -> bool:
    """True when ``value`` is aware and its year (in its own zone) lies in the sane range."""
    return value.tzinfo is not None and EARLIEST_YEAR <= value.year <= LATEST_YEAR
