"""One way to put a chart on a page: ``{% chart spec %}`` and, once, ``{% chart_scripts %}``.

``spec`` comes from :mod:`tuopin.core.charts`. The tag writes the chart's box (drawn by
``static/tuopin/js/charts.js`` with the vendored ECharts, ADR 0007), its figures as JSON
(``json_script``) and the same figures as a table, open until the chart is drawn: without
JavaScript the table is the chart.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def chart(spec: dict[str, Any], table: bool = True) -> SafeString:
    """The chart ``spec``; ``table=False`` where the page already shows its figures in a
    table of its own (the area browser's list of areas). Nothing to draw (no rows, or a map
    with no place that has coordinates): only the table, or a word that there is no data."""
    drawable = bool(spec["points"] if spec["kind"] == "map" else spec["rows"])
    return render_to_string(
        "core/chart.html",
        {"c": spec, "data_id": f"chart-{spec['key']}-data", "table": table, "drawable": drawable},
    )


@register.filter
def thousands(value: int) -> str:
    """``17500`` → ``17,500``, in every language (as the chart's own labels write it)."""
    return f"{int(value):,}"


@register.simple_tag
def chart_scripts() -> SafeString:
    """The scripts that draw the page's charts: once per page, after its charts."""
    return format_html(
        '<script defer src="{}"></script><script defer src="{}"></script>',
        static("tuopin/vendor/echarts/echarts.min.js"),
        static("tuopin/js/charts.js"),
    )
