from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tuopin.core.admin import ViewOnly

from . import selectors
from .models import (
    CoverageItem,
    EnrollmentRun,
    Payout,
    Policy,
    PremiumPayment,
    Programme,
    parse_policy_number,
)


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    """Rows written by services with their ledger entries: never added or edited here."""


class CoverageInline(ViewOnly, admin.TabularInline):
    model = CoverageItem
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    """Programmes are set up on their page (``insurance.services.save_programme``, which
    checks the actor); here they are only shown."""

    list_display = ["name", "insurer", "premium_fen", "starts_on", "ends_on", "min_age", "max_age"]
    inlines = [CoverageInline]


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    """Policies come from enrollment; exits from the villager page or ``sync_exits``."""

    list_display = ["policy_no", "programme", "period_start", "village_code", "status"]
    list_filter = ["programme", "status", "exit_reason"]
    list_select_related = ["programme"]
    search_fields = ["village_code"]
    raw_id_fields = ["person"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Policy]:
        return selectors.policies_for(request.user).select_related("programme")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        parsed = parse_policy_number(search_term)
        if parsed is not None:  # a policy number: programme, period and person
            slug, period, person_id = parsed
            found = queryset.filter(programme__slug=slug, period_start=period, person_id=person_id)
            return found, False
        return super().get_search_results(request, queryset, search_term)


@admin.register(PremiumPayment)
class PremiumPaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "programme",
        "period_start",
        "county_code",
        "people",
        "amount_fen",
        "paid_at",
        "ledger_index",
    ]
    list_filter = ["programme"]


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["policy", "benefit", "loss_fen", "amount_fen", "paid_at", "ledger_index"]
    list_filter = ["benefit"]
    list_select_related = ["policy__programme"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Payout]:
        return selectors.payouts_for(request.user).select_related("policy__programme")


@admin.register(EnrollmentRun)
class EnrollmentRunAdmin(ReadOnlyAdmin):
    list_display = [
        "programme",
        "period_start",
        "status",
        "enrolled",
        "exited",
        "premium_fen",
        "created_at",
    ]
    list_filter = ["programme", "status"]
