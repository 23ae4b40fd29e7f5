"""Every role × every page and API operation answers exactly the allowed set.

The pages come from the URL conf and the operations from the OpenAPI schema: one that has no
entry in the tables below fails ``test_every_page_and_operation_has_an_entry``, so a new
endpoint must say here who may use it. Allowed means 2xx or 3xx (but not a redirect to a
login page); denied means 401, 403, 404 or a redirect to a login page. Anything else (a 400,
a 405, a 500) fails both ways: the request did not reach the permission check cleanly.

Path parameters are real objects of the fixture (household A001 of village A, its head, the
programme and campaign ``dlz``, an enrollment run, a donation's receipt, a statement, a
signed ledger entry), so that "allowed" means the data was really shown. Each request runs in
a savepoint that is rolled back, so a write allowed for one role leaves nothing for the next.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.api import api
from tuopin.conftest import COUNTY, TOWNSHIP, VILLAGE_A, person_row

ANONYMOUS = "anonymous"
ROLES = [
    roles.VILLAGE_CADRE,
    roles.TOWNSHIP_OFFICER,
    roles.COUNTY_OFFICER,
    roles.OPERATOR,
    roles.ADJUSTER,
    roles.OBSERVER,
    roles.HELPER,
    roles.DONOR,
    roles.CENTRE_STAFF,
    roles.PARTNER,
    roles.SUPPLIER,
    roles.CONSUMER,
    roles.REVIEWER,
    roles.COMMITTEE,
    ANONYMOUS,
]
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANONYMOUS}
# registry.view_household + view_person, insurance.view_policy (cadres see their own area)
REGISTRY_READERS = frozenset(
    {roles.VILLAGE_CADRE, roles.TOWNSHIP_OFFICER, roles.COUNTY_OFFICER, roles.OPERATOR}
)
REGISTRY_EDITORS = frozenset({roles.TOWNSHIP_OFFICER, roles.COUNTY_OFFICER})
EXPORTERS = REGISTRY_EDITORS | {roles.OPERATOR}
PROGRESS = frozenset({roles.OPERATOR, roles.OBSERVER})  # aggregates, no person
OPERATOR = frozenset({roles.OPERATOR})
SITING = frozenset({roles.COUNTY_OFFICER, roles.OPERATOR})  # childcare.*_sitingplan
CENTRES = SITING | {roles.CENTRE_STAFF}  # staff: the centre they work at
KEEPERS = frozenset({roles.DONOR, roles.HELPER})  # charity.keep_donation: 我的捐赠
STAFF = frozenset({roles.COUNTY_OFFICER, roles.OPERATOR})  # the admin (is_staff)
# casework: cadres file, township and county officers decide, aggregates also for the
# operator and observers (no person); the fixture's case waits at the township.
CADRE = frozenset({roles.VILLAGE_CADRE})
DECIDERS = frozenset({roles.TOWNSHIP_OFFICER, roles.COUNTY_OFFICER})
CASE_READERS = CADRE | DECIDERS
REPORT_READERS = CASE_READERS | PROGRESS
# Claims: a cadre files for their village, the programme's adjuster decides and pays, the
# operator reads every claim (insurance.claims.selectors.claims_for).
CLAIM_FILERS = frozenset({roles.VILLAGE_CADRE})
CLAIM_READERS = frozenset({roles.VILLAGE_CADRE, roles.ADJUSTER, roles.OPERATOR})
ADJUSTER = frozenset({roles.ADJUSTER})
# forest: any logged-in user has a forest; a project's people are its partner, the officers of
# its county and the operator; county figures also for observers (no person).
PARTNER = frozenset({roles.PARTNER})
FOREST_VIEWERS = frozenset({roles.COUNTY_OFFICER, roles.OPERATOR, roles.PARTNER})
FOREST_FIGURES = frozenset({roles.COUNTY_OFFICER, roles.OPERATOR, roles.OBSERVER})

# Commerce: buyers order; the fixture's supplier (in the county) is seen by its own account, the
# county officer and the operator; orders and payouts by its account and the operator; sales
# statistics are aggregates (county officers in their county, the operator, observers).
BUYERS = frozenset({roles.DONOR, roles.HELPER, roles.CONSUMER})
SUPPLIER_VIEWERS = frozenset({roles.COUNTY_OFFICER, roles.OPERATOR, roles.SUPPLIER})
ORDER_WORKERS = frozenset({roles.OPERATOR, roles.SUPPLIER})
SALES = frozenset({roles.COUNTY_OFFICER, roles.OPERATOR, roles.OBSERVER})
CATALOGUE = frozenset({roles.OPERATOR, roles.SUPPLIER})  # products, listings, stock
# Order farming: the county officer decides for the county, the operator reads everywhere,
# the cooperative's account (roles.SUPPLIER, a user of the fixture's cooperative) works its
# own contracts and lots; a household's record is read like the registry.
FARM_COUNTY = frozenset({roles.COUNTY_OFFICER, roles.OPERATOR})
FARM_READERS = FARM_COUNTY | {roles.TOWNSHIP_OFFICER, roles.SUPPLIER}
COOPERATIVE = FARM_COUNTY | {roles.SUPPLIER}
SUPPLIER = frozenset({roles.SUPPLIER})

# Selection (issue 16): any logged-in user applies and sees their own; the fixture's
# application is the donor's. The operator and the committee see every application; the
# reviewer only their assignments; results, award pages and certificates are public.
REVIEWER = frozenset({roles.REVIEWER})
SELECTION_READERS = frozenset({roles.OPERATOR, roles.COMMITTEE})
APPLICATION_READERS = SELECTION_READERS | {roles.DONOR}

# Pages by URL name (GET unless said), who may open them.
PAGES: dict[str, frozenset[str]] = {
    "login": EVERYONE,
    "favicon": EVERYONE,  # a redirect to the static icon
    "logout": EVERYONE,  # POST; ends the caller's own session
    # Everyone has a home: the public (and donors, helpers, adjusters) land on the campaigns,
    # the others on their own page (reports.views.home); registry figures only for those
    # who may see them.
    "home": EVERYONE,
    "campaigns": EVERYONE,
    "campaign": EVERYONE,
    "registry:areas": REGISTRY_READERS,
    "registry:area": REGISTRY_READERS,
    "registry:households": REGISTRY_READERS,
    "registry:export": EXPORTERS,
    "registry:people": REGISTRY_READERS,
    "registry:import": REGISTRY_EDITORS,
    "registry:import_template": REGISTRY_EDITORS,  # the import page's users
    # An import job and its report: only the officer who uploaded it (the fixture's county
    # officer); anyone else's job is not found.
    "registry:import_job": frozenset({roles.COUNTY_OFFICER}),
    "registry:import_job_errors": frozenset({roles.COUNTY_OFFICER}),
    "registry:import_job_resume": frozenset({roles.COUNTY_OFFICER}),  # POST
    "registry:household": REGISTRY_READERS,
    "registry:status": REGISTRY_EDITORS,  # POST: the permission is checked as it writes
    "registry:member_status": REGISTRY_EDITORS,  # POST
    "charity:receipt": EVERYONE,  # whoever holds the unguessable link
    "charity:mine": KEEPERS,  # their own donations only
    "charity:statements": OPERATOR,
    "charity:statement": OPERATOR,
    "insurance:villages": REGISTRY_READERS,
    "insurance:village": REGISTRY_READERS,
    "insurance:village_rows": REGISTRY_READERS,
    "insurance:villager": REGISTRY_READERS,
    "insurance:programmes": PROGRESS,
    "insurance:programme_new": OPERATOR,
    "insurance:programme": PROGRESS,
    "insurance:programme_edit": OPERATOR,
    "insurance:run": PROGRESS,
    "insurance:resume_run": OPERATOR,  # POST; the fixture's run is interrupted
    "insurance:claims": CLAIM_READERS,
    "insurance:claim_new": CLAIM_FILERS,  # without a villager: on to the village list
    "insurance:claim": CLAIM_READERS,
    "insurance:claim_photo": CLAIM_READERS,  # only through the claim's access function
    "insurance:claim_status": EVERYONE,  # whoever holds the claimant's unguessable link
    "ledger:explorer": EVERYONE,
    "ledger:verify": EVERYONE,
    # Siting: county officers (the fixture's plan is for their county) and the operator.
    "childcare:plans": SITING,
    "childcare:plan": SITING,
    "childcare:plan_export": SITING,
    "childcare:add_site": SITING,  # POST: a valid site for the county
    "childcare:centres": CENTRES,
    "childcare:centre": CENTRES,
    "dashboard": REGISTRY_READERS | PROGRESS,  # reports.dashboard.may_view
    "dashboard_export": REGISTRY_READERS | PROGRESS,
    "review": REGISTRY_READERS | PROGRESS,
    "work_reports": EVERYONE,  # published reports are public
    "work_report_generate": OPERATOR,  # POST: an empty period comes back with its message
    "work_report": OPERATOR,  # the fixture's is a draft
    "work_report_pdf": OPERATOR,
    "work_report_publish": OPERATOR,  # POST: another operator's draft
    "partner_imports": OPERATOR,
    "chronicle": EVERYONE,  # public events for everyone
    "chronicle_add": OPERATOR,  # POST: an empty form comes back with its message
    "event_remove": OPERATOR,  # POST: the fixture's public event
    "featured_cases": OPERATOR,  # cases are not public before a report publishes them
    "featured_case": OPERATOR,
    "featured_photo": OPERATOR,
    "featured_case_remove": OPERATOR,  # POST
    "partner_import": OPERATOR,
    "casework:index": REPORT_READERS,
    "casework:inbox": CASE_READERS,
    "casework:file": CADRE,
    "casework:refile": CADRE,  # the fixture's returned report, of village A
    "casework:submission": CASE_READERS,
    "casework:photo": CASE_READERS,
    "casework:decide": DECIDERS,  # POST: an empty decision comes back with its message
    "casework:approve_area": DECIDERS,  # POST
    "casework:nil_return": CADRE,  # POST: an empty form comes back with its message
    "casework:report": REPORT_READERS,
    "casework:export": REPORT_READERS,
    "casework:forward": DECIDERS,  # POST: the pending case comes back with its message
    "casework:cases": frozenset({roles.HELPER}),  # masked
    "casework:case": frozenset({roles.HELPER}),
    "casework:disbursements": DECIDERS,
    "casework:disbursement": DECIDERS,  # POST
    "casework:household_support": CASE_READERS,
    "forest:mine": LOGGED_IN,
    "forest:collect": LOGGED_IN,  # POST
    "forest:friends": LOGGED_IN,  # one's own friends only
    "forest:befriend": LOGGED_IN,  # POST without a name: back to the page with the message
    "forest:take": LOGGED_IN,  # POST without a ball: back to the page with the message
    "forest:projects": EVERYONE,
    "forest:project": EVERYONE,
    "forest:adopt": LOGGED_IN,  # POST without a key: back to the forest with the message
    "forest:certificate": EVERYONE,  # whoever holds the unguessable link
    "forest:manage": FOREST_VIEWERS,
    "forest:manage_project": FOREST_VIEWERS,  # the fixture's project: county, its partner
    "forest:open": OPERATOR,  # POST
    "forest:figures": FOREST_FIGURES,
    "forest:work": PARTNER,
    "forest:approve": PARTNER,  # POST: the partner of the log's project
    # POST without a form: back to the project with the message (permission checked first)
    "forest:hire": frozenset({roles.COUNTY_OFFICER, roles.OPERATOR}),
    "forest:record": PARTNER,
    "forest:survival": PARTNER,
    "commerce:shop": EVERYONE,
    "commerce:product": EVERYONE,
    "commerce:basket": EVERYONE,
    "commerce:checkout": BUYERS,  # POST; an empty basket sends back to the basket
    "commerce:my_orders": BUYERS,
    "commerce:order": ORDER_WORKERS,  # another buyer's order: its buyer and its workers
    "commerce:order_action": ORDER_WORKERS,  # POST without a step: back with its message
    "commerce:suppliers": SUPPLIER_VIEWERS,
    "commerce:supplier": SUPPLIER_VIEWERS,
    "commerce:verify": frozenset({roles.COUNTY_OFFICER}),  # POST
    "commerce:orders": ORDER_WORKERS,
    "commerce:payouts": ORDER_WORKERS | {roles.COUNTY_OFFICER},  # theirs; officers settle
    "commerce:product_new": CATALOGUE,
    "commerce:manage_product": SUPPLIER_VIEWERS,  # officers read it, the catalogue edits it
    "commerce:photo": EVERYONE,  # the fixture's product is on the storefront
    "commerce:statistics": SALES,
    "commerce:statistics_export": SALES,
    "commerce:import": OPERATOR,
    "selection:programmes": EVERYONE,
    "selection:results": EVERYONE,
    "selection:award": EVERYONE,  # the holder consented
    "selection:verify": EVERYONE,
    "selection:certificate": EVERYONE,  # masked holder name
    "selection:apply": LOGGED_IN,
    "selection:mine": LOGGED_IN,
    "selection:application": APPLICATION_READERS,
    "selection:queue": REVIEWER,
    "selection:review": REVIEWER,  # the matrix reviewer's own assignment
    "selection:committee": SELECTION_READERS,
    "selection:cohort": OPERATOR,
    "selection:hiring": OPERATOR,
    "farming:index": FARM_READERS,
    "farming:county": FARM_COUNTY,
    "farming:run": FARM_COUNTY,
    "farming:plan": FARM_COUNTY,
    "farming:cooperative": COOPERATIVE,
    "farming:lot": COOPERATIVE,  # POST without an action: back to the page
    "farming:sign": SUPPLIER,  # POST: sign_household_contract; an empty form back to the page
    "farming:household": REGISTRY_READERS,
    "farming:appeal": CADRE,  # POST: appeal_delivery after the household's scope
    # Registry upkeep (issue 18): the cadre of village A files and records the review's
    # facts; township and county officers decide and look for duplicates.
    "registry:request_new": CADRE,
    "registry:requests": CASE_READERS,
    "registry:request": CASE_READERS,
    "registry:request_decide": DECIDERS,  # POST: the county's "not your turn" is a message
    "registry:request_refile": CADRE,  # POST
    "registry:request_evidence": CASE_READERS,
    "registry:eligibility": REGISTRY_READERS,
    "registry:reviews": CASE_READERS,
    "registry:review": CASE_READERS,
    "registry:review_changes": CASE_READERS,
    "registry:review_village": CASE_READERS,
    "registry:review_notice": CADRE,  # POST
    "registry:review_file": CADRE,  # POST: the notice still runs, said as a message
    "registry:review_decide": DECIDERS,  # POST
    "registry:review_facts": CADRE,  # POST
    "registry:review_objection": CADRE,  # POST
    "registry:review_resolve": CADRE,  # POST
    "registry:review_evidence": CASE_READERS,
    "registry:duplicates": DECIDERS,
    "registry:duplicate_compare": DECIDERS,
    "registry:duplicate_different": DECIDERS,  # POST
    "registry:duplicate_merge": DECIDERS,  # POST
}
PAGE_METHODS = {
    "logout": "POST",
    "registry:status": "POST",
    "registry:member_status": "POST",
    "insurance:resume_run": "POST",
    "registry:import_job_resume": "POST",
    "childcare:add_site": "POST",
    "casework:decide": "POST",
    "casework:approve_area": "POST",
    "casework:nil_return": "POST",
    "work_report_generate": "POST",
    "work_report_publish": "POST",
    "chronicle_add": "POST",
    "event_remove": "POST",
    "featured_case_remove": "POST",
    "casework:forward": "POST",
    "casework:disbursement": "POST",
    "forest:collect": "POST",
    "forest:befriend": "POST",
    "forest:take": "POST",
    "forest:adopt": "POST",
    "forest:open": "POST",
    "forest:approve": "POST",
    "forest:hire": "POST",
    "forest:record": "POST",
    "forest:survival": "POST",
    "commerce:checkout": "POST",
    "commerce:order_action": "POST",
    "commerce:verify": "POST",
    "farming:lot": "POST",
    "farming:sign": "POST",
    "farming:appeal": "POST",
    **dict.fromkeys(
        [
            "registry:request_decide",
            "registry:request_refile",
            "registry:review_notice",
            "registry:review_file",
            "registry:review_decide",
            "registry:review_facts",
            "registry:review_objection",
            "registry:review_resolve",
            "registry:duplicate_different",
            "registry:duplicate_merge",
        ],
        "POST",
    ),
}

# URL-conf entries left out, each with its reason.
EXCLUDED_NAMESPACES = {
    "admin": "Django's admin internals: covered by the representative URLs in ADMIN",
    "api": "the API's operations come from the OpenAPI schema (API below)",
    "tlog": "C2SP tlog-tiles paths: public by contract, no personal data",
}
EXCLUDED_NAMES = {
    "set_language": "Django's language switch: sets a cookie, reads no data",
}

# API operations (method, path as in the OpenAPI schema), who may call them.
API: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/v1/areas/{code}"): LOGGED_IN,  # the public area tree, behind the API's login
    ("GET", "/api/v1/areas/{code}/children"): LOGGED_IN,
    ("GET", "/api/v1/households"): REGISTRY_READERS,
    ("GET", "/api/v1/households/{household_no}"): REGISTRY_READERS,
    ("GET", "/api/v1/people"): REGISTRY_READERS,
    ("POST", "/api/v1/people/search"): REGISTRY_READERS,
    ("POST", "/api/v1/households/{household_no}/status"): REGISTRY_EDITORS,
    ("GET", "/api/v1/ledger/entries/{index}"): EVERYONE,
    ("GET", "/api/v1/ledger/proof/inclusion"): EVERYONE,
    ("GET", "/api/v1/ledger/proof/consistency"): EVERYONE,
    ("POST", "/api/v1/charity/donations"): OPERATOR,  # payment platforms, as operators
    ("POST", "/api/v1/charity/refunds"): OPERATOR,
    ("GET", "/api/v1/charity/donations/mine"): KEEPERS,
    ("POST", "/api/v1/charity/donations/mine"): KEEPERS,  # keeps the fixture's donation
    ("GET", "/api/v1/insurance/villages/{code}/cover"): REGISTRY_READERS,
    ("GET", "/api/v1/insurance/people/{person_id}/cover"): REGISTRY_READERS,
    ("GET", "/api/v1/insurance/programmes/{slug}/progress"): PROGRESS,
    ("POST", "/api/v1/insurance/programmes/{slug}/runs"): OPERATOR,
    ("GET", "/api/v1/insurance/runs/{run_id}"): PROGRESS,
    ("POST", "/api/v1/insurance/runs/{run_id}/resume"): OPERATOR,
    ("GET", "/api/v1/public/campaigns/{slug}"): EVERYONE,
    ("GET", "/api/v1/selection/programmes"): EVERYONE,
    ("POST", "/api/v1/selection/programmes/{programme_slug}/applications"): LOGGED_IN,
    ("GET", "/api/v1/selection/applications/mine"): LOGGED_IN,
    ("GET", "/api/v1/selection/reviews"): REVIEWER,
    ("POST", "/api/v1/selection/reviews/{assignment_id}/declaration"): REVIEWER,
    ("POST", "/api/v1/selection/reviews/{assignment_id}/score"): REVIEWER,
    ("GET", "/api/v1/selection/programmes/{programme_slug}/results"): EVERYONE,
    ("GET", "/api/v1/selection/certificates/{number}"): EVERYONE,
    ("GET", "/api/v1/selection/hiring/funnel"): OPERATOR,
    ("POST", "/api/v1/childcare/plans"): SITING,
    ("GET", "/api/v1/childcare/plans/{plan_id}"): SITING,
    ("GET", "/api/v1/childcare/centres"): CENTRES,
    ("GET", "/api/v1/casework/types"): REPORT_READERS,
    ("POST", "/api/v1/casework/submissions"): CADRE,
    ("GET", "/api/v1/casework/submissions/{submission_id}"): CASE_READERS,
    ("POST", "/api/v1/casework/submissions/{returned_id}/refile"): CADRE,
    # The case waits at the township: the county officer's turn has not come.
    ("POST", "/api/v1/casework/submissions/{submission_id}/decisions"): frozenset(
        {roles.TOWNSHIP_OFFICER}
    ),
    ("POST", "/api/v1/casework/approvals"): frozenset({roles.TOWNSHIP_OFFICER}),
    ("GET", "/api/v1/casework/inbox"): CASE_READERS,
    ("GET", "/api/v1/reports/dashboard"): REGISTRY_READERS | PROGRESS,
    ("GET", "/api/v1/reports/work-reports"): LOGGED_IN,  # published ones; drafts for operators
    ("POST", "/api/v1/casework/nil-returns"): CADRE,
    ("GET", "/api/v1/casework/completeness/{type_slug}"): REPORT_READERS,
    ("GET", "/api/v1/casework/aggregates/{type_slug}"): REPORT_READERS,
    ("GET", "/api/v1/casework/cases"): frozenset({roles.HELPER}),
    ("POST", "/api/v1/casework/cases/{case_id}/pledges"): frozenset({roles.HELPER}),
    # The last level's officer (the county) forwards and approves disbursements.
    ("POST", "/api/v1/casework/submissions/{case_id}/forward"): frozenset({roles.COUNTY_OFFICER}),
    ("POST", "/api/v1/casework/disbursements/{disbursement_id}/decision"): frozenset(
        {roles.COUNTY_OFFICER}
    ),
    ("POST", "/api/v1/insurance/claims"): CLAIM_FILERS,
    ("GET", "/api/v1/insurance/claims"): CLAIM_READERS,
    ("GET", "/api/v1/insurance/claims/{claim_id}"): CLAIM_READERS,
    ("POST", "/api/v1/insurance/claims/{claim_id}/documents"): CLAIM_FILERS,  # a draft
    (
        "POST",
        "/api/v1/insurance/claims/{claim_id}/documents/{document_id}/corrections",
    ): CLAIM_FILERS,
    ("POST", "/api/v1/insurance/claims/{claim_id}/submit"): CLAIM_FILERS,
    ("POST", "/api/v1/insurance/claims/{claim_id}/decision"): ADJUSTER,  # a checked claim
    ("POST", "/api/v1/insurance/claims/{claim_id}/payment"): ADJUSTER,  # an approved claim
    ("POST", "/api/v1/forest/actions"): PARTNER | OPERATOR,  # partner systems
    ("GET", "/api/v1/forest/me"): LOGGED_IN,
    ("POST", "/api/v1/forest/me/collect"): LOGGED_IN,
    # Every matrix user was given 80 g of energy by the fixture.
    ("POST", "/api/v1/forest/projects/{project_slug}/adoptions"): LOGGED_IN,
    ("GET", "/api/v1/forest/projects/{project_slug}"): EVERYONE,
    ("GET", "/api/v1/forest/certificates/{certificate_token}"): EVERYONE,
    ("GET", "/api/v1/forest/figures"): FOREST_FIGURES,
    ("POST", "/api/v1/forest/work/{log_id}/approval"): PARTNER,
    # the project's partner, the county's officers, the operator (forest.view_workorder)
    ("GET", "/api/v1/forest/projects/{project_slug}/work-orders"): FOREST_VIEWERS,
    ("POST", "/api/v1/forest/projects/{project_slug}/work-orders"): frozenset(
        {roles.COUNTY_OFFICER, roles.OPERATOR}
    ),
    ("POST", "/api/v1/forest/work-orders/{order_id}/logs"): PARTNER,
    ("GET", "/api/v1/commerce/products"): EVERYONE,
    ("POST", "/api/v1/commerce/orders"): BUYERS,
    ("GET", "/api/v1/commerce/orders/{order_number}"): ORDER_WORKERS,
    ("POST", "/api/v1/commerce/orders/{order_number}/payments"): OPERATOR,  # offline
    ("POST", "/api/v1/commerce/orders/{order_number}/transitions"): ORDER_WORKERS,  # ship
    ("POST", "/api/v1/commerce/suppliers/{supplier_id}/verify"): frozenset({roles.COUNTY_OFFICER}),
    ("GET", "/api/v1/commerce/statistics"): SALES,
    ("POST", "/api/v1/commerce/suppliers/{supplier_id}/products"): CATALOGUE,
    ("PATCH", "/api/v1/commerce/products/{product_id}"): CATALOGUE,
    ("POST", "/api/v1/commerce/products/{product_id}/stock-adjustments"): CATALOGUE,
    ("GET", "/api/v1/commerce/sales/monthly"): SALES,
    ("GET", "/api/v1/farming/counties/{county_code}/candidates"): FARM_COUNTY,
    ("POST", "/api/v1/farming/counties/{county_code}/flagship"): frozenset({roles.COUNTY_OFFICER}),
    ("POST", "/api/v1/farming/forecasts"): FARM_COUNTY,
    ("GET", "/api/v1/farming/forecasts/{forecast_id}"): FARM_COUNTY,
    ("POST", "/api/v1/farming/plans"): frozenset({roles.COUNTY_OFFICER}),
    ("GET", "/api/v1/farming/plans/{planting_plan_id}"): FARM_COUNTY,
    ("POST", "/api/v1/farming/contracts"): frozenset({roles.COUNTY_OFFICER}),
    ("POST", "/api/v1/farming/contracts/{contract_id}/households"): SUPPLIER,
    ("POST", "/api/v1/farming/deliveries"): SUPPLIER,
    # A weighed lot: the cooperative grades, and the county (which re-grades appeals) may.
    ("POST", "/api/v1/farming/deliveries/{delivery_id}/grade"): SUPPLIER | {roles.COUNTY_OFFICER},
    # A lot graded today: the village's cadre or the cooperative appeals for the household.
    ("POST", "/api/v1/farming/deliveries/{delivery_id}/appeal"): SUPPLIER | {roles.VILLAGE_CADRE},
    ("POST", "/api/v1/farming/payments"): SUPPLIER,
    ("GET", "/api/v1/farming/households/{household_no}"): REGISTRY_READERS,
    ("POST", "/api/v1/registry/requests"): CADRE,
    ("GET", "/api/v1/registry/requests"): CASE_READERS,
    ("GET", "/api/v1/registry/requests/{request_id}"): CASE_READERS,
    # The request waits at the township: the county's turn has not come.
    ("POST", "/api/v1/registry/requests/{request_id}/decisions"): frozenset(
        {roles.TOWNSHIP_OFFICER}
    ),
    ("POST", "/api/v1/registry/requests/{request_id}/refile"): CADRE,  # a returned one
    ("GET", "/api/v1/registry/households/{household_no}/history"): REGISTRY_READERS,
    ("GET", "/api/v1/registry/people/{person_id}/eligibility"): REGISTRY_READERS,
    ("POST", "/api/v1/registry/reviews"): frozenset({roles.COUNTY_OFFICER}),
    ("GET", "/api/v1/registry/reviews/{round_id}/progress"): CASE_READERS,
    ("GET", "/api/v1/registry/reviews/{round_id}/changes"): CASE_READERS,
    ("POST", "/api/v1/registry/reviews/items/{item_id}/facts"): CADRE,
    ("POST", "/api/v1/registry/reviews/items/{item_id}/objections"): CADRE,  # in the notice
    ("POST", "/api/v1/registry/reviews/{round_id}/villages/{code}/notice"): CADRE,
    ("POST", "/api/v1/registry/reviews/{round_id}/villages/{code}/file"): CADRE,  # ended
    # Filed and waiting at the township.
    ("POST", "/api/v1/registry/reviews/{round_id}/villages/{code}/decisions"): frozenset(
        {roles.TOWNSHIP_OFFICER}
    ),
    ("GET", "/api/v1/registry/duplicates"): DECIDERS,
    ("POST", "/api/v1/registry/duplicates/different"): DECIDERS,
}

PERIOD = dt.date(timezone.localdate().year, 1, 1)


def _bodies(o: Objects) -> dict[tuple[str, str], dict[str, Any]]:
    """Query strings and bodies that are valid, so that only the permission can refuse."""
    return {
        ("GET", "/api/v1/people"): {"query": {"name": "唐"}},
        # A later page of the village (paged since issue 19): the same scope on every page.
        ("GET", "/api/v1/insurance/villages/{code}/cover"): {"query": {"limit": 1, "offset": 1}},
        ("POST", "/api/v1/people/search"): {"body": {"id_number": o.id_number}},
        ("POST", "/api/v1/households/{household_no}/status"): {
            "body": {"to_status": "lifted", "year": PERIOD.year - 1, "reason": "矩阵"}
        },
        ("GET", "/api/v1/ledger/proof/inclusion"): {"query": {"index": 0, "size": o.size}},
        ("GET", "/api/v1/ledger/proof/consistency"): {"query": {"first": 1, "second": o.size}},
        ("POST", "/api/v1/charity/donations"): {
            "body": {
                "campaign": o.slug,
                "amount_fen": 100,
                "channel": "online",
                "payment_ref": "MATRIX-1",
            }
        },
        ("POST", "/api/v1/charity/donations/mine"): {"body": {"token": o.token}},
        ("POST", "/api/v1/charity/refunds"): {
            "body": {
                "payment_ref": o.payment_ref,
                "refund_ref": "MATRIX-R",
                "amount_fen": 1,
                "reason": "矩阵",
            }
        },
        ("POST", "/api/v1/childcare/plans"): {"body": {"county": COUNTY, "centres": 1}},
        ("POST", "/api/v1/selection/programmes/{programme_slug}/applications"): {
            "body": {
                "name": "李老师",
                "area_code": VILLAGE_A,
                "answers": {"rural_years": 5},
                "evidence": {"证书": [o.photo_b64]},
            }
        },
        ("POST", "/api/v1/selection/reviews/{assignment_id}/declaration"): {
            "body": {"conflict": False}
        },
        ("POST", "/api/v1/selection/reviews/{assignment_id}/score"): {
            "body": {"scores": {"师德": 4, "教学": 5}}
        },
        ("POST", "/api/v1/insurance/programmes/{slug}/runs"): {
            "body": {"period_start": PERIOD.isoformat()}
        },
        ("POST", "/api/v1/casework/submissions"): {
            "body": {"type": "poor-student", "village": VILLAGE_A, "values": o.case_values}
        },
        ("POST", "/api/v1/casework/submissions/{returned_id}/refile"): {
            "body": {
                "values": {"household": "A001", "birds": "10", "growth": "良好"},
                "photos": {"photo": [o.photo_b64]},
            }
        },
        ("POST", "/api/v1/casework/submissions/{submission_id}/decisions"): {
            "body": {"action": "return", "comment": "矩阵"}
        },
        ("POST", "/api/v1/casework/approvals"): {
            "body": {"type": "black-chicken", "period": "2018-06", "area": TOWNSHIP}
        },
        ("GET", "/api/v1/casework/aggregates/{type_slug}"): {
            "query": {"area": COUNTY, "period": "2018-06"}
        },
        ("POST", "/api/v1/casework/nil-returns"): {
            "body": {
                "type": "black-chicken",
                "village": VILLAGE_A,
                "reason": "矩阵",
                "period": "2018-05",
            }
        },
        ("GET", "/api/v1/casework/completeness/{type_slug}"): {
            "query": {"area": VILLAGE_A, "period": "2018-06"}
        },
        ("POST", "/api/v1/casework/cases/{case_id}/pledges"): {"body": {"amount_fen": 100}},
        ("POST", "/api/v1/casework/disbursements/{disbursement_id}/decision"): {
            "body": {"action": "approve"}
        },
        ("POST", "/api/v1/insurance/claims"): {
            "body": {"policy_no": o.policy_no, "benefit": "hospitalisation"}
        },
        ("POST", "/api/v1/insurance/claims/{claim_id}/documents"): {
            "multipart": {"file": claim_picture(99)},
            "path": {"claim_id": o.draft_claim_id},
        },
        ("POST", "/api/v1/insurance/claims/{claim_id}/documents/{document_id}/corrections"): {
            "body": {"corrections": {"patient_name": "唐俊"}},
            "path": {"claim_id": o.draft_claim_id, "document_id": o.draft_document_id},
        },
        ("POST", "/api/v1/insurance/claims/{claim_id}/submit"): {
            "path": {"claim_id": o.draft_claim_id}
        },
        ("POST", "/api/v1/insurance/claims/{claim_id}/decision"): {
            "body": {"approve": False, "reasons": ["other"]}
        },
        ("POST", "/api/v1/insurance/claims/{claim_id}/payment"): {
            "path": {"claim_id": o.approved_claim_id}
        },
        ("POST", "/api/v1/forest/actions"): {
            "body": {"key": "matrix-a", "user": "m_forest_green", "type": "bus", "units": 1}
        },
        ("POST", "/api/v1/forest/projects/{project_slug}/adoptions"): {
            "body": {"units": 1, "key": "matrix-adopt"}
        },
        ("POST", "/api/v1/forest/projects/{project_slug}/work-orders"): {
            "body": {"person_id": o.person_id, "kind": "plant", "basis": "piece", "rate_fen": 50}
        },
        ("POST", "/api/v1/forest/work-orders/{order_id}/logs"): {
            "body": {"on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "quantity": 1}
        },
        ("POST", "/api/v1/commerce/orders"): {
            "body": {"lines": [{"listing": o.listing_id, "quantity": 1}], "ship_to": "矩阵"}
        },
        ("POST", "/api/v1/commerce/orders/{order_number}/payments"): {
            "body": {"method": "offline", "token": "MATRIX-PAY"}
        },
        ("POST", "/api/v1/commerce/orders/{order_number}/transitions"): {
            "body": {"to": "shipped"},
            "path": {"order_number": o.paid_number},
        },
        ("POST", "/api/v1/commerce/suppliers/{supplier_id}/products"): {
            "body": {"sku": "M-2", "name": "矩阵蜂蜜", "category": "honey"}
        },
        ("PATCH", "/api/v1/commerce/products/{product_id}"): {"body": {"unit": "箱"}},
        ("POST", "/api/v1/commerce/products/{product_id}/stock-adjustments"): {
            "body": {"delta": 5, "reason": "矩阵入库"}
        },
        ("POST", "/api/v1/registry/requests"): {
            "body": {
                "household_no": "A001",
                "kind": "change_household",
                "payload": {"poverty_cause": "因学"},
                "reason": "矩阵",
            }
        },
        ("POST", "/api/v1/registry/requests/{request_id}/decisions"): {
            "body": {"action": "return", "comment": "矩阵"}
        },
        ("POST", "/api/v1/registry/requests/{request_id}/refile"): {
            "body": {"payload": {"poverty_cause": "因残"}, "reason": "矩阵"},
            "path": {"request_id": o.returned_request_id},
        },
        ("POST", "/api/v1/registry/reviews"): {
            "body": {"county": COUNTY, "year": 2030, "line_fen": 400_000}
        },
        ("POST", "/api/v1/registry/reviews/items/{item_id}/facts"): {
            "body": dict.fromkeys(
                ("food", "clothing", "education", "medical", "housing", "water"), True
            )
            | {"income_fen": 1_000_000}
        },
        ("POST", "/api/v1/registry/reviews/items/{item_id}/objections"): {"body": {"text": "矩阵"}},
        ("POST", "/api/v1/registry/reviews/{round_id}/villages/{code}/file"): {
            "path": {"round_id": o.ended_round_id}
        },
        ("POST", "/api/v1/registry/reviews/{round_id}/villages/{code}/decisions"): {
            "path": {"round_id": o.filed_round_id},
            "body": {"action": "return", "comment": "矩阵"},
        },
        ("POST", "/api/v1/registry/duplicates/different"): {"body": {"a": o.a, "b": o.b}},
        **_farming_bodies(o),
    }


def _farming_bodies(o: Objects) -> dict[tuple[str, str], dict[str, Any]]:
    f = o.farming
    return {
        ("POST", "/api/v1/farming/counties/{county_code}/flagship"): {
            "body": {"product_id": f["product_id"], "reason": "矩阵"}
        },
        ("POST", "/api/v1/farming/forecasts"): {"body": {"product_id": f["product_id"]}},
        ("POST", "/api/v1/farming/plans"): {
            "body": {
                "run_id": f["forecast_id"],
                "county": COUNTY,
                "season": 2030,
                "sale_price_fen": 1200,
                "floor_price_fen": 680,
                "market_price_fen": 360,
                "yield_kg_per_mu": 450,
                "grade_share_pct": 80,
            }  # fmt: skip
        },
        ("POST", "/api/v1/farming/contracts"): {
            "body": {
                "plan_id": f["planting_plan_id"],
                "supplier_id": o.supplier_id,
                "quantity_kg": 1,
                "grades": [{"code": "一级", "floor_fen": 680}],
                "market_source": "矩阵",
                "delivery_from": "2030-09-01",
                "delivery_until": "2030-11-30",
            }  # fmt: skip
        },
        ("POST", "/api/v1/farming/contracts/{contract_id}/households"): {
            "body": {"household_no": "A002", "quantity_kg": 10, "area_mu": 0.1}
        },
        ("POST", "/api/v1/farming/deliveries"): {
            "body": {
                "household_contract_id": f["household_contract_id"],
                "weight_g": 1000,
                "delivered_on": f["today"],
            }  # fmt: skip
        },
        ("POST", "/api/v1/farming/deliveries/{delivery_id}/grade"): {
            "body": {"grade": "一级", "accepted_g": 900}
        },
        ("POST", "/api/v1/farming/deliveries/{delivery_id}/appeal"): {
            "body": {"reason": "矩阵"},
            "path": {"delivery_id": f["appealable_id"]},
        },
        ("POST", "/api/v1/farming/payments"): {
            "body": {
                "household_contract_id": f["household_contract_id"],
                "delivery_ids": [f["payable_id"]],
            }
        },
    }


def _admin(o: Objects) -> dict[str, frozenset[str]]:
    """A few admin URLs standing for the rest: the index, a registry list, a person's page
    (view-only), policies, programmes."""
    return {
        "/admin/": STAFF,
        "/admin/registry/household/": STAFF,
        f"/admin/registry/person/{o.person_id}/change/": STAFF,
        "/admin/insurance/policy/": STAFF,
        "/admin/insurance/programme/": OPERATOR,
    }


# -- the URL conf and the schema -----------------------------------------------------------


def _pages(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = ""
) -> dict[str, set[str]]:
    """Every page of the URL conf by name, with the names of its path parameters."""
    pages: dict[str, set[str]] = {}
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            pages |= _pages(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif p.name not in EXCLUDED_NAMES:
            name = namespace + (p.name or f"<unnamed {p.pattern}>")
            pages[name] = set(p.pattern.regex.groupindex)
    return pages


def _page_names() -> set[str]:
    return set(_pages())


def _operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def test_every_page_and_operation_has_an_entry() -> None:
    assert _page_names() - PAGES.keys() == set(), "a page without a row in PAGES"
    assert _operations() - API.keys() == set(), "an API operation without a row in API"


def test_no_entry_names_an_endpoint_that_is_gone() -> None:
    assert PAGES.keys() - _page_names() == set()
    assert API.keys() - _operations() == set()


# -- the objects and the people --------------------------------------------------------------


@dataclass
class Objects:
    household_no: str
    person_id: int
    id_number: str
    code: str
    slug: str
    run_id: int
    token: str
    payment_ref: str
    statement_pk: int
    size: int  # of the signed tree
    index: int  # a ledger entry within it
    job_id: int  # the county officer's registry import, with a rejected row
    plan_id: int  # the county officer's siting plan for their county
    centre_id: int  # a centre in village A; the centre staff user works there
    submission_id: int  # a poor-student case of village A waiting at the township
    use_id: int  # its photo
    returned_id: int  # a 乌鸡 report of village A returned to the cadre
    case_values: dict[str, str]
    photo_b64: str
    case_id: int  # an approved poor-student case forwarded to the helpers
    disbursement_id: int  # a helper's pledge to it, waiting for the county
    policy_no: str  # the head's policy
    claim_id: int  # a checked claim (for the head), with a document
    document_id: int
    draft_claim_id: int
    draft_document_id: int
    approved_claim_id: int
    status_token: str
    report_id: int  # a draft work report (by another operator)
    import_id: int  # a partner figures' import
    event_id: int  # a public chronicle event (by another operator)
    featured_id: int  # a featured case with a photo
    project_slug: str  # an open protected area of the county, its partner the matrix's
    certificate_token: str
    log_id: int  # a day's work by the household head on it, waiting for the partner
    order_id: int  # the head's patrol job on it

    listing_id: int  # the commerce fixture's storefront listing (a verified cooperative)
    supplier_id: int  # that cooperative, in the county; the supplier user works for it
    order_number: str  # a placed order of another buyer
    paid_number: str  # a paid order of another buyer
    product_id: int  # the listing's product
    photo_sha256: str  # its photo
    farming: dict[str, Any]
    request_id: int  # a change request of village A waiting at the township, with a photo
    returned_request_id: int  # one returned to the cadre
    round_id: int  # a review of the county, village A in its public notice
    ended_round_id: int  # another year: village A's notice has ended, not yet filed
    filed_round_id: int  # another year: village A filed, waiting at the township
    item_id: int  # A001's item in round_id
    objection_id: int
    a: int  # two people of village A (compared as duplicates)
    b: int
    position: int = 0
    type_slug: str = "black-chicken"
    fmt: str = "xlsx"

    programme_slug: str = ""  # a selection programme with the donor's application
    application_id: int = 0
    assignment_id: int = 0  # the matrix reviewer's, declared
    award_token: str = ""
    number: str = ""  # a certificate
    cohort_slug: str = ""

    def kwargs(self, params: set[str]) -> dict[str, Any]:
        """Values for a page's path parameters, by their names in the URL conf (a new name
        fails here: give it an object of the fixture)."""
        values = {
            "household_no": self.household_no,
            "person_id": self.person_id,
            "code": self.code,
            "slug": self.slug,
            "run_id": self.run_id,
            "token": self.token,
            "pk": self.statement_pk,
            "job_id": self.job_id,
            "plan_id": self.plan_id,
            "centre_id": self.centre_id,
            "type_slug": self.type_slug,
            "submission_id": self.submission_id,
            "use_id": self.use_id,
            "returned_id": self.returned_id,
            "case_id": self.case_id,
            "disbursement_id": self.disbursement_id,
            "claim_id": self.claim_id,
            "document_id": self.document_id,
            "status_token": self.status_token,
            "fmt": self.fmt,
            "report_id": self.report_id,
            "import_id": self.import_id,
            "event_id": self.event_id,
            "featured_id": self.featured_id,
            "project_slug": self.project_slug,
            "certificate_token": self.certificate_token,
            "log_id": self.log_id,
            "order_id": self.order_id,
            "listing_id": self.listing_id,
            "supplier_id": self.supplier_id,
            "order_number": self.order_number,
            "product_id": self.product_id,
            "sha256": self.photo_sha256,
            "programme_slug": self.programme_slug,
            "application_id": self.application_id,
            "assignment_id": self.assignment_id,
            "award_token": self.award_token,
            "number": self.number,
            "cohort_slug": self.cohort_slug,
            "county_code": COUNTY,
            **self.farming,
            "request_id": self.request_id,
            "position": self.position,
            "round_id": self.round_id,
            "item_id": self.item_id,
            "objection_id": self.objection_id,
            "a": self.a,
            "b": self.b,
        }
        return {k: values[k] for k in params}


@pytest.fixture
def objects(households: None, settings: Any, tmp_path: Path, write_csv) -> Objects:  # type: ignore[no-untyped-def]
    from tuopin.charity import services as charity
    from tuopin.charity.models import Campaign
    from tuopin.childcare import centres, planning
    from tuopin.insurance import services as insurance
    from tuopin.insurance.models import CoverageItem, EnrollmentRun, Programme, RunStatus
    from tuopin.ledger import services as ledger
    from tuopin.registry.importing.jobs import execute_import, start_import
    from tuopin.registry.models import Person

    operator = accounts.create_user(username="m_operator", role=roles.OPERATOR)
    campaign = charity.save_campaign(
        by=operator,
        campaign=Campaign(
            slug="dlz",
            title="顶梁柱健康扶贫公益保险",
            programme_name="顶梁柱",
            goal_fen=10_000_000,
            starts_on=PERIOD,
            ends_on=PERIOD.replace(month=12, day=31),
            status="open",
        ),
    )
    donation = charity.record_donation(
        by=operator,
        campaign_slug="dlz",
        amount_fen=500_000,
        channel="online",
        payment_ref="MATRIX-0",
    ).donation
    statement_file = tmp_path / "statement.csv"
    statement_file.write_text(
        f"交易号,金额（元）,交易时间\nMATRIX-0,5000.00,{timezone.localtime():%Y-%m-%d %H:%M:%S}\n",
        encoding="utf-8",
    )
    statement = charity.reconcile_statement(
        campaign_slug="dlz", channel="online", path=statement_file, by=operator
    ).statement
    programme = insurance.save_programme(
        by=operator,
        programme=Programme(
            slug="dlz",
            name="顶梁柱",
            sponsor="中国扶贫基金会",
            insurer="某保险",
            premium_fen=100,
            min_age=18,
            max_age=60,
            campaign=campaign,
            starts_on=PERIOD,
            ends_on=PERIOD.replace(month=12, day=31),
        ),
        counties=[],
        coverage=[
            CoverageItem(
                benefit="hospitalisation", per_claim_limit_fen=100_000, yearly_limit_fen=200_000
            )
        ],
    )
    insurance.enroll(programme_slug=programme.slug, period_start=PERIOD)
    run = insurance.start_run(user=operator, programme_slug="dlz", period_start=PERIOD)
    # As a killed worker leaves it (found at start-up), so that resuming is allowed.
    EnrollmentRun.objects.filter(pk=run.pk).update(status=RunStatus.INTERRUPTED)
    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    settings.LEDGER_ORIGIN = "tuopin.test/ledger"
    signer = ledger.generate_key(path=settings.LEDGER_KEY_FILE, name="tuopin.test/ledger")
    checkpoint = ledger.integrate(signer=signer)
    assert checkpoint is not None
    head = Person.objects.get(name="唐俊")
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile(
        "import.csv",
        write_csv([person_row("A009", "坏行", seq=81, village="422823101299")]).read_bytes(),
    )
    job = start_import(upload=upload, by=_user(roles.COUNTY_OFFICER))
    execute_import(job.pk)
    plan = planning.start_plan(
        by=_user(roles.COUNTY_OFFICER), county_code=COUNTY, centres=1, on=PERIOD
    )
    centre = centres.open_centre(
        by=_user(roles.COUNTY_OFFICER),
        name="溪丘湾养育中心",
        county_code=COUNTY,
        village_code=VILLAGE_A,
        opened_on=PERIOD,
        staff=[_user(roles.CENTRE_STAFF)],
    )
    case = _casework()
    claims = _claims(programme)
    shop = _commerce()
    farming = _farming(shop["supplier_id"])
    upkeep = _upkeep()
    return Objects(
        household_no="A001",
        person_id=head.pk,
        id_number=head.id_number,
        code=VILLAGE_A,
        slug="dlz",
        run_id=run.pk,
        token=donation.receipt_token,
        payment_ref=donation.payment_ref,
        statement_pk=statement.pk,
        size=checkpoint.size,
        index=donation.ledger_index,
        job_id=job.pk,
        plan_id=plan.pk,
        centre_id=centre.pk,
        **case,
        **claims,
        **_work_report(tmp_path),
        **_forest(head.pk),
        **shop,
        **_selection(),
        **upkeep,
        farming=farming,
    )


def _commerce() -> dict[str, Any]:
    """A verified cooperative of the county with a product of 10 units on the storefront, a
    placed and a paid order of another buyer."""
    from tuopin.commerce import catalogue, orders
    from tuopin.commerce import services as commerce
    from tuopin.commerce.models import STOREFRONT_OUTLET

    county = accounts.create_user(
        username="m_shop_county", role=roles.COUNTY_OFFICER, area_codes=[COUNTY]
    )
    operator = accounts.create_user(username="m_shop_operator", role=roles.OPERATOR)
    buyer = accounts.create_user(username="m_shop_buyer", role=roles.CONSUMER)
    coop = commerce.create_supplier(
        kind="cooperative", name="矩阵合作社", county_code=COUNTY, by=county
    )
    commerce.verify_supplier(supplier=coop, by=county)
    store = commerce.create_outlet(
        code=STOREFRONT_OUTLET, name="兴农扶贫", kind="online", by=operator
    )
    product = commerce.create_product(
        supplier=coop, sku="M-1", name="矩阵脐橙", category="fruit", by=operator
    )
    commerce.set_stock(product=product, warehouse_name="主仓", on_hand=10, by=operator)
    listing = commerce.publish_listing(product=product, outlet=store, price_fen=1000, by=operator)
    placed = orders.place_order(wanted=[orders.Wanted(listing.pk, 1)], ship_to="", by=buyer)
    paid = orders.place_order(wanted=[orders.Wanted(listing.pk, 1)], ship_to="", by=buyer)
    orders.pay_order(order=paid, method="test", token="ok", by=buyer)
    picture = catalogue.add_product_photo(product=product, data=claim_picture(7), by=operator)
    return {
        "listing_id": listing.pk,
        "supplier_id": coop.pk,
        "order_number": placed.number,
        "paid_number": paid.number,
        "product_id": product.pk,
        "photo_sha256": picture.sha256,
    }


def _work_report(tmp_path: Path) -> dict[str, Any]:
    """A draft work report of this month and an import of a partner's figures, both by an
    operator who is not the matrix's (so that the matrix's operator may publish)."""
    from tuopin.casework.tests.factories import photo
    from tuopin.core import periods
    from tuopin.reports import partners, publishing, services
    from tuopin.reports.models import PartnerIndicator

    op = accounts.create_user(username="m_report_op", role=roles.OPERATOR)
    month = periods.containing(timezone.localdate(), periods.MONTH)
    draft = publishing.generate(period_text=month.code, by=op)
    PartnerIndicator.objects.create(code="bank-loans", name="贷款", unit="fen")
    path = tmp_path / "partner.csv"
    path.write_text("指标,区划,报告期,数值,来源\nbank-loans,全国,2018H1,1000,网商银行\n")
    imported = partners.import_partner_figures(path=path, by=op)
    event = services.record_event(day=month.start, title="矩阵大事", by=op)
    case = services.feature_case(
        direction="more",
        day=month.start,
        title="矩阵案例",
        text="正文",
        photo=photo(78),
        by=op,
    )
    return {
        "report_id": draft.pk,
        "import_id": imported.imported.pk,
        "event_id": event.pk,
        "featured_id": case.pk,
    }


def _selection() -> dict[str, Any]:
    """A teacher award with the donor's application, assigned to the matrix reviewer (who
    declared no conflict), a consenting past winner, and a cohort with a certificate."""
    import base64
    import datetime as dt

    from tuopin.selection import services as selection
    from tuopin.selection import training
    from tuopin.selection.models import Application, Programme, Status

    operator = accounts.create_user(username="m_operator", role=roles.OPERATOR)
    programme = selection.save_programme(
        by=operator,
        programme=Programme(
            slug="teachers",
            name="乡村教师奖",
            kind="award",
            year=2018,
            form_fields=[
                {"name": "rural_years", "label": "年限", "kind": "integer", "required": True}
            ],
            evidence=["证书"],
            criteria=["师德", "教学"],
            select_count=1,
            reviewers_per_application=1,
        ),
    )
    reviewer = accounts.create_user(username=f"m_{roles.REVIEWER}", role=roles.REVIEWER)
    programme.reviewers.add(reviewer)
    donor = accounts.create_user(username=f"m_{roles.DONOR}", role=roles.DONOR)
    photo = base64.b64decode(_casework_photo())
    app = selection.submit_application(
        programme=programme,
        name="王老师",
        area_code=VILLAGE_A,
        answers={"rural_years": 9},
        evidence={"证书": [photo]},
        by=donor,
    )
    selection.assign_reviewers(programme=programme, by=operator)
    task = app.assignments.get()
    selection.declare(assignment_id=task.pk, conflict=False, by=reviewer)
    past = selection.submit_application(
        programme=programme,
        name="往届",
        area_code=VILLAGE_A,
        answers={"rural_years": 9},
        evidence={"证书": [photo]},
        by=donor,
    )
    Application.objects.filter(pk=past.pk).update(status=Status.HISTORY, consent_public=True)
    cohort = training.create_cohort(
        slug="aca", name="ACA", course="ACA", starts_on=PERIOD, by=operator
    )
    t = training.enrol(cohort=cohort, people=[("赵六", VILLAGE_A)], by=operator)[0]
    training.record_exam(cohort=cohort, scores={t.pk: 90}, by=operator)
    training.issue_certificates(cohort=cohort, on=dt.date(2018, 7, 1), by=operator)
    t.refresh_from_db()
    return {
        "programme_slug": programme.slug,
        "application_id": app.pk,
        "assignment_id": task.pk,
        "award_token": str(past.token),
        "number": t.certificate.number,
        "cohort_slug": cohort.slug,
    }


def _casework_photo() -> str:
    import base64

    from tuopin.casework.tests.factories import photo

    return base64.b64encode(photo(77)).decode()


def _upkeep() -> dict[str, Any]:
    """Change requests and reviews of village A, by users of their own."""
    from tuopin.registry.models import Household, Person, ReviewItem
    from tuopin.registry.upkeep import review
    from tuopin.registry.upkeep import services as upkeep

    cadre = accounts.create_user(
        username="m_up_cadre", role=roles.VILLAGE_CADRE, area_codes=[VILLAGE_A]
    )
    township = accounts.create_user(
        username="m_up_township", role=roles.TOWNSHIP_OFFICER, area_codes=[TOWNSHIP]
    )
    county = accounts.create_user(
        username="m_up_county", role=roles.COUNTY_OFFICER, area_codes=[COUNTY]
    )
    a001 = Household.objects.get(household_no="A001")
    pending = upkeep.file_request(
        household=a001,
        kind="change_household",
        payload={"poverty_cause": "因学"},
        reason="矩阵",
        evidence=[b"matrix photo"],
        by=cadre,
    )
    returned = upkeep.file_request(
        household=a001,
        kind="change_household",
        payload={"household_type": "低保贫困户"},
        reason="矩阵",
        by=cadre,
    )
    upkeep.decide(request=returned, action="return", comment="补充证明", by=township)
    good = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True)
    today = timezone.localdate()
    rounds = []
    for year, start in (
        (2024, today),
        (2023, today - dt.timedelta(days=10)),
        (2022, today - dt.timedelta(days=10)),
    ):
        rnd = review.open_review(county=COUNTY, year=year, line_fen=400_000, by=county)
        for item in ReviewItem.objects.filter(round=rnd, village_code=VILLAGE_A):
            review.record_facts(
                item=item, income_fen=1_000_000, checks=good, by=cadre, evidence=[b"matrix"]
            )
        review.post_notice(rnd=rnd, village=VILLAGE_A, starts_on=start, by=cadre)
        rounds.append(rnd)
    review.file_village(rnd=rounds[2], village=VILLAGE_A, by=cadre)
    item = ReviewItem.objects.get(round=rounds[0], household=a001)
    objection = review.raise_objection(item=item, text="矩阵", by=cadre)
    head, spouse = Person.objects.get(name="唐俊"), Person.objects.get(name="王强")
    return {
        "request_id": pending.pk,
        "returned_request_id": returned.pk,
        "round_id": rounds[0].pk,
        "ended_round_id": rounds[1].pk,
        "filed_round_id": rounds[2].pk,
        "item_id": item.pk,
        "objection_id": objection.pk,
        "a": head.pk,
        "b": spouse.pk,
    }


def _casework() -> dict[str, Any]:
    """A poor-student case waiting at the township, a June 乌鸡 report waiting at the township
    (for an area approval), a July one returned to the cadre (for correcting)."""
    import base64

    from tuopin.accounts.selectors import shell_user
    from tuopin.casework import roster, support
    from tuopin.casework import services as casework
    from tuopin.casework.seed import seed_report_types
    from tuopin.casework.tests.factories import photo
    from tuopin.registry.models import Person

    types = {t.slug: t for t in seed_report_types()}
    cadre = accounts.create_user(
        username="m_case_cadre", role=roles.VILLAGE_CADRE, area_codes=[VILLAGE_A]
    )
    township = accounts.create_user(
        username="m_case_township", role=roles.TOWNSHIP_OFFICER, area_codes=[TOWNSHIP]
    )
    student = Person.objects.get(name="朱婷婷")
    values = {
        "student": str(student.pk),
        "school": "溪丘湾中学",
        "grade": "初二",
        "family": "母亲因病",
        "need": "学费",
        "amount": "1200",
    }
    case = casework.file_submission(
        report_type=types["poor-student"],
        village=VILLAGE_A,
        values=values,
        photos={"photos": [photo(1)]},
        by=cadre,
    )
    for month, seed in ((6, 2), (7, 3)):
        chicken = casework.file_submission(
            report_type=types["black-chicken"],
            village=VILLAGE_A,
            values={"household": "A001", "birds": "30", "growth": "良好"},
            photos={"photo": [photo(seed)]},
            period=dt.date(2018, month, 1),
            by=cadre,
        )
    casework.decide(submission=chicken, action="return", comment="矩阵", by=township)
    roster.set_roster(
        report_type=types["black-chicken"], village_codes=[VILLAGE_A], by=shell_user()
    )
    county = accounts.create_user(
        username="m_case_county", role=roles.COUNTY_OFFICER, area_codes=[COUNTY]
    )
    helper = accounts.create_user(username="m_case_helper", role=roles.HELPER)
    approved = casework.file_submission(
        report_type=types["poor-student"], village=VILLAGE_A, values=values, by=cadre
    )
    casework.decide(submission=approved, action="approve", by=township)
    casework.decide(submission=approved, action="approve", by=county)
    support.forward_case(submission=approved, by=county)
    pledge = support.pledge(case_id=approved.pk, amount_fen=10_000, by=helper)
    return {
        "case_id": approved.pk,
        "disbursement_id": pledge.disbursement.pk,
        "submission_id": case.pk,
        "use_id": case.photos.get().pk,
        "returned_id": chicken.pk,
        "case_values": values,
        "photo_b64": base64.b64encode(photo(4)).decode(),
    }


def _forest(person_id: int) -> dict[str, Any]:
    """An open protected area in the county with the matrix's partner, a certificate, a day's
    work of the household head waiting for approval; every matrix user holds 80 g of energy."""
    from tuopin.accounts.models import User
    from tuopin.areas.models import Area
    from tuopin.forest import services as forest
    from tuopin.forest.models import Project

    operator = accounts.create_user(username="m_forest_operator", role=roles.OPERATOR)
    partner = _user(roles.PARTNER)
    forest.seed_action_types()
    project = forest.create_project(
        by=operator,
        project=Project(
            slug="guanba",
            kind="area",
            name="关坝保护地",
            county=Area.objects.get(code=COUNTY),
            partner=partner,
            energy_per_unit_g=80,
            units_total=100,
            opens_at=timezone.now(),
        ),
    )
    forest.open_project(by=operator, slug=project.slug, opens_at=timezone.now())
    green = User.objects.create_user(username="m_forest_green")
    ripe = timezone.now() - dt.timedelta(hours=30)
    for user in [green] + [_user(r) for r in ROLES if r != ANONYMOUS]:
        forest.report_action(
            by=partner,
            key=f"m-{user.pk}",
            username=user.username,
            action_type="bus",
            units=2 if user == green else 1,
            at=ripe,
        )
        forest.collect_all(by=user)
    adopted = forest.adopt(by=green, project_slug="guanba", units=1, key="m").adoption
    order = forest.hire(
        by=_user(roles.COUNTY_OFFICER),
        project_slug="guanba",
        person_id=person_id,
        kind="patrol",
        basis="day",
        rate_fen=8000,
    )
    log = forest.record_work(by=partner, order_id=order.pk, on=timezone.localdate(), quantity=1)
    return {
        "project_slug": project.slug,
        "certificate_token": str(adopted.token),
        "log_id": log.pk,
        "order_id": order.pk,
    }


def claim_picture(seed: int) -> bytes:
    from tuopin.insurance.tests.claim_factories import picture

    return picture(seed)


def _claims(programme: Any) -> dict[str, Any]:
    """A draft, a checked and an approved claim for people of village A, filed by a cadre of
    the village and decided by an adjuster of the programme (not the matrix's own users)."""
    import random

    from tuopin.documents.types import DocType
    from tuopin.insurance.claims import processing
    from tuopin.insurance.claims import services as claims
    from tuopin.insurance.tests.claim_factories import (
        invoice_values,
        policy_of,
        recognition,
    )

    filer = accounts.create_user(
        username="m_filer", role=roles.VILLAGE_CADRE, area_codes=[VILLAGE_A]
    )
    decider = accounts.create_user(username="m_decider", role=roles.ADJUSTER)
    programme.adjusters.add(decider)

    def claim(name: str, seed: int, submit: bool = True):  # type: ignore[no-untyped-def]
        c = claims.create_claim(
            by=filer, policy_no=policy_of(name).policy_no, benefit="hospitalisation"
        )
        doc = claims.add_document(by=filer, claim_id=c.pk, data=claim_picture(seed))
        values = invoice_values(name, number=f"M{seed}")
        processing.record_recognition(
            doc, recognition(DocType.INPATIENT_INVOICE, values, "12345.60")
        )
        if submit:
            claims.submit_claim(by=filer, claim_id=c.pk)
            processing.check_claim(c.pk, rng=random.Random(0))
        return c, doc

    checked, checked_doc = claim("唐俊", 1)
    draft, draft_doc = claim("唐俊", 2, submit=False)
    approved, _doc = claim("朱明", 3)
    approved.refresh_from_db()
    claims.decide_claim(by=decider, claim_id=approved.pk, approve=True)
    return {
        "policy_no": policy_of("唐俊").policy_no,
        "claim_id": checked.pk,
        "document_id": checked_doc.pk,
        "draft_claim_id": draft.pk,
        "draft_document_id": draft_doc.pk,
        "approved_claim_id": approved.pk,
        "status_token": str(checked.status_token),
    }


def _farming(supplier_id: int) -> dict[str, Any]:
    """The commerce fixture's cooperative (A001 and A002 members, with land) and its rice with
    two years of sales, a finished forecast, a plan, a contract with A001's part, and three of A001's lots:
    one weighed, one graded today (appealable), one graded weeks ago (payable)."""
    from tuopin.commerce import services as commerce
    from tuopin.commerce.models import Supplier
    from tuopin.farming import planning, procurement, runs, services
    from tuopin.farming.history import Shape, monthly_kg
    from tuopin.farming.samples import load_monthly_sales
    from tuopin.registry.models import Household

    county = accounts.create_user(
        username="m_farm_county", role=roles.COUNTY_OFFICER, area_codes=[COUNTY]
    )
    operator = accounts.create_user(username="m_farm_operator", role=roles.OPERATOR)
    coop = Supplier.objects.get(pk=supplier_id)
    ids = list(
        Household.objects.filter(household_no__in=["A001", "A002"]).values_list("pk", flat=True)
    )
    commerce.add_members(supplier=coop, household_ids=ids, by=county)
    worker = accounts.create_user(username="m_farm_coop", role=roles.SUPPLIER)
    commerce.add_user(supplier=coop, user=worker, by=county)
    product = commerce.create_product(
        supplier=coop, sku="M-RICE", name="矩阵红米", category="grain", unit="公斤", by=worker
    )
    outlet = commerce.create_outlet(code="M-FARM", name="矩阵渠道", kind="online", by=operator)
    load_monthly_sales(
        label="matrix",
        series={(product, outlet): monthly_kg(Shape(300, 11, 0.5, 0.2, 0.05), 24, seed=1)},
        first_month=dt.date(2016, 1, 1),
        price_fen_per_unit={product.pk: 1200},
    )
    for no in ("A001", "A002"):
        services.set_land(by=county, household_no=no, land_centi_mu=500)
    run = runs.forecast_now(by=county, product_id=product.pk, horizon=6)
    today = timezone.localdate()
    plan = planning.make_plan(
        by=county,
        run_id=run.pk,
        county_code=COUNTY,
        terms=planning.Terms(today.year, 1200, 680, 360, 450, 80),
    )
    contract = services.create_contract(
        by=county, plan_id=plan.pk, supplier_id=coop.pk, quantity_kg=100,
        grades=[services.Grade("一级", 680)], market_source="矩阵",
        delivery_from=today - dt.timedelta(days=60), delivery_until=today + dt.timedelta(days=60),
    )  # fmt: skip
    services.record_market_price(
        by=county, product_id=product.pk, on=today - dt.timedelta(days=60), fen_per_kg=360,
        source="矩阵",
    )  # fmt: skip
    hc = services.sign_household_contract(
        by=worker, contract_id=contract.pk, household_no="A001", quantity_kg=50, area_centi_mu=20
    )
    lots = [
        procurement.record_delivery(
            by=worker, household_contract_id=hc.pk, weight_g=1000, delivered_on=today - dt.timedelta(days=d)
        )
        for d in (1, 1, 30)
    ]  # fmt: skip
    procurement.grade_delivery(by=worker, delivery_id=lots[1].pk, grade="一级", accepted_g=900)
    procurement.grade_delivery(
        by=worker, delivery_id=lots[2].pk, grade="一级", accepted_g=900,
        on=today - dt.timedelta(days=30),
    )  # fmt: skip
    return {
        "product_id": product.pk,
        "forecast_id": run.pk,
        "planting_plan_id": plan.pk,
        "contract_id": contract.pk,
        "household_contract_id": hc.pk,
        "delivery_id": lots[0].pk,
        "appealable_id": lots[1].pk,
        "payable_id": lots[2].pk,
        "today": today.isoformat(),
    }


def _user(role: str):  # type: ignore[no-untyped-def]
    areas = {
        roles.VILLAGE_CADRE: [VILLAGE_A],
        roles.TOWNSHIP_OFFICER: [TOWNSHIP],
        roles.COUNTY_OFFICER: [COUNTY],
    }.get(role, [])
    user = accounts.create_user(username=f"m_{role}", role=role, area_codes=areas)
    if role == roles.SUPPLIER:
        from tuopin.commerce.models import Supplier

        Supplier.objects.get(name="矩阵合作社").users.add(user)
    if role == roles.ADJUSTER:
        from tuopin.insurance.models import Programme

        Programme.objects.get(slug="dlz").adjusters.add(user)
    return user


# -- the matrix ---------------------------------------------------------------------------------


def _verdict(response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        # login_required and the admin send to a login page with ?next=
        return "denied" if "next=" in response.get("Location", "") else "allowed"
    if status < 300:
        return "allowed"
    if status in (401, 403, 404):
        return "denied"
    return f"error {status}"


def _send(client: Client, method: str, url: str, spec: dict[str, Any], token: str | None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    # Rolled back: a write allowed for this role leaves nothing behind for the next request.
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, spec.get("query", {}), **headers)
        elif "multipart" in spec:
            files = {
                name: SimpleUploadedFile(f"{name}.jpg", data, "image/jpeg")
                for name, data in spec["multipart"].items()
            }
            response = client.post(url, files, **headers)
        elif method == "POST":
            response = client.post(
                url, spec.get("body", {}), content_type="application/json", **headers
            )
        else:
            response = client.generic(
                method,
                url,
                json.dumps(spec.get("body", {})),
                content_type="application/json",
                **headers,
            )
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # the export checks as it is read
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_pages_and_operations(role: str, objects: Objects) -> None:
    client = Client()
    token = None
    if role != ANONYMOUS:
        user = _user(role)
        client.force_login(user)
        token = accounts.issue_token(username=user.username)
    wrong: list[str] = []

    def check(label: str, allowed: frozenset[str], response: Any) -> None:
        expected = "allowed" if role in allowed else "denied"
        got = _verdict(response)
        if got != expected:
            wrong.append(f"{label}: expected {expected}, got {got} ({response.status_code})")

    pages = _pages()
    for name, allowed in sorted(PAGES.items()):
        method = PAGE_METHODS.get(name, "GET")
        url = reverse(name, kwargs=objects.kwargs(pages[name]))
        sender = client
        if method == "POST":  # a copy: logging out must not end the session of the rest
            sender = Client()
            sender.cookies = SimpleCookie(client.cookies)
        check(f"{method} {url}", allowed, _send(sender, method, url, {}, None))
    bodies = _bodies(objects)
    for (method, path), allowed in sorted(API.items()):
        spec = bodies.get((method, path), {})
        args = (
            {k: getattr(objects, k) for k in objects.__dataclass_fields__}
            | {"county_code": COUNTY, **objects.farming}
            | spec.get("path", {})
        )
        url = path.format(**args)
        response = _send(client, method, url, spec, token)
        check(f"{method} {path}", allowed, response)
    for url, allowed in sorted(_admin(objects).items()):
        check(f"GET {url}", allowed, _send(client, "GET", url, {}, None))
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)
