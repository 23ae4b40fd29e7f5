"""Back office for the channel: suppliers through the access function (a county officer sees
their county's), outlets; orders, payouts and statements read-only (they change only through
the services, which write their ledger entries)."""

from django.contrib import admin

from tuopin.core.admin import ViewOnly

from . import selectors
from .models import Order, Outlet, Payout, SalesStatement, Supplier


@admin.register(Supplier)
class SupplierAdmin(ViewOnly, admin.ModelAdmin):
    """Verification and members go through ``services`` (the supplier pages and the API)."""

    list_display = ["name", "kind", "county_code", "verified_at"]
    list_filter = ["kind"]
    search_fields = ["name", "=county_code"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return selectors.suppliers_for(request.user)


@admin.register(Outlet)
class OutletAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["code", "name", "kind"]


@admin.register(Order)
class OrderAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["number", "supplier", "status", "total_fen", "placed_at"]
    list_filter = ["status"]
    search_fields = ["=number"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return selectors.orders_for(request.user)


@admin.register(Payout)
class PayoutAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["supplier", "period_start", "period_end", "net_fen", "ledger_index"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return selectors.payouts_for(request.user)


@admin.register(SalesStatement)
class SalesStatementAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["filename", "imported_at", "total_lines", "accepted", "rejected"]
    exclude = ["errors"]
