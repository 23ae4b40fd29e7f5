"""The work report (工作报告), built from the platform's own data in the seed report's shape:
cover, contents, data highlights (数据亮点), chronicle (大事记), one chapter per direction with
its figures, a chart and the featured cases, and governance with the ledger's own figures.

Every figure carries a footnote naming its source: the indicator and its query period, or the
ledger, or a partner import. Nothing here writes; ``publishing`` keeps drafts and publishes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.core import chronicle, periods
from tuopin.core.errors import DomainError
from tuopin.core.indicators import FEN, Indicator
from tuopin.ledger.models import Entry
from tuopin.ledger.selectors import latest_checkpoint

from . import dashboard as boards
from .models import Event, FeaturedCase

# The report's directions (主要方向), each gathering the indicators of some apps' directions.
DIRECTIONS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("ecommerce", gettext_lazy("电商脱贫"), ("commerce", "farming")),
    ("education", gettext_lazy("教育脱贫"), ("selection", "childcare", "education")),
    ("women", gettext_lazy("女性脱贫"), ("women",)),
    ("ecology", gettext_lazy("生态脱贫"), ("forest",)),
    ("health", gettext_lazy("健康脱贫"), ("insurance", "charity")),
    ("more", gettext_lazy("更多探索"), ("casework", "registry", "partners")),
]


class NoData(DomainError):
    code = "no_data"
    status = 404


@dataclass
class Figure:
    indicator: Indicator
    value: int
    previous: int
    note: int  # footnote number

    @property
    def shown(self) -> str:
        return amount(self.indicator, self.value)

    @property
    def previous_shown(self) -> str:
        return amount(self.indicator, self.previous)


def amount(ind: Indicator, value: int) -> str:
    """As a report writes it: 亿元 or 万元 for large sums of money, separators for counts."""
    if ind.unit != FEN:
        return f"{value:,}"
    if value >= 10**10:  # 1 亿元
        return _("%(n)s 亿元") % {"n": f"{value / 10**10:,.2f}"}
    if value >= 10**6:  # 1 万元
        return _("%(n)s 万元") % {"n": f"{value / 10**6:,.2f}"}
    return _("%(n)s 元") % {"n": f"{value / 100:,.2f}"}


@dataclass
class Bar:
    label: str
    value: int
    percent: float
    shown: str = ""


@dataclass
class Chapter:
    key: str
    title: Any
    figures: list[Figure]
    bars: list[Bar] = field(default_factory=list)
    bars_title: str = ""
    cases: list[FeaturedCase] = field(default_factory=list)


@dataclass
class Happening:
    day: dt.date
    title: str
    text: str = ""
    url: str = ""


@dataclass
class Report:
    period: periods.Period
    area: Any
    title: str
    generated_at: dt.datetime
    highlights: list[Figure]
    chronicle: list[Happening]
    chapters: list[Chapter]
    footnotes: list[str]
    ledger_entries: int
    checkpoint: Any

    @property
    def area_name(self) -> str:
        return self.area.name if self.area is not None else _("全国")


def _direction_of(ind: Indicator) -> str:
    for key, _title, sources in DIRECTIONS:
        if ind.direction in sources:
            return key
    return "more"


def _footnote(ind: Indicator, period: periods.Period, area_name: str) -> str:
    last = period.end - dt.timedelta(days=1)
    return _("%(name)s：%(source)s；指标 %(code)s，%(area)s，%(start)s 至 %(end)s") % {
        "name": ind.name,
        "source": ind.source,
        "code": ind.code,
        "area": area_name,
        "start": period.start.isoformat(),
        "end": last.isoformat(),
    }


def _bars(ind: Indicator, area: Any, period: periods.Period) -> list[Bar]:
    prefix, width = boards._prefix_width(area)
    if width is None or not ind.areal:
        return []
    from tuopin.areas import selectors as areas

    values = ind.group(prefix, width, period.start, period.end)
    kids = {k.code[:width]: k.name for k in areas.children_of(area)}
    rows = sorted(
        ((kids[k], v) for k, v in values.items() if k in kids and v), key=lambda r: -r[1]
    )[:12]
    top = max((v for _n, v in rows), default=0)
    return [Bar(n, v, round(v * 100 / top, 1) if top else 0, amount(ind, v)) for n, v in rows]


def build(user: Any, *, period_text: str, area_code: str | None = None) -> Report:
    """The report of ``period_text`` for the area (the whole country by default) as ``user``
    may see it. A period without any figure is refused (:class:`NoData`)."""
    area = boards.area_for(user, area_code if area_code is not None else "")
    period = boards.parse_period(period_text)
    prefix, _width = boards._prefix_width(area)
    area_name = area.name if area is not None else _("全国")
    footnotes: list[str] = []
    by_direction: dict[str, list[Figure]] = {}
    visible = {i.code: i for i in boards.indicators_for(user, None)}
    for ind in boards.indicators_for(user, area):
        value = boards._total(ind, prefix, period)
        if value == 0:
            continue
        footnotes.append(_footnote(ind, period, area_name))
        fig = Figure(ind, value, boards._total(ind, prefix, period.previous), len(footnotes))
        by_direction.setdefault(_direction_of(ind), []).append(fig)
    if not by_direction:
        raise NoData(
            _("%(area)s在报告期 %(p)s 内没有任何数据，无法生成报告")
            % {"area": area_name, "p": period.code}
        )
    chapters = []
    for key, title, _sources in DIRECTIONS:
        figures = by_direction.get(key, [])
        cases = _cases(key, prefix, period)
        for case in cases:
            case.figures = _case_figures(case, visible, prefix, period, footnotes)  # type: ignore[attr-defined]
        if not figures and not cases:
            continue
        chapter = Chapter(key, title, figures, cases=cases)
        if figures:
            chapter.bars = _bars(figures[0].indicator, area, period)
            chapter.bars_title = str(figures[0].indicator.name)
        chapters.append(chapter)
    highlights = [
        figs[0] for key, _t, _s in DIRECTIONS for figs in [by_direction.get(key, [])] if figs
    ]
    return Report(
        period=period,
        area=area,
        title=_("%(area)s脱贫工作报告") % {"area": area_name if area is not None else ""},
        generated_at=timezone.now(),
        highlights=highlights,
        chronicle=_chronicle(user, prefix, period),
        chapters=chapters,
        footnotes=footnotes,
        ledger_entries=Entry.objects.filter(
            at__gte=_aware(period.start), at__lt=_aware(period.end)
        ).count(),
        checkpoint=latest_checkpoint(),
    )


def _aware(day: dt.date) -> dt.datetime:
    from tuopin.core.indicators import aware

    return aware(day)


def _cases(direction: str, prefix: str, period: periods.Period) -> list[FeaturedCase]:
    """The featured cases of a direction, each with ``photo_uri``: the photo as a data URI
    (the report is one self-contained document, on its page and in its PDF), or ""."""
    import base64

    from tuopin.documents.evidence import photo_file

    qs = FeaturedCase.objects.filter(
        direction=direction, day__gte=period.start, day__lt=period.end
    ).select_related("photo")
    if prefix:
        qs = qs.filter(area_code__startswith=prefix)
    found = list(qs.order_by("day", "pk"))
    for case in found:
        path = photo_file(case.photo) if case.photo is not None else None
        uri = ""
        if case.photo is not None and path is not None and path.is_file():
            data = base64.b64encode(path.read_bytes()).decode()
            uri = f"data:{case.photo.media_type};base64,{data}"
        case.photo_uri = uri  # type: ignore[attr-defined]
    return found


def _case_figures(
    case: FeaturedCase,
    visible: dict[str, Indicator],
    prefix: str,
    period: periods.Period,
    footnotes: list[str],
) -> list[Figure]:
    """The figures a case links to, for the case's place (the report's area if it has none)
    and the report's period, each with its footnote; indicators the reader may not see, or
    without a value for a place, are left out."""
    from tuopin.areas import codes
    from tuopin.areas.models import Area

    here, place = prefix, ""
    if case.area_code:
        here = codes.prefix_of(case.area_code)
        place = (
            Area.objects.filter(code=case.area_code).values_list("name", flat=True).first() or ""
        )
    out = []
    for code in filter(None, case.indicators.split(",")):
        ind = visible.get(code)
        if ind is None or (here and not ind.areal):
            continue
        value = boards._total(ind, here, period)
        footnotes.append(_footnote(ind, period, place or _("全国")))
        out.append(Figure(ind, value, boards._total(ind, here, period.previous), len(footnotes)))
    return out


def _chronicle(user: Any, prefix: str, period: periods.Period) -> list[Happening]:
    """Operators' events and the apps' own (``core.chronicle``), in date order."""
    events = Event.objects.filter(day__gte=period.start, day__lt=period.end)
    if prefix:
        events = events.filter(area_code__startswith=prefix) | events.filter(area_code="")
    if not boards.permissions.has(user, boards.READ_ALL):
        events = events.filter(public=True)
    out = [Happening(e.day, e.title, e.text, e.url) for e in events]
    out += [
        Happening(h.day, h.title, h.text, h.url)
        for h in chronicle.happenings(prefix, period.start, period.end)
    ]
    return sorted(out, key=lambda h: (h.day, h.title))
