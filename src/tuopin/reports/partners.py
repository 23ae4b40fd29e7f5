"""Partner figures (合作方数据): numbers of the report that tuopin does not compute — a bank's
loans in poor counties, staff visits, sales on outside platforms — imported from a partner's
CSV/XLSX (indicator, area, period, value, source), each import a ledger entry, each figure
shown with its source.

Every bad line is reported with its reason and the rest is kept. A computed indicator is
never imported, and a figure already recorded is never overwritten silently: the line is
refused unless the operator asks to replace, and then the import lists what it replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.areas import codes
from tuopin.areas import selectors as areas
from tuopin.core import indicators as computed
from tuopin.core import periods
from tuopin.core.errors import DomainError
from tuopin.core.imports import RowError, map_header, write_errors
from tuopin.core.indicators import FEN, Indicator, grouped
from tuopin.core.money import MAX_FEN, parse_yuan
from tuopin.core.tabular import UnreadableFile, open_table
from tuopin.ledger import services as ledger

from .models import PartnerFigure, PartnerImport, PartnerIndicator

IMPORT = "reports.add_partnerimport"
FOLDER = "partner-imports"
COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": ("指标", "指标代号", "indicator_code"),
    "area": ("区划", "区划代码", "地区代码", "area_code"),
    "period": ("报告期", "期间", "时期"),
    "value": ("数值", "值", "数量", "金额", "金额（元）", "金额(元)"),
    "source": ("来源", "数据来源"),
}
NATIONAL = {"", "全国", "000000000000", "cn", "CN"}


class AlreadyImported(DomainError):
    code = "already_imported"
    status = 409


@dataclass
class Replaced:
    line: int
    indicator: str
    area_code: str
    period: str
    old: int
    new: int


@dataclass
class PartnerResult:
    imported: PartnerImport
    errors: list[RowError] = field(default_factory=list)
    replaced: list[Replaced] = field(default_factory=list)


@dataclass
class _Line:
    line: int
    indicator: PartnerIndicator
    area_code: str
    period: periods.Period
    value: int
    source: str


def _value(text: str, unit: str) -> int:
    """Yuan (at most two decimals) for money, a whole number otherwise; never negative."""
    if unit == FEN:
        fen = parse_yuan(text)
    else:
        cleaned = text.strip().replace(",", "").replace("，", "")
        if not cleaned.lstrip("-").isdigit():
            raise ValueError(text)
        fen = int(cleaned)
    if fen < 0:
        raise OverflowError(text)  # a negative count or amount
    if fen > MAX_FEN:
        raise ValueError(text)
    return fen


def import_partner_figures(
    *, path: str | Path, by: Any, filename: str = "", source: str = "", replace: bool = False
) -> PartnerResult:
    """Import a partner's figures; ``source`` names the partner when the file has no source
    column. The same file twice is refused (:class:`AlreadyImported`)."""
    permissions.require(by, IMPORT, _("没有导入合作方数据的权限"))
    path = Path(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    earlier = PartnerImport.objects.filter(sha256=digest).first()
    if earlier is not None:
        raise AlreadyImported(
            _("这个文件已于 %(at)s 导入过")
            % {"at": f"{timezone.localtime(earlier.at):%Y-%m-%d %H:%M}"}
        )
    table = open_table(path)
    cols = map_header(table.header, COLUMNS)
    lacking = [c for c in ("indicator", "period", "value") if c not in cols]
    if lacking or ("source" not in cols and not source.strip()):
        names = [COLUMNS[c][0] for c in lacking] + ([] if source.strip() else [_("来源")])
        raise UnreadableFile(_("文件缺少列：%(c)s") % {"c": _("、").join(names)})
    known = {i.code: i for i in PartnerIndicator.objects.all()}

    def title(column: str) -> str:
        i = cols.get(column)
        return table.header[i] if i is not None else column

    errors: list[RowError] = []
    lines: list[_Line] = []
    seen: set[tuple[str, str, str]] = set()
    for line_no, values in table.rows:

        def cell(name: str, values: list[str] = values) -> str:
            i = cols.get(name)
            return values[i].strip() if i is not None and i < len(values) else ""

        def refuse(column: str, code: str, message: str, line_no: int = line_no) -> None:
            errors.append(RowError(line_no, column, code, message, header=title(column)))

        code = cell("indicator")
        ind = known.get(code)
        if ind is None:
            if computed.get(code) is not None:
                refuse(
                    "indicator",
                    "computed_indicator",
                    _("系统自动计算的指标不能导入：%(c)s") % {"c": code},
                )
            else:
                refuse("indicator", "unknown_indicator", _("未知的指标：%(c)s") % {"c": code[:40]})
            continue
        raw_area = cell("area")
        if raw_area in NATIONAL:
            area_code = ""
        else:
            try:
                area_code = codes.normalise(raw_area)
            except codes.AreaCodeError:
                refuse("area", "bad_area", _("区划代码无效：%(c)s") % {"c": raw_area[:40]})
                continue
        try:
            period = periods.parse(cell("period"))
        except periods.PeriodError:
            refuse("period", "bad_period", _("报告期应为 2018-06、2018Q2、2018H1 或 2018"))
            continue
        try:
            value = _value(cell("value"), ind.unit)
        except OverflowError:
            refuse("value", "negative_value", _("数值不能为负"))
            continue
        except ValueError:
            refuse("value", "bad_value", _("数值无效：%(v)s") % {"v": cell("value")[:40]})
            continue
        src = cell("source") or source.strip()
        if not src:
            refuse("source", "no_source", _("请写明数据来源"))
            continue
        key = (code, area_code, period.code)
        if key in seen:
            refuse("indicator", "duplicate_line", _("同一指标、区划和报告期在文件中重复"))
            continue
        seen.add(key)
        lines.append(_Line(line_no, ind, area_code, period, value, src[:100]))
    known_areas = areas.areas_by_codes([ln.area_code for ln in lines if ln.area_code])
    kept = []
    for ln in lines:
        if ln.area_code and ln.area_code not in known_areas:
            errors.append(
                RowError(
                    ln.line, "area", "unknown_area", _("区划不存在：%(c)s") % {"c": ln.area_code}
                )
            )
        else:
            kept.append(ln)
    return _write(
        kept,
        errors,
        by=by,
        digest=digest,
        filename=filename or path.name,
        source=source,
        replace=replace,
    )


def _write(
    lines: list[_Line],
    errors: list[RowError],
    *,
    by: Any,
    digest: str,
    filename: str,
    source: str,
    replace: bool,
) -> PartnerResult:
    replaced: list[Replaced] = []
    with transaction.atomic():
        existing = {
            (f.indicator_id, f.area_code, f.period): f
            for f in PartnerFigure.objects.select_for_update().filter(
                indicator__in={ln.indicator.pk for ln in lines},
                period__in={ln.period.code for ln in lines},
            )
        }
        imp = PartnerImport.objects.create(
            file_name=filename[:200], sha256=digest, source=source[:100], by=by, at=timezone.now()
        )
        new, changed = [], []
        for ln in lines:
            old = existing.get((ln.indicator.pk, ln.area_code, ln.period.code))
            if old is None:
                new.append(
                    PartnerFigure(
                        indicator=ln.indicator,
                        area_code=ln.area_code,
                        period=ln.period.code,
                        period_start=ln.period.start,
                        period_end=ln.period.end,
                        value=ln.value,
                        source=ln.source,
                        imported=imp,
                    )
                )
            elif old.value == ln.value:
                continue  # the same figure again: nothing to change
            elif not replace:
                errors.append(
                    RowError(
                        ln.line,
                        "value",
                        "already_recorded",
                        _("已有数值 %(old)s（%(src)s），如需更正请选择替换")
                        % {"old": old.value, "src": old.source},
                    )
                )
            else:
                replaced.append(
                    Replaced(
                        ln.line,
                        ln.indicator.code,
                        ln.area_code,
                        ln.period.code,
                        old.value,
                        ln.value,
                    )
                )
                old.value, old.source, old.imported = ln.value, ln.source, imp
                changed.append(old)
        PartnerFigure.objects.bulk_create(new)
        PartnerFigure.objects.bulk_update(changed, ["value", "source", "imported"])
        imp.accepted = len(new) + len(changed)
        imp.rejected = len(errors)
        imp.replaced = len(changed)
        if errors:
            folder = Path(settings.MEDIA_ROOT) / FOLDER
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"import-{imp.pk}-{secrets.token_hex(8)}.csv"
            write_errors(target, sorted(errors, key=lambda e: e.line))
            imp.errors_path = str(target)
        entry = ledger.append_entry(
            kind="note",
            payload={
                "subject": "reports.partner_import",
                "file_sha256": digest,
                "source": imp.source or sorted({ln.source for ln in lines})[:5],
                "accepted": imp.accepted,
                "rejected": imp.rejected,
                "replaced": len(changed),
                "indicators": sorted({ln.indicator.code for ln in lines}),
            },
        )
        imp.ledger_index = entry.index
        imp.save()
    return PartnerResult(imp, sorted(errors, key=lambda e: e.line), replaced)


def _group_for(ind: PartnerIndicator) -> Any:
    def group(prefix: str, width: int, start: dt.date, end: dt.date) -> dict[str, int]:
        """Figures whose period lies within ``[start, end)``, by area prefix; a national
        figure (no area) counts only for the whole country."""
        return grouped(
            PartnerFigure.objects.filter(
                indicator=ind, period_start__gte=start, period_end__lte=end
            ),
            code_field="area_code",
            prefix=prefix,
            width=width,
            value=Sum("value"),
        )

    return group


def as_indicators() -> list[Indicator]:
    """The partner indicators in the shape of the computed ones, for the dashboards; the
    footnote names the partners that reported them."""
    sources: dict[int, list[str]] = {}
    for ind_id, src in (
        PartnerFigure.objects.values_list("indicator_id", "source").distinct().order_by("source")
    ):
        sources.setdefault(ind_id, []).append(src)
    return [
        Indicator(
            f"partner.{ind.code}",
            ind.name,
            ind.unit,
            flow=True,
            public=ind.public,
            group=_group_for(ind),
            direction=ind.direction,
            order=900,
            source=_("合作方数据：%(s)s（每次导入见账本）")
            % {"s": _("、").join(sources.get(ind.pk, [])[:5]) or "—"},
        )
        for ind in PartnerIndicator.objects.order_by("code")
    ]
