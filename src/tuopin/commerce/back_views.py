"""Pages for those who run the channel: suppliers (a supplier's account sees only its own),
verification by the county officer, orders and payouts to work on, sales statistics with their
XLSX, and the outlets' statement import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.areas import selectors as areas
from tuopin.core import charts
from tuopin.core.errors import DomainError
from tuopin.core.money import format_yuan, parse_yuan
from tuopin.core.tabular import Limits
from tuopin.core.uploads import store_upload, uploaded_file

from . import export, orders, salesimport, selectors, services, statistics
from .forms import PayoutForm
from .models import OrderStatus


@login_required
def suppliers(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.suppliers_for(request.user).prefetch_related("memberships"))
    names = areas.areas_by_codes([s.county_code for s in rows])
    return render(
        request,
        "commerce/suppliers.html",
        {"rows": rows, "names": {c: a.name for c, a in names.items()}},
    )


@login_required
def supplier(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """A supplier's own page: its products with stock, its orders, its payouts."""
    s = selectors.get_supplier_for(request.user, supplier_id)
    user = request.user
    county = areas.areas_by_codes([s.county_code]).get(s.county_code)
    return render(
        request,
        "commerce/supplier.html",
        {
            "s": s,
            "county": county,
            "members": selectors.member_households(s),
            "products": selectors.products_for(user).filter(supplier=s),
            "orders": selectors.orders_for(user).filter(supplier=s)[:50]
            if permissions.has(user, "commerce.view_order")
            else None,
            "payouts": selectors.payouts_for(user).filter(supplier=s)[:24]
            if permissions.has(user, "commerce.view_payout")
            else None,
            "may_verify": permissions.has(user, "commerce.verify_supplier") and not s.verified,
        },
    )


@login_required
@require_POST
def verify(request: HttpRequest, supplier_id: int) -> HttpResponse:
    s = selectors.get_supplier_for(request.user, supplier_id)
    services.verify_supplier(supplier=s, by=acting_user(request))
    messages.success(request, _("已核验：%(s)s") % {"s": s.name})
    return redirect("commerce:supplier", supplier_id=s.pk)


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """Orders to work on (a supplier's account: its own), by status."""
    status = request.GET.get("status", "")
    qs = selectors.orders_for(request.user)
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "commerce/orders.html",
        {"orders": qs[:200], "status": status, "statuses": OrderStatus.choices},
    )


@login_required
def payouts(request: HttpRequest) -> HttpResponse:
    """Payouts: a supplier's account sees its own; an operator or county officer sees their
    suppliers' and settles a supplier for a closed period (``orders.create_payout``)."""
    user = acting_user(request)
    rows = selectors.payouts_for(user)  # 403 without the permission
    wanted = request.GET.get("supplier", "")
    if wanted.isdigit():
        rows = rows.filter(supplier_id=int(wanted))
    form = None
    if permissions.has(user, "commerce.add_payout"):
        choices = [(s.pk, s.name) for s in selectors.suppliers_for(user)]
        form = PayoutForm(request.POST or None, suppliers=choices)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            s = selectors.get_supplier_for(user, d["supplier"])
            try:
                payout = orders.create_payout(supplier=s, start=d["start"], end=d["end"], by=user)
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("已结算 %(s)s：应付 %(n)s 元，记入账本第 %(i)s 条")
                    % {"s": s.name, "n": format_yuan(payout.net_fen), "i": payout.ledger_index},
                )
                return redirect("commerce:payouts")
    elif request.method == "POST":
        permissions.require(user, "commerce.add_payout")
    return render(request, "commerce/payouts.html", {"rows": rows[:200], "form": form})


def _period(request: HttpRequest) -> tuple[dt.date | None, dt.date | None, int]:
    def day(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    try:
        threshold = (
            parse_yuan(request.GET.get("threshold", ""))
            if request.GET.get("threshold")
            else statistics.YI_FEN
        )
    except ValueError:
        threshold = statistics.YI_FEN
    return day("since"), day("until"), max(threshold, 0)


@login_required
def sales_statistics(request: HttpRequest) -> HttpResponse:
    """Sales by county, outlet, product and month; poor counties above the threshold."""
    since, until, threshold = _period(request)
    stats = statistics.sales_statistics(
        request.user, since=since, until=until, threshold_fen=threshold
    )
    yuan = _("元")
    county_chart = charts.bar_chart(
        "commerce-counties",
        _("各县销售额（元）"),
        [(c.name, c.amount_fen // 100) for c in stats.counties[:20]],
        unit=yuan,
        columns=(_("县"), _("销售额（元）")),
    )
    month_chart = charts.bar_chart(
        "commerce-months",
        _("每月销售额（元）"),
        [(m.label, m.amount_fen // 100) for m in stats.months[-24:]],
        unit=yuan,
        columns=(_("月份"), _("销售额（元）")),
    )
    county_map = charts.dot_map(
        "commerce-map",
        _("各县销售额分布"),
        [
            charts.Place(c.name, c.longitude, c.latitude, c.amount_fen // 100)
            for c in stats.counties
        ],
        nationwide=True,
        unit=yuan,
        columns=(_("县"), _("销售额（元）")),
    )
    return render(
        request,
        "commerce/statistics.html",
        {
            "stats": stats,
            "charts": [county_chart, month_chart, county_map],
            "threshold_yuan": format_yuan(threshold),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    since, until, threshold = _period(request)
    stats = statistics.sales_statistics(
        request.user, since=since, until=until, threshold_fen=threshold
    )
    response = HttpResponse(
        export.statistics_workbook(stats),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="sales-statistics.xlsx"'
    return response


@login_required
def import_sales(request: HttpRequest) -> HttpResponse:
    """Upload an outlet's sales statement; the rejected lines are listed."""
    user = acting_user(request)
    permissions.require(user, "commerce.add_salesstatement")
    report = None
    if request.method == "POST":
        try:
            upload = uploaded_file(request)
            if upload is None:
                raise DomainError(_("请选择文件"), code="file_required")
            path = store_upload(upload, "commerce")
            report = salesimport.import_sales(
                path=path, by=user, filename=upload.name or "", limits=Limits.from_settings()
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            messages.error(request, exc.message)
    return render(
        request,
        "commerce/import.html",
        {"report": report, "errors": report.errors[:200] if report else []},
    )
