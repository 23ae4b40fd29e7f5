"""Back office of the forest app: the energy rules (action types) are edited here; projects
are read through the access function."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from . import selectors
from .models import ActionType, Project


@admin.register(ActionType)
class ActionTypeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "grams", "per_units", "unit", "daily_cap_g", "active"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["slug", "name", "kind", "county", "units_total", "status", "opens_at"]
    readonly_fields = ["units_total", "shards"]

    def get_queryset(self, request: Any) -> Any:
        return selectors.projects_for(request.user)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(request.user.has_perm("forest.view_project"))
