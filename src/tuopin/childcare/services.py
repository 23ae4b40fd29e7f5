"""Writes of the childcare app that are not siting runs (those are in :mod:`planning`):
candidate sites, and the running centres (:mod:`centres`)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.areas import selectors as areas
from tuopin.core.money import MAX_FEN

from .demand import get_county_for
from .errors import BadPlan
from .models import CandidateSite, SiteKind

if TYPE_CHECKING:
    from tuopin.accounts.models import User

ADD_SITE = "childcare.add_candidatesite"


def add_candidate_site(
    *,
    by: User,
    county_code: str,
    village_code: str,
    name: str,
    kind: str,
    longitude: Decimal,
    latitude: Decimal,
    floor_area_m2: int | None = None,
    monthly_rent_fen: int = 0,
) -> CandidateSite:
    """A school, clinic or rented room an officer offers as a possible centre. It must lie in
    a village of the county (the village code) and within the county's reach (50 km of the
    village, so a mistyped coordinate is caught)."""
    permissions.require(by, ADD_SITE, _("没有添加备选场地的权限"))
    county, _name = get_county_for(by, county_code)
    name = name.strip()
    if not name:
        raise BadPlan(_("请填写场地名称"), code="missing_name")
    if kind not in SiteKind.values:
        raise BadPlan(_("场地类型无效"), code="bad_kind")
    village = areas.villages_under(county).filter(code=village_code.strip()).first()
    if village is None:
        raise BadPlan(_("该县没有这个村：%(v)s") % {"v": village_code}, code="bad_village")
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise BadPlan(_("坐标无效"), code="bad_coordinates")
    if village.longitude is not None and village.latitude is not None:
        from .siting import haversine_m

        far = float(
            haversine_m(
                float(longitude), float(latitude), float(village.longitude), float(village.latitude)
            )
        )
        if far > 50_000:
            raise BadPlan(
                _("坐标离%(v)s有 %(km)s 公里，请核对经纬度")
                % {"v": village.name, "km": round(far / 1000)},
                code="bad_coordinates",
            )
    if not 0 <= monthly_rent_fen <= MAX_FEN:
        raise BadPlan(_("租金无效"), code="bad_rent")
    return CandidateSite.objects.create(
        county_code=county,
        village_code=village.code,
        name=name[:100],
        kind=kind,
        longitude=longitude,
        latitude=latitude,
        floor_area_m2=floor_area_m2,
        monthly_rent_fen=monthly_rent_fen,
        added_by=by,
    )
