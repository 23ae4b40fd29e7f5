"""The site's navigation: which pages a user is shown, decided by the permissions the pages
themselves check, in this one list (base.html renders it through the ``navigation`` tag).

A link a user may not use is a dead end (a 403 page): every item names the permissions its
page requires, so that the nav and the page cannot disagree; ``accounts/tests/test_navigation``
opens every item shown to every role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    requires: tuple[str, ...] = ()  # every one of these (the page's own checks)
    staff: bool = False  # the admin: staff only
    any_of: tuple[str, ...] = ()  # and at least one of these, when given
    login: bool = False  # any logged-in user (a page that needs no permission, e.g. 我的森林)


NAV: list[NavItem] = [
    NavItem("campaigns", _("募捐")),
    NavItem("ledger:explorer", _("账本")),
    NavItem("commerce:shop", _("兴农扶贫")),
    NavItem("charity:mine", _("我的捐赠"), ("charity.keep_donation",)),
    NavItem("work_reports", _("报告")),  # published reports are public
    # reports.dashboard.may_view
    NavItem("dashboard", _("看板"), any_of=("registry.view_household", "registry.view_aggregates")),
    # insurance.selectors._require_cover
    NavItem("insurance:villages", _("村保障"), ("insurance.view_policy", "registry.view_person")),
    NavItem("insurance:programmes", _("保险项目"), ("insurance.view_progress",)),
    # insurance.claims.selectors.claims_for
    NavItem("insurance:claims", _("理赔"), ("insurance.view_claim",)),
    # casework.selectors.inbox_for / report_types_for
    NavItem("casework:inbox", _("待办"), ("casework.view_submission",)),
    NavItem("casework:index", _("村情上报"), ("casework.view_report_aggregates",)),
    NavItem("casework:cases", _("爱心个案"), ("casework.pledge_case",)),
    NavItem("registry:areas", _("区划"), ("registry.view_household",)),
    NavItem("registry:households", _("贫困户"), ("registry.view_household",)),
    NavItem("registry:people", _("查人"), ("registry.view_person",)),
    NavItem("registry:import", _("导入"), ("registry.import_registry",)),
    NavItem("registry:requests", _("变更申请"), ("registry.view_changerequest",)),
    NavItem("registry:reviews", _("动态调整"), ("registry.view_reviewround",)),
    NavItem("registry:duplicates", _("疑似重复"), ("registry.view_duplicates",)),
    NavItem("childcare:centres", _("养育中心"), ("childcare.view_centre",)),
    # forest: any logged-in user has a forest; forest.selectors.projects_for and friends
    NavItem("forest:mine", _("我的森林"), login=True),
    NavItem("forest:manage", _("认种项目"), ("forest.view_project",)),
    NavItem("forest:work", _("出工审核"), ("forest.change_worklog",)),
    NavItem("forest:figures", _("绿色统计"), ("forest.view_forest_figures",)),
    # commerce.selectors.suppliers_for / orders_for / payouts_for; commerce.statistics
    NavItem("commerce:suppliers", _("供应商"), ("commerce.view_supplier",)),
    NavItem("commerce:orders", _("订单处理"), ("commerce.view_order",)),
    NavItem("commerce:payouts", _("结算"), ("commerce.view_payout",)),
    NavItem("commerce:statistics", _("销售统计"), ("commerce.view_sales_statistics",)),
    NavItem("commerce:import", _("导入销售"), ("commerce.add_salesstatement",)),
    NavItem("selection:programmes", _("评选")),
    NavItem("selection:queue", _("评审"), ("selection.review_application",)),
    # farming.selectors.counties_for / cooperatives_for
    NavItem("farming:index", _("订单农业"), ("farming.view_contract",)),
    NavItem("admin:index", _("后台"), staff=True),
]


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str | Promise
    current: bool


def _may_use(user: User | AnonymousUser | None, item: NavItem) -> bool:
    if item.staff:
        return bool(user is not None and user.is_active and user.is_staff)
    if item.any_of and not any(permissions.has(user, perm) for perm in item.any_of):
        return False
    if item.login and not (user is not None and user.is_authenticated and user.is_active):
        return False
    return all(permissions.has(user, perm) for perm in item.requires)


def items_for(user: User | AnonymousUser | None, path: str = "") -> list[NavLink]:
    """The nav links ``user`` may follow; the one ``path`` lies under is marked current.

    Reads no database for a logged-out visitor, so that the 500 page (rendered without a
    request) can show the public items even when the database is what failed.
    """
    links = []
    for item in NAV:
        if _may_use(user, item):
            url = reverse(item.url_name)
            links.append(NavLink(url, item.label, bool(path) and path.startswith(url)))
    return links


def user_from_context(context: Any) -> Any:
    """The context's user, or None where there is none (the 500 page's bare context)."""
    user = context.get("user")
    return user if hasattr(user, "is_authenticated") else None
