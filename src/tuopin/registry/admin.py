"""Back office for the registry: read-only, through the same access functions as the pages.

Registry records change only through services that check the actor and the scope and keep a
household and its members consistent (the import, ``change_status``,
``change_member_status``): here a household could be moved to another county while its
members kept the old village code, or have its number changed. So every view is view-only,
scoped and masked (no birth date beside a masked ID number; phones masked unless the user
may unmask).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tuopin.accounts import approvals, scoping
from tuopin.core.admin import ViewOnly

from . import selectors
from .models import Household, KindChain, Person, StatusChange


class PersonShown:
    """What the admin shows of a person: never the whole ID number or birth date."""

    @admin.display(description=_("证件号码"))
    def masked_id_number(self, obj: Person) -> str:
        return obj.masked_id

    @admin.display(description=_("年龄"))
    def age(self, obj: Person) -> int:
        return obj.age

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: Person) -> str:
        return obj.masked_phone


_INLINE_PERSON = ["name", "masked_id_number", "sex", "age", "relation", "health", "status"]
_STATUS_CHANGE = ["at", "from_status", "to_status", "year", "reason", "by"]
_HOUSEHOLD = [
    "household_no",
    "village",
    "address",
    "household_type",
    "poverty_cause",
    "status",
    "status_year",
    "head_name",
    "member_count",
    "closed_on",
    "closed_reason",
    "closed_into",
]
_PERSON = [
    "name",
    "masked_id_number",
    "sex",
    "age",
    "relation",
    "household",
    "village_code",
    "education",
    "health",
    "student_status",
    "masked_phone",
    "status",
    "left_on",
]


class PersonInline(ViewOnly, PersonShown, admin.TabularInline):
    model = Person
    fields = tuple(_INLINE_PERSON)
    readonly_fields = _INLINE_PERSON
    extra = 0
    show_change_link = True


class StatusChangeInline(ViewOnly, admin.TabularInline):
    model = StatusChange
    fields = tuple(_STATUS_CHANGE)
    readonly_fields = _STATUS_CHANGE
    extra = 0


@admin.register(Household)
class HouseholdAdmin(ViewOnly, admin.ModelAdmin):
    list_display = [
        "household_no",
        "head_name",
        "village",
        "member_count",
        "household_type",
        "poverty_cause",
        "status",
    ]
    list_filter = ["status", "household_type", "poverty_cause", "closed_reason"]
    search_fields = ["=household_no", "head_name"]
    fields = tuple(_HOUSEHOLD)
    readonly_fields = _HOUSEHOLD
    inlines = [PersonInline, StatusChangeInline]
    list_select_related = ["village"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Household]:
        return selectors.households_for(request.user, closed=None)


@admin.register(Person)
class PersonAdmin(ViewOnly, PersonShown, admin.ModelAdmin):
    list_display = ["name", "masked_id_number", "sex", "age", "relation", "household"]
    list_filter = ["sex", "relation", "health"]
    search_fields = ["name"]
    list_select_related = ["household"]
    show_full_result_count = False
    fields = tuple(_PERSON)
    readonly_fields = [*_PERSON, "phone"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return selectors.people_for(request.user)

    def get_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The whole phone number only for users who may unmask.
        if scoping.may_unmask(request.user):
            return tuple(("phone" if f == "masked_phone" else f) for f in _PERSON)
        return tuple(_PERSON)


class KindChainForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = KindChain
        fields = ["kind", "chain"]

    def clean_chain(self) -> str:
        try:
            levels = approvals.parse_chain(self.cleaned_data["chain"])
        except approvals.ChainError as e:
            raise forms.ValidationError(str(e)) from None
        return approvals.chain_text(levels)


@admin.register(KindChain)
class KindChainAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The operator sets a kind's approval chain when it differs from the default
    (village → township → county); requests already filed keep theirs."""

    form = KindChainForm
    list_display = ["kind", "chain"]
