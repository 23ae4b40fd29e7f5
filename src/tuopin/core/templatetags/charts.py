"""Server-rendered SVG charts: no JavaScript, no network, readable on a phone."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

PALETTE = [
    "#c0392b",
    "#e67e22",
    "#f1c40f",
    "#27ae60",
    "#16a085",
    "#2980b9",
    "#8e44ad",
    "#7f8c8d",
    "#d35400",
    "#2c3e50",
    "#95a5a6",
]


@register.simple_tag
def bar_chart(rows: Sequence[tuple[str, int]], title: str = "") -> SafeString:
    """Horizontal bars: one ``(label, value)`` a row, labelled with the value."""
    rows = list(rows)
    if not rows:
        return format_html('<p class="muted">{}</p>', "—")
    top = max(v for _l, v in rows) or 1
    # Room for the longest label: Chinese characters ~16 units wide at this size, others ~9.5.
    longest = max(sum(16 if ord(ch) > 0x2E80 else 9.5 for ch in str(label)) for label, _v in rows)
    bar_h, gap = 24, 8
    label_w = int(min(300, max(60, longest + 12)))
    width = label_w + 310
    height = len(rows) * (bar_h + gap) + gap
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="15" dominant-baseline="middle">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"/>'
        '<text x="{}" y="{}" font-size="14" dominant-baseline="middle">{}</text>',
        (
            (
                label_w - 6,
                gap + i * (bar_h + gap) + bar_h / 2,
                label,
                label_w,
                gap + i * (bar_h + gap),
                max(1, round((width - label_w - 60) * v / top)),
                bar_h,
                PALETTE[i % len(PALETTE)],
                label_w + max(1, round((width - label_w - 60) * v / top)) + 6,
                gap + i * (bar_h + gap) + bar_h / 2,
                f"{v:,}",
            )
            for i, (label, v) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg viewBox="0 0 {} {}" role="img" aria-label="{}">{}</svg>', width, height, title, bars
    )


@register.simple_tag
def dot_map(points: Sequence[tuple[str, float, float, int, str]], title: str = "") -> SafeString:
    """A map of areas as dots placed by longitude/latitude, sized by count, linked to each area.

    ``points``: ``(name, longitude, latitude, count, url)``. Works offline: no map tiles.
    """
    pts = [p for p in points if p[1] is not None and p[2] is not None]
    if not pts:
        return format_html('<p class="muted">{}</p>', "—")
    xs, ys = [float(p[1]) for p in pts], [float(p[2]) for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    span = max(x1 - x0, y1 - y0, 0.01)
    size, pad = 560, 60
    top = max(p[3] for p in pts) or 1

    def place(lon: float, lat: float) -> tuple[float, float]:
        x = pad + (lon - x0) / span * (size - 2 * pad)
        y = size - pad - (lat - y0) / span * (size - 2 * pad)
        return round(x, 1), round(y, 1)

    dots = format_html_join(
        "",
        '<a href="{}"><circle cx="{}" cy="{}" r="{}" fill="#c0392b" fill-opacity=".55"/>'
        '<text x="{}" y="{}" font-size="17" text-anchor="middle">{} {}</text></a>',
        (
            (
                url,
                *place(float(lon), float(lat)),
                round(6 + 16 * (n / top) ** 0.5, 1),
                place(float(lon), float(lat))[0],
                place(float(lon), float(lat))[1] - 12 - 16 * (n / top) ** 0.5,
                name,
                f"{n:,}",
            )
            for name, lon, lat, n, url in pts
        ),
    )
    return format_html(
        '<svg viewBox="0 0 {} {}" role="img" aria-label="{}"><rect width="100%" height="100%" '
        'fill="#f4f8f4"/>{}</svg>',
        size,
        size,
        title,
        dots,
    )
