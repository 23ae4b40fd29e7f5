"""Errors of the commerce app (stable codes; messages in Chinese through gettext)."""

from tuopin.core.errors import DomainError, NotFound


class CommerceError(DomainError):
    code = "commerce_error"


class SupplierNotVerified(CommerceError):
    code = "supplier_not_verified"


class BadPrice(CommerceError):
    code = "bad_price"


class OutOfStock(CommerceError):
    code = "out_of_stock"
    status = 409


class NotListed(CommerceError):
    code = "not_listed"


class BadTransition(CommerceError):
    code = "bad_transition"
    status = 409


class BadPayment(CommerceError):
    code = "bad_payment"


class BadRefund(CommerceError):
    code = "bad_refund"


class BadPayout(CommerceError):
    code = "bad_payout"


class DuplicateStatement(CommerceError):
    code = "duplicate_statement"
    status = 409


class SupplierNotFound(NotFound):
    code = "supplier_not_found"


class ProductNotFound(NotFound):
    code = "product_not_found"


class OrderNotFound(NotFound):
    code = "order_not_found"
