"""API of the area tree."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors

router = Router(tags=["areas"])


class AreaOut(Schema):
    code: str
    name: str
    level: int
    parent_code: str | None
    longitude: Decimal | None
    latitude: Decimal | None
    national_poor: bool
    deep_poverty: bool
    provincial_poor: bool

    @staticmethod
    def resolve_parent_code(obj: object) -> str | None:
        return getattr(obj, "parent_id", None)


@router.get("/{code}", response=AreaOut, summary="One area")
def get_area(request: HttpRequest, code: str) -> object:
    return selectors.get_area(code)


@router.get("/{code}/children", response=list[AreaOut], summary="Direct children of an area")
def area_children(request: HttpRequest, code: str) -> object:
    return list(selectors.children_of(selectors.get_area(code)))
