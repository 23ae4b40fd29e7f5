"""Demand for centres: children under three per village on a date, and the candidate sites
(village centres with coordinates, and the points officers added)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tuopin.accounts import scoping
from tuopin.areas import codes as area_codes
from tuopin.areas import selectors as areas
from tuopin.core.ages import years_before
from tuopin.registry import selectors as registry

from .errors import CountyNotFound
from .models import CandidateSite
from .siting import Place

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

CHILD_AGE = 3  # 0–3: up to the third birthday; children move on at three
CARER_AGES = (16, 59)  # women of working age in the child's household


@dataclass
class Demand:
    county_code: str
    county_name: str
    on: dt.date
    points: list[Place]
    """Villages with coordinates and children (children = 0 are left out)."""
    sites: list[Place]
    """Candidate sites: every village centre with coordinates, then the added sites."""
    carers: dict[str, int]
    unlocated: list[tuple[str, str, int]] = field(default_factory=list)
    """Villages with children but no coordinates: (code, name, children), listed, not dropped."""

    @property
    def eligible_children(self) -> int:
        return sum(p.children for p in self.points) + sum(n for _c, _n, n in self.unlocated)


def get_county_for(user: User | AnonymousUser, code: str) -> tuple[str, str]:
    """A county in the user's scope: (code, name); missing, not a county, or out of scope are
    the same not-found."""
    try:
        code = area_codes.normalise(code)
    except ValueError:
        raise CountyNotFound(_("县不存在：%(c)s") % {"c": code}) from None
    found = areas.areas_by_codes([code]).get(code)
    prefixes = scoping.area_prefixes(user)
    # The whole county must be in scope: siting is the county's decision.
    in_scope = prefixes is None or any(code[:6].startswith(p) for p in prefixes)
    if found is None or area_codes.level_of(code) != 3 or not in_scope:
        raise CountyNotFound(_("县不存在：%(c)s") % {"c": code})
    return code, found.name


def demand_for(user: User | AnonymousUser, county_code: str, on: dt.date) -> Demand:
    """Children under three per village of a county on ``on`` (aggregates, through the
    registry's access function), and the candidate sites."""
    code, name = get_county_for(user, county_code)
    counts = registry.young_children_by_village(
        user,
        area=code[:6],
        children_born=(years_before(on, CHILD_AGE), on),
        carers_born=(years_before(on, CARER_AGES[1] + 1), years_before(on, CARER_AGES[0])),
    )
    points, sites, unlocated = [], [], []
    seen = set()
    for v in areas.villages_under(code):
        seen.add(v.code)
        n = counts[v.code].children if v.code in counts else 0
        if v.longitude is None or v.latitude is None:
            if n:
                unlocated.append((v.code, v.name, n))
            continue
        place = Place(v.code, v.name, float(v.longitude), float(v.latitude), n)
        sites.append(place)
        if n:
            points.append(place)
    for vcode, c in counts.items():  # people filed under a village the tree does not have
        if vcode not in seen and c.children:
            unlocated.append((vcode, vcode, c.children))
    for s in CandidateSite.objects.filter(county_code=code).order_by("id"):
        sites.append(Place(s.code, s.name, float(s.longitude), float(s.latitude)))
    return Demand(
        county_code=code,
        county_name=name,
        on=on,
        points=points,
        sites=sites,
        carers={k: v.carers for k, v in counts.items()},
        unlocated=sorted(unlocated),
    )
