"""Errors of the farming app (stable codes; messages in Chinese through gettext)."""

from tuopin.core.errors import DomainError, NotFound


class BadForecast(DomainError):
    code = "bad_forecast"


class BadPlan(DomainError):
    code = "bad_plan"


class HerdPlanting(DomainError):
    """All counties' contracts of a product would exceed its forecast demand."""

    code = "herd_planting"


class BadContract(DomainError):
    code = "bad_contract"


class BadDelivery(DomainError):
    code = "bad_delivery"


class BadPayment(DomainError):
    code = "bad_payment"


class FarmingNotFound(NotFound):
    code = "farming_not_found"
