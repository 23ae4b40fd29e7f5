"""The forecast chart's geometry (history, forecast and its interval band) for an inline
SVG with a table beside it. Pure: numbers in, coordinates out. (The shared chart kinds of
ADR 0007 are bars and dot maps; a time series with a band is drawn here, ADR 0012.)"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 28


@dataclass(frozen=True)
class Geometry:
    width: int
    height: int
    history: str  # polyline points
    forecast: str
    band: str  # polygon points
    split_x: float
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]


def _fmt(v: float) -> str:
    return f"{v / 1000:.0f}t" if v >= 10_000 else f"{v:.0f}"


def forecast_geometry(
    months: list[str], history: list[float], ahead: list[str], mean: list[float],
    lo: list[float], hi: list[float], *, keep: int = 24,
) -> Geometry:  # fmt: skip
    months, history = months[-keep:], history[-keep:]
    labels = months + ahead
    n = max(1, len(labels) - 1)
    top = max([*history, *hi, 1.0]) * 1.05
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return round(LEFT + plot_w * i / n, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    h0 = len(months)
    hist = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(history))
    # The forecast line starts at the last month of history so that the two join.
    joined = ([(h0 - 1, history[-1])] if history else []) + [
        (h0 + i, v) for i, v in enumerate(mean)
    ]
    fc = " ".join(f"{x(i)},{y(v)}" for i, v in joined)
    upper = [f"{x(h0 + i)},{y(v)}" for i, v in enumerate(hi)]
    lower = [f"{x(h0 + i)},{y(v)}" for i, v in reversed(list(enumerate(lo)))]
    y_ticks = [(y(top * k / 4), _fmt(top * k / 4)) for k in range(5)]
    step = max(1, len(labels) // 6)
    x_ticks = [(x(i), labels[i]) for i in range(0, len(labels), step)]
    return Geometry(
        WIDTH, HEIGHT, hist, fc, " ".join(upper + lower), x(max(0, h0 - 1)), y_ticks, x_ticks
    )
