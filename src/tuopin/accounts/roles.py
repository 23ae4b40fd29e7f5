"""Roles are groups with permissions. This module is the one list of what each role may do."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

VILLAGE_CADRE = "village_cadre"
TOWNSHIP_OFFICER = "township_officer"
COUNTY_OFFICER = "county_officer"
OPERATOR = "operator"
ADJUSTER = "adjuster"
OBSERVER = "observer"
HELPER = "helper"
DONOR = "donor"
CENTRE_STAFF = "centre"
PARTNER = "partner"
SUPPLIER = "supplier"
CONSUMER = "consumer"
REVIEWER = "reviewer"
COMMITTEE = "committee"

ROLE_LABELS = {
    VILLAGE_CADRE: _("村干部"),
    TOWNSHIP_OFFICER: _("乡镇扶贫干部"),
    COUNTY_OFFICER: _("县扶贫办"),
    OPERATOR: _("项目运营（基金会）"),
    ADJUSTER: _("保险理赔员"),
    OBSERVER: _("媒体观察员"),
    HELPER: _("热心人士"),
    DONOR: _("捐赠人"),
    CENTRE_STAFF: _("养育中心工作人员"),
    PARTNER: _("种植合作方"),
    SUPPLIER: _("供应商（合作社/企业）"),
    CONSUMER: _("消费者"),
    REVIEWER: _("评审专家"),
    COMMITTEE: _("评审委员会委员"),
}

# Roles that see every area (their reads are still masked unless they may unmask).
NATIONWIDE_ROLES = {OPERATOR, OBSERVER, COMMITTEE}

_VIEW_REGISTRY = ["registry.view_household", "registry.view_person", "areas.view_area"]
_EDIT_REGISTRY = [
    "registry.add_household",
    "registry.change_household",
    "registry.add_person",
    "registry.change_person",
    "registry.import_registry",
    "registry.export_registry",
    "registry.view_statuschange",
]

# Registry upkeep (issue 18): cadres file change requests and review facts for their
# village; township and county officers decide; the county opens the year's review.
_FILE_CHANGES = [
    "registry.add_changerequest",
    "registry.change_changerequest",
    "registry.view_changerequest",
    "registry.view_reviewround",
    "registry.change_reviewitem",
]
_DECIDE_CHANGES = [
    "registry.view_changerequest",
    "registry.decide_changerequest",
    "registry.view_reviewround",
    "registry.decide_villagereview",
    "registry.view_duplicates",
]

_VIEW_COVER = ["insurance.view_policy"]
_PROGRESS = ["insurance.view_progress"]
_SITING = ["childcare.add_sitingplan", "childcare.view_sitingplan", "childcare.add_candidatesite"]
_CENTRES = ["childcare.view_centre", "childcare.add_centre", "childcare.add_centrechild"]
_CENTRE_WORK = [
    "childcare.view_centre",
    "childcare.add_session",
    "childcare.add_homevisit",
    "childcare.add_screening",
]
_REPORTS = ["casework.view_report_aggregates"]
# The work report and what it draws on besides the computed indicators (reports app).
_WORK_REPORT = [
    "reports.add_partnerimport",
    "reports.view_partnerimport",
    "reports.view_partnerfigure",
    "reports.add_partnerindicator",
    "reports.change_partnerindicator",
    "reports.view_partnerindicator",
    "reports.add_event",
    "reports.change_event",
    "reports.view_event",
    "reports.delete_event",
    "reports.add_featuredcase",
    "reports.change_featuredcase",
    "reports.view_featuredcase",
    "reports.delete_featuredcase",
    "reports.add_workreport",
    "reports.view_workreport",
    "reports.publish_workreport",
]
# forest: any logged-in user has a forest (no permission); these are the projects' people.
_FOREST_FIGURES = ["forest.view_forest_figures"]
_FOREST_OPERATE = [
    "forest.add_project",
    "forest.change_project",
    "forest.view_project",
    "forest.add_workorder",
    "forest.view_workorder",
]
_SALES = ["commerce.view_sales_statistics"]
_BUY = ["commerce.add_order"]
# County officers register and verify their county's suppliers; operators run the channel.
_SUPPLIERS = ["commerce.view_supplier", "commerce.add_supplier", "commerce.change_supplier"]
_CATALOGUE = [
    "commerce.add_product",
    "commerce.change_product",
    "commerce.add_listing",
    "commerce.change_stockrecord",
]
_ORDER_WORK = ["commerce.view_order", "commerce.advance_order", "commerce.view_payout"]
# Selection (issue 16): the operator configures programmes, assigns reviewers, runs cohorts
# and hiring; reviewers score what they are assigned; the committee confirms and publishes.
# Any logged-in user may apply or nominate (and sees only their own applications).
_SELECTION_ADMIN = [
    "selection.add_programme",
    "selection.change_programme",
    "selection.view_application",
    "selection.add_cohort",
    "selection.change_cohort",
    "selection.change_position",
]
_REVIEW = [
    "casework.view_submission",
    "casework.decide_submission",
    "casework.pay_disbursement",
] + _REPORTS

# Order farming (farming app): the county decides (flagship, forecasts, plans, contracts), the
# cooperative's accounts sign, weigh, grade and pay for their own members, the village cadre
# follows the village's lots, records land and appeals a grade for a household.
_FARMING_VIEW = ["farming.view_contract", "farming.view_delivery"]
_FARMING_COUNTY = _FARMING_VIEW + [
    "farming.add_flagship",
    "farming.add_forecastrun",
    "farming.add_plantingplan",
    "farming.add_contract",
    "farming.add_marketprice",
    "farming.change_householdland",
    "farming.grade_delivery",  # appeals are re-graded by the county
]
_FARMING_COOPERATIVE = _FARMING_VIEW + [
    "farming.add_householdcontract",
    "farming.add_delivery",
    "farming.grade_delivery",
    "farming.add_payment",
    "farming.appeal_delivery",
]
_FARMING_CADRE = [
    "farming.view_delivery",
    "farming.appeal_delivery",
    "farming.change_householdland",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    VILLAGE_CADRE: _VIEW_REGISTRY
    + _VIEW_COVER
    + ["insurance.view_claim", "insurance.add_claim", "insurance.change_claim"]
    + ["casework.add_submission", "casework.change_submission", "casework.view_submission"]
    + _REPORTS
    + _FARMING_CADRE
    + _FILE_CHANGES,
    TOWNSHIP_OFFICER: _VIEW_REGISTRY
    + _EDIT_REGISTRY
    + _VIEW_COVER
    + _REVIEW
    + _FARMING_VIEW
    + _DECIDE_CHANGES,
    COUNTY_OFFICER: _VIEW_REGISTRY
    + _EDIT_REGISTRY
    + _VIEW_COVER
    + ["areas.add_area", "areas.change_area"]
    + _SITING
    + _CENTRES
    + _REVIEW
    + ["forest.view_project", "forest.add_workorder", "forest.view_workorder"]
    + _FOREST_FIGURES
    + _SUPPLIERS
    + ["commerce.verify_supplier"]
    + ["commerce.view_payout", "commerce.add_payout"]  # their county's suppliers
    + _SALES
    + _FARMING_COUNTY
    + _DECIDE_CHANGES
    + ["registry.add_reviewround"],
    OPERATOR: _VIEW_REGISTRY
    + ["registry.export_registry", "registry.view_statuschange"]
    + ["charity.add_campaign", "charity.change_campaign", "charity.view_campaign"]
    + ["charity.add_donation", "charity.view_donation", "charity.add_refund"]
    + ["charity.add_statement", "charity.view_statement"]
    + _VIEW_COVER
    + _PROGRESS
    + ["insurance.add_programme", "insurance.change_programme", "insurance.view_programme"]
    + ["insurance.add_enrollmentrun", "insurance.change_policy"]
    + _SITING
    + _CENTRES
    + ["insurance.view_claim"]
    + ["casework.view_reporttype", "casework.add_reporttype", "casework.change_reporttype"]
    + ["casework.add_reportfield", "casework.change_reportfield", "casework.delete_reportfield"]
    + ["casework.view_reportfield"]
    + ["registry.view_kindchain", "registry.add_kindchain", "registry.change_kindchain"]
    + _REPORTS
    + _WORK_REPORT
    + _FOREST_OPERATE
    + _FOREST_FIGURES
    + ["forest.report_action"]
    + _SUPPLIERS
    + _CATALOGUE
    + _ORDER_WORK
    + ["commerce.add_outlet", "commerce.record_payment", "commerce.add_orderrefund"]
    + ["commerce.add_payout", "commerce.add_salesstatement"]
    + _SALES
    + _SELECTION_ADMIN
    + _FARMING_VIEW
    + ["farming.add_forecastrun"],
    # Claims of the programmes assigned to them (Programme.adjusters), never a village's people.
    ADJUSTER: ["insurance.view_claim", "insurance.decide_claim", "insurance.pay_claim"],
    OBSERVER: ["registry.view_aggregates"] + _PROGRESS + _REPORTS + _FOREST_FIGURES + _SALES,
    HELPER: ["charity.keep_donation", "casework.pledge_case"] + _BUY,
    DONOR: ["charity.keep_donation"] + _BUY,
    CENTRE_STAFF: _CENTRE_WORK,
    # A planting partner (or a partner system reporting actions): only their own projects
    # (forest.selectors.projects_for), never a person's registry record.
    PARTNER: [
        "forest.report_action",
        "forest.view_project",
        "forest.view_workorder",
        "forest.add_worklog",
        "forest.change_worklog",
        "forest.add_survivalcheck",
    ],
    # A supplier's own accounts: only the suppliers they belong to (Supplier.users).
    SUPPLIER: ["commerce.view_supplier"] + _CATALOGUE + _ORDER_WORK + _FARMING_COOPERATIVE,
    CONSUMER: _BUY,
    REVIEWER: ["selection.review_application"],
    COMMITTEE: ["selection.decide_selection", "selection.view_application"],
}
# Unmasking ID numbers is never part of a role: it is granted to a person on purpose.
UNMASK_PERMISSION = "registry.unmask_id_number"


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_roles() -> None:
    """Create the role groups and set their permissions exactly. Idempotent."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # post_migrate runs app by app; make sure every app's permissions exist first.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([_permission(p) for p in perms])


def ensure_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "name", "") != "tuopin.accounts":
        return
    ensure_roles()


def holds(user: Any, role: str) -> bool:
    """Whether a logged-in ``user`` has ``role`` (for choosing a landing page, never for
    permission: that is ``permissions.has``)."""
    return bool(user.is_authenticated and user.groups.filter(name=role).exists())
