"""Reporting periods, distances and content hashes for field reports. Pure code, no Django."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from typing import Any

EARTH_KM = 6371.0
FAR_KM = 10.0  # a photo taken further than this from its village is flagged


def period_start(day: dt.date, periodicity: str) -> dt.date:
    """The first day of the period holding ``day`` (one-off cases: its month)."""
    if periodicity == "quarterly":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return day.replace(day=1)


def period_end(start: dt.date, periodicity: str) -> dt.date:
    """The first day after the period that starts on ``start``."""
    months = 3 if periodicity == "quarterly" else 1
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def parse_period(text: str, periodicity: str) -> dt.date:
    """``2018-06`` (a month) or ``2018-Q2`` (a quarter) → the period's first day."""
    text = text.strip().upper()
    if "Q" in text:
        year, quarter = text.split("-Q")
        q = int(quarter)
        if not 1 <= q <= 4:
            raise ValueError(text)
        return dt.date(int(year), 3 * (q - 1) + 1, 1)
    year, month = text[:7].split("-")
    return period_start(dt.date(int(year), int(month), 1), periodicity)


def period_label(start: dt.date, periodicity: str) -> str:
    if periodicity == "quarterly":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def content_hash(salt: str, content: dict[str, Any], photo_hashes: list[str]) -> str:
    """SHA-256 over the salt, the values (canonical JSON) and the photos' SHA-256 in order:
    the ledger holds this, never the values. The salt keeps a guessable report (a household's
    bird count) from being confirmed by hashing guesses."""
    body = json.dumps(
        {"values": content, "photos": photo_hashes},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(f"{salt}\n{body}".encode()).hexdigest()


def unit_hash(hashes: list[str]) -> str:
    """One hash for a set of submissions approved together (sorted, so order does not matter)."""
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()
