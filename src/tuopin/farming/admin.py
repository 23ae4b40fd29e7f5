"""Back office: contracts and lots, read-only, through the farming access functions (every
change goes through the services, with its ledger entry)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tuopin.core.errors import DomainError

from . import selectors
from .models import Contract, Delivery


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Contract)
class ContractAdmin(ReadOnly):
    list_display = [
        "product",
        "supplier",
        "season",
        "quantity_kg",
        "delivery_from",
        "delivery_until",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Contract]:
        try:
            return selectors.contracts_for(request.user)
        except DomainError:
            return Contract.objects.none()


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["household_contract", "delivered_on", "weight_g", "grade", "status"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        try:
            return selectors.deliveries_for(request.user)
        except DomainError:
            return Delivery.objects.none()
