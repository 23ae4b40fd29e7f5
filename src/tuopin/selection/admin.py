"""Back office: the operator edits programmes (rules, form, quotas, award), reviewers'
conflict profiles, cohorts and positions. Applications, reviews and runs are read-only
here: they change only through the services (declarations, scores, the committee)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from . import selectors
from .models import Application, Cohort, Position, Programme, ReviewerProfile


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "year", "kind", "select_count", "open"]
    list_filter = ["kind", "year"]
    filter_horizontal = ["reviewers"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "area_code", "school"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["pk", "programme", "name", "area_code", "status", "score", "normalised"]
    list_filter = ["programme", "status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return selectors.applications_for(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "course", "starts_on"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A new cohort is opened through the service (it checks the operator)."""
        if change:
            super().save_model(request, obj, form, change)
            return
        from .training import create_cohort

        made = create_cohort(
            slug=obj.slug,
            name=obj.name,
            course=obj.course,
            starts_on=obj.starts_on,
            pass_mark=obj.pass_mark,
            min_attendance=obj.min_attendance,
            by=request.user,
        )
        obj.pk = made.pk


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["employer", "title"]
