from django.contrib import admin

from .models import Campaign, Donation


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "programme_name", "goal_fen", "starts_on", "ends_on", "status"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["counties"]


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
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

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
