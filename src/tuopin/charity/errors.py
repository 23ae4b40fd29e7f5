"""Errors of the charity app."""

from tuopin.core.errors import DomainError, NotFound


class CampaignNotFound(NotFound):
    code = "campaign_not_found"


class DonationNotFound(NotFound):
    code = "donation_not_found"


class BadDonation(DomainError):
    code = "bad_donation"


class BadCampaign(DomainError):
    code = "bad_campaign"


class CampaignClosed(DomainError):
    code = "campaign_closed"


class BadRefund(DomainError):
    code = "bad_refund"


class RefundRefReused(DomainError):
    """A refund reference already names a different refund (another donation or amount)."""

    code = "refund_ref_reused"
    status = 409


class PaymentRefReused(DomainError):
    """A payment reference already names a different donation (another amount or campaign)."""

    code = "payment_ref_reused"
    status = 409
