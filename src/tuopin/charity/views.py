"""Pages of the charity app: the donor's receipt page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tuopin.core.errors import NotFound

from . import selectors


def donation_receipt(request: HttpRequest, token: str) -> HttpResponse:
    """Public to whoever holds the link (an unguessable token): amount, campaign, the ledger
    receipt to download and check."""
    try:
        donation = selectors.donation_by_token(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    text = selectors.receipt_text(donation)
    if request.GET.get("download") == "1" and text:
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="donation-{donation.ledger_index}.tlog-proof"'
        )
        return response
    return render(request, "charity/receipt.html", {"d": donation, "receipt": text})
