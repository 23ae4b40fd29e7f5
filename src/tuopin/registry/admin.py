"""Back office for the registry: scoped and masked exactly like the pages."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tuopin.accounts import scoping

from .importing import refresh_household_summaries
from .models import Household, Person, StatusChange


class ScopedAdmin(admin.ModelAdmin):
    scope_field = "village__code"

    def get_queryset(self, request: HttpRequest) -> QuerySet:  # type: ignore[type-arg]
        return scoping.scope(super().get_queryset(request), request.user, self.scope_field)


class PersonInline(admin.TabularInline):
    model = Person
    fields = ["name", "masked_id_number", "sex", "birth_date", "relation", "health"]
    readonly_fields = ["name", "masked_id_number", "sex", "birth_date", "relation", "health"]
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    @admin.display(description=_("证件号码"))
    def masked_id_number(self, obj: Person) -> str:
        return obj.masked_id


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["at", "from_status", "to_status", "year", "reason", "by"]
    readonly_fields = ["at", "from_status", "to_status", "year", "reason", "by"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = [
        "household_no",
        "head_name",
        "village",
        "member_count",
        "household_type",
        "poverty_cause",
        "status",
    ]
    list_filter = ["status", "household_type", "poverty_cause"]
    search_fields = ["=household_no", "head_name"]
    readonly_fields = ["status", "status_year", "head_name", "member_count"]
    raw_id_fields = ["village"]
    inlines = [PersonInline, StatusChangeInline]
    list_select_related = ["village"]
    show_full_result_count = False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        # New households come through the import, which validates them as a whole.
        return False


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    scope_field = "village_code"
    list_display = ["name", "masked_id_number", "sex", "birth_date", "relation", "household"]
    list_filter = ["sex", "relation", "health"]
    search_fields = ["name"]
    list_select_related = ["household"]
    show_full_result_count = False

    @admin.display(description=_("证件号码"))
    def masked_id_number(self, obj: Person) -> str:
        return obj.masked_id

    fields = [
        "name",
        "masked_id_number",
        "sex",
        "birth_date",
        "relation",
        "household",
        "village_code",
        "education",
        "health",
        "student_status",
        "phone",
    ]
    # Identity, household and relation follow the ID number and the one-head rule: they
    # change through the import, never by hand here. The whole ID number is never shown.
    readonly_fields = [
        "masked_id_number",
        "sex",
        "birth_date",
        "relation",
        "household",
        "village_code",
    ]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        refresh_household_summaries([obj.household_id])
