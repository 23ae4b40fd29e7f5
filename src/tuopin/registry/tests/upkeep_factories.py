"""Helpers of the upkeep tests: file a request and carry it up the chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tuopin.conftest import make_id
from tuopin.registry.models import Household
from tuopin.registry.upkeep import services


def new_id(seq: int, birth: dt.date = dt.date(2020, 2, 2), area: str = "422823") -> str:
    return make_id(area, birth, seq)


def file(cadre: Any, kind: str, payload: dict[str, Any], household: str = "A001", **kw: Any):  # type: ignore[no-untyped-def]
    return services.file_request(
        household=Household.objects.get(household_no=household),
        kind=kind,
        payload=payload,
        reason=kw.pop("reason", "入户核实"),
        by=cadre,
        **kw,
    )


def approve_all(req: Any, *officers: Any):  # type: ignore[no-untyped-def]
    out = None
    for officer in officers:
        out = services.decide(request=req, action="approve", by=officer)
    return out
