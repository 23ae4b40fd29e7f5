"""Dashboards. Read-only: they call selectors of the domain apps and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tuopin.accounts import scoping
from tuopin.registry import selectors as registry
from tuopin.registry.choices import PovertyCause, PovertyStatus


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Key counts for the user's scope, by status and by poverty cause, as charts."""
    counts = registry.counts_for(request.user)
    status_n = {r["status"]: r["n"] for r in counts.by_status}
    status_rows = [(label, status_n.get(value, 0)) for value, label in PovertyStatus.choices]
    cause_rows = [
        (PovertyCause(r["poverty_cause"]).label if r["poverty_cause"] else "—", r["n"])
        for r in counts.by_cause
    ]
    return render(
        request,
        "reports/home.html",
        {
            "counts": counts,
            "status_n": status_n,
            "status_rows": status_rows,
            "cause_rows": cause_rows,
            "nationwide": scoping.area_prefixes(request.user) is None,
            "scopes": request.user.area_scopes.select_related("area"),  # type: ignore[union-attr]
        },
    )
