"""Payment methods behind one interface. A method turns a buyer's or an operator's action into
a :class:`Charge` (reference and amount); the service records it and moves the order to paid.

Two methods ship: ``test`` (a gateway that approves any token except ``decline`` and never moves
money: for demos and tests) and ``offline`` (bank transfer or cash, recorded by an operator
with the bank's reference). A real gateway implements :class:`PaymentMethod` and is added to
:data:`METHODS`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import BadPayment


@dataclass(frozen=True)
class Charge:
    reference: str
    amount_fen: int


class PaymentMethod(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def label(self) -> object: ...

    @property
    def operator_only(self) -> bool:
        """Only an operator with ``commerce.record_payment`` may record it (money outside
        the site)."""
        ...

    def charge(self, *, order_number: str, amount_fen: int, token: str) -> Charge:
        """Take ``amount_fen`` for the order, or raise :class:`BadPayment`."""
        ...


DECLINE = "decline"  # the test gateway's card that is always declined  # noqa: S105


class TestGateway:
    code = "test"
    label = gettext_lazy("测试网关")
    operator_only = False

    def charge(self, *, order_number: str, amount_fen: int, token: str) -> Charge:
        if token == DECLINE:
            raise BadPayment(_("支付被拒绝（测试网关）"), code="payment_declined")
        digest = hashlib.sha256(f"{order_number}:{token}".encode()).hexdigest()[:20]
        return Charge(reference=f"T{digest}", amount_fen=amount_fen)


class OfflinePayment:
    code = "offline"
    label = gettext_lazy("线下付款（运营登记）")
    operator_only = True

    def charge(self, *, order_number: str, amount_fen: int, token: str) -> Charge:
        reference = token.strip()
        if not reference:
            raise BadPayment(_("请填写银行流水号或收据号"), code="reference_required")
        return Charge(reference=reference[:64], amount_fen=amount_fen)


_ALL: tuple[PaymentMethod, ...] = (TestGateway(), OfflinePayment())
METHODS: dict[str, PaymentMethod] = {m.code: m for m in _ALL}


def method(code: str) -> PaymentMethod:
    try:
        return METHODS[code]
    except KeyError:
        raise BadPayment(_("未知的支付方式：%(m)s") % {"m": code}, code="unknown_method") from None
