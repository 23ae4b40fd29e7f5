"""A siting plan as an XLSX workbook: the summary and the chosen sites."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import SitingPlan


def plan_workbook(plan: SitingPlan) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("方案")
    names = {row[0]: row[1] for row in plan.demand_points}
    for label, value in [
        (_("县代码"), plan.county_code),
        (_("按此日期计算年龄"), plan.on.isoformat()),
        (_("中心数（至多）"), plan.centres),
        (_("服务半径（米）"), plan.radius_m),
        (_("半径内儿童须多于（人）"), plan.min_children),
        (_("0–3 岁儿童"), plan.eligible_children),
        (_("覆盖儿童"), plan.children_covered),
        (_("最优"), _("是") if plan.optimal else _("否")),
        (_("与上界的差距"), plan.gap),
        (_("多建一个中心可多覆盖"), plan.marginal_children),
        (_("覆盖全部可覆盖聚居点所需中心数"), plan.cover_all_centres),
        (_("最远儿童到中心的距离（米）"), round(plan.worst_distance_m or 0)),
    ]:
        ws.append([str(label), value])
    sites = wb.create_sheet(_("场地"))
    sites.append(
        [
            _("序号"),
            _("场地代码"),
            _("名称"),
            _("经度"),
            _("纬度"),
            _("覆盖儿童"),
            _("建议面积（平方米）"),
            _("服务的村"),
        ]
    )
    for s in plan.sites.all():
        sites.append(
            [
                s.rank,
                s.code,
                s.name,
                float(s.longitude),
                float(s.latitude),
                s.children_covered,
                s.floor_area_m2,
                "、".join(names.get(v, v) for v in s.villages),
            ]
        )
    if plan.unlocated_villages:
        missing = wb.create_sheet(_("无坐标的村"))
        missing.append([_("村代码"), _("名称"), _("0–3 岁儿童")])
        for row in plan.unlocated_villages:
            missing.append(list(row))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
