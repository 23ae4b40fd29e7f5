"""The figures behind a chart, as JSON for ``static/tuopin/js/charts.js`` (ECharts, ADR 0007).

Pure: no database, no request. A view builds a chart with :func:`bar_chart` or :func:`dot_map`
and hands it to the ``{% chart %}`` tag (``core/templatetags/charts.py``), which embeds it with
``json_script`` and writes the same figures as a table beside it, so that the data is readable
without JavaScript. Every chart is drawn the same size with the same text size (``BOX_HEIGHT``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# One height for every chart box (CSS px); a bar chart grows only when its rows would not fit.
# A map's box takes the shape of its extent instead (``aspect``), at most MAP_MAX_HEIGHT high.
BOX_HEIGHT = 320
BAR_ROW = 22  # px a bar needs at least, with 13 px labels
BAR_PADDING = 24
MAP_MAX_HEIGHT = 520

# Mainland China, Hainan and the islands of the South China Sea down to 曾母暗沙 (3.8° N):
# the national view always shows all of it, so that neither 新疆 nor 南海 is cut off.
CHINA_EXTENT = ((73.4, 135.1), (3.8, 53.6))
MIN_SPAN = 0.2  # degrees: the extent around a single dot (about 20 km)
PAD = 0.12  # of the span, on each side: room for the dots and their labels
MIN_ASPECT, MAX_ASPECT = 0.8, 2.0  # a map box's width / height; its height is capped in CSS

_KEY = re.compile(r"^[a-z][a-z0-9-]*$")
# Long official names of provinces → what a map label says (新疆维吾尔自治区 → 新疆).
_SHORT_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省")
_MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}


@dataclass(frozen=True)
class Place:
    """A dot: an area placed by its coordinates, with its figure and (maybe) its page."""

    name: str
    longitude: Decimal | float | None
    latitude: Decimal | float | None
    value: int
    url: str = ""


def short_name(name: str) -> str:
    """The name a map label uses: a province without its long suffix, anything else as is."""
    if name in _MUNICIPALITIES:
        return name[:-1]
    for suffix in _SHORT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError(f"chart key must be lower-case letters, digits and '-': {key!r}")
    return key


def bar_chart(
    key: str,
    title: str,
    rows: Iterable[Sequence[Any]],
    *,
    unit: str = "",
    columns: tuple[str, str] = ("", ""),
) -> dict[str, Any]:
    """Horizontal bars, one ``(label, value)`` or ``(label, value, url)`` a row, in that order.

    ``columns`` names the table's two columns (what the labels are, what the values count).
    """
    items = [
        {"label": str(r[0]), "value": int(r[1]), "url": str(r[2]) if len(r) > 2 else ""}
        for r in rows
    ]
    return {
        "key": _check_key(key),
        "kind": "bar",
        "title": str(title),
        "unit": str(unit),
        "columns": [str(c) for c in columns],
        "height": max(BOX_HEIGHT, BAR_ROW * len(items) + BAR_PADDING),
        "rows": items,
    }


def fit_extent(
    places: Sequence[tuple[float, float]], *, nationwide: bool = False
) -> dict[str, Any]:
    """The longitudes and latitudes a map shows: every place with room around it.

    Nationwide, at least the whole country (``CHINA_EXTENT``); otherwise the places' own box,
    padded, at least ``MIN_SPAN`` wide and high, so that one village or one county is a dot in
    the middle of its neighbourhood, not in a corner. ``kx`` is how much shorter a degree of
    longitude is than one of latitude in the middle of the map: the page keeps that ratio.
    """
    if not places and not nationwide:
        return {}
    lngs = [p[0] for p in places]
    lats = [p[1] for p in places]
    if nationwide:
        (lng0, lng1), (lat0, lat1) = CHINA_EXTENT
        lng0, lng1 = min([lng0, *lngs]), max([lng1, *lngs])
        lat0, lat1 = min([lat0, *lats]), max([lat1, *lats])
        pad_lng = pad_lat = 0.0
    else:
        lng0, lng1, lat0, lat1 = min(lngs), max(lngs), min(lats), max(lats)
        pad_lng = max(lng1 - lng0, MIN_SPAN) * PAD
        pad_lat = max(lat1 - lat0, MIN_SPAN) * PAD
    grow_lng = max(0.0, MIN_SPAN - (lng1 - lng0)) / 2
    grow_lat = max(0.0, MIN_SPAN - (lat1 - lat0)) / 2
    lng0, lng1 = lng0 - grow_lng - pad_lng, lng1 + grow_lng + pad_lng
    lat0, lat1 = lat0 - grow_lat - pad_lat, lat1 + grow_lat + pad_lat
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    return {
        "lng": [round(lng0, 4), round(lng1, 4)],
        "lat": [round(lat0, 4), round(lat1, 4)],
        "kx": round(kx, 4),
        # The box's width / height: the extent's own, within what a page can show.
        "aspect": round(min(MAX_ASPECT, max(MIN_ASPECT, (lng1 - lng0) * kx / (lat1 - lat0))), 3),
    }


def dot_map(
    key: str,
    title: str,
    places: Iterable[Place],
    *,
    nationwide: bool = False,
    unit: str = "",
    columns: tuple[str, str] = ("", ""),
) -> dict[str, Any]:
    """Areas as dots placed by longitude and latitude, sized by their figure (no outlines:
    ADR 0007). Dots are drawn largest first; a dot with 0 is drawn small and grey, without a
    label; places without coordinates are only in the table. A dot links to ``url`` if it has
    one (the caller gives one only where the user has a page for that area)."""
    rows = sorted(places, key=lambda p: (-p.value, p.name))
    placed = [p for p in rows if p.longitude is not None and p.latitude is not None]
    coords = [(float(p.longitude), float(p.latitude)) for p in placed]  # type: ignore[arg-type]
    return {
        "key": _check_key(key),
        "kind": "map",
        "title": str(title),
        "unit": str(unit),
        "columns": [str(c) for c in columns],
        "height": MAP_MAX_HEIGHT,
        "extent": fit_extent(coords, nationwide=nationwide),
        "points": [
            {
                "name": p.name,
                "label": short_name(p.name),
                "lng": round(lng, 5),
                "lat": round(lat, 5),
                "value": p.value,
                "url": p.url,
            }
            for p, (lng, lat) in zip(placed, coords, strict=True)
        ],
        "rows": [{"label": p.name, "value": p.value, "url": p.url} for p in rows],
    }
