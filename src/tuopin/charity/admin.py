from django.contrib import admin

from tuopin.core.admin import ViewOnly

from . import services
from .models import Campaign, Donation, Refund, Statement, StatementLine


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Campaigns are written through ``services.save_campaign``, which checks the actor; the
    form's own validation (the goal's bounds are field validators) runs first."""

    list_display = ["title", "programme_name", "goal_fen", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["counties"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        services.save_campaign(by=request.user, campaign=obj)


@admin.register(Donation)
class DonationAdmin(ViewOnly, admin.ModelAdmin):
    """Donations are never edited: read-only here; a refund is its own record."""

    list_display = [
        "payment_ref",
        "campaign",
        "amount_fen",
        "channel",
        "donated_at",
        "ledger_index",
    ]
    list_filter = ["channel", "campaign"]
    search_fields = ["=payment_ref"]


@admin.register(Refund)
class RefundAdmin(DonationAdmin):
    """Refunds are recorded by ``tuopin charity refund`` with their ledger entry."""

    list_display = ["refund_ref", "donation", "amount_fen", "reason", "refunded_at", "ledger_index"]
    list_filter = []
    search_fields = ["=refund_ref", "=donation__payment_ref"]


class StatementLineInline(admin.TabularInline):
    model = StatementLine
    fields = ["outcome", "payment_ref", "line_no", "amount_fen", "paid_at", "donation"]
    readonly_fields = ["outcome", "payment_ref", "line_no", "amount_fen", "paid_at", "donation"]
    extra = 0
    can_delete = False


@admin.register(Statement)
class StatementAdmin(DonationAdmin):
    list_display = [
        "filename",
        "campaign",
        "channel",
        "uploaded_at",
        "matched",
        "mismatched",
        "missing",
        "extra",
    ]
    list_filter = ["campaign", "channel"]
    search_fields = ["filename"]
    inlines = [StatementLineInline]
