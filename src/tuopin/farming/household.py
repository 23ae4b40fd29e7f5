"""What farming gives one household: its contracts, lots and payments, and its income per 亩
(the registry's household page panel and the household's phone page)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.registry.panels import Panel

from .models import Delivery, HouseholdContract, HouseholdLand, Payment
from .selectors import VIEW_LOTS, household_contracts_for


@dataclass
class Income:
    contracts: list[HouseholdContract]
    lots: list[Delivery]
    payments: list[Payment]
    paid_fen: int
    area_centi_mu: int
    land_centi_mu: int | None

    @property
    def land_mu(self) -> Decimal | None:
        return None if self.land_centi_mu is None else Decimal(self.land_centi_mu) / 100

    @property
    def area_mu(self) -> Decimal:
        return Decimal(self.area_centi_mu) / 100

    @property
    def per_mu_fen(self) -> int | None:
        """Procurement income per contracted 亩 (before: what the household says it made)."""
        if not self.area_centi_mu:
            return None
        gross = sum(p.gross_fen for p in self.payments)
        return round(gross * 100 / self.area_centi_mu)


def income_of(user: Any, household: Any) -> Income:
    """The household's farming record, through the access function (scope, permission)."""
    contracts = list(
        household_contracts_for(user).filter(household=household).order_by("-signed_at")
    )
    ids = [c.pk for c in contracts]
    lots = list(
        Delivery.objects.filter(household_contract_id__in=ids)
        .select_related("household_contract__contract__product")
        .order_by("-delivered_on", "-pk")
    )
    payments = list(Payment.objects.filter(household_contract_id__in=ids).order_by("-paid_at"))
    paid = Payment.objects.filter(household_contract_id__in=ids).aggregate(s=Sum("net_fen"))["s"]
    land = (
        HouseholdLand.objects.filter(household=household)
        .values_list("land_centi_mu", flat=True)
        .first()
    )
    return Income(
        contracts,
        lots,
        payments,
        int(paid or 0),
        sum(c.area_centi_mu for c in contracts),
        land,
    )


def household_panel(user: Any, household: Any) -> Panel | None:
    """The household page's 订单农业 section (``registry.panels``): only when there is some."""
    if not permissions.has(user, VIEW_LOTS):
        return None
    income = income_of(user, household)
    if not income.contracts:
        return None
    return Panel(
        title=_("订单农业"),
        template="farming/_household_panel.html",
        context={"income": income, "household": household},
        order=60,
    )
