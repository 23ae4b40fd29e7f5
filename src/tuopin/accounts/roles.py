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
}

# Roles that see every area (their reads are still masked unless they may unmask).
NATIONWIDE_ROLES = {OPERATOR, OBSERVER}

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
_REVIEW = [
    "casework.view_submission",
    "casework.decide_submission",
    "casework.pay_disbursement",
] + _REPORTS

ROLE_PERMISSIONS: dict[str, list[str]] = {
    VILLAGE_CADRE: _VIEW_REGISTRY
    + _VIEW_COVER
    + ["insurance.view_claim", "insurance.add_claim", "insurance.change_claim"]
    + ["casework.add_submission", "casework.change_submission", "casework.view_submission"]
    + _REPORTS
    + _FILE_CHANGES,
    TOWNSHIP_OFFICER: _VIEW_REGISTRY + _EDIT_REGISTRY + _VIEW_COVER + _REVIEW + _DECIDE_CHANGES,
    COUNTY_OFFICER: _VIEW_REGISTRY
    + _EDIT_REGISTRY
    + _VIEW_COVER
    + ["areas.add_area", "areas.change_area"]
    + _SITING
    + _CENTRES
    + _REVIEW
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
    + _REPORTS,
    # Claims of the programmes assigned to them (Programme.adjusters), never a village's people.
    ADJUSTER: ["insurance.view_claim", "insurance.decide_claim", "insurance.pay_claim"],
    OBSERVER: ["registry.view_aggregates"] + _PROGRESS + _REPORTS,
    HELPER: ["charity.keep_donation", "casework.pledge_case"],
    DONOR: ["charity.keep_donation"],
    CENTRE_STAFF: _CENTRE_WORK,
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
