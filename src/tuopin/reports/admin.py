"""Back office of the work report: operators define partner indicators, record the chronicle
(大事记) and feature cases; imports and reports are read-only here (they change through
their pages and services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from .models import Event, FeaturedCase, PartnerImport, PartnerIndicator, WorkReport


@admin.register(PartnerIndicator)
class PartnerIndicatorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "unit", "direction", "public"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # figures point at it


class _ByUser(admin.ModelAdmin):  # type: ignore[type-arg]
    exclude = ["by"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.by = request.user
            if hasattr(obj, "at"):
                obj.at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Event)
class EventAdmin(_ByUser):
    list_display = ["day", "title", "area_code", "public"]
    exclude = ["by", "at"]
    date_hierarchy = "day"


@admin.register(FeaturedCase)
class FeaturedCaseAdmin(_ByUser):
    list_display = ["day", "direction", "title", "area_code"]
    raw_id_fields = ["photo"]


class _ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PartnerImport)
class PartnerImportAdmin(_ReadOnly):
    list_display = ["file_name", "source", "accepted", "rejected", "replaced", "at"]


@admin.register(WorkReport)
class WorkReportAdmin(_ReadOnly):
    list_display = ["period", "area_code", "status", "created_at", "published_at"]
    exclude = ["html"]
