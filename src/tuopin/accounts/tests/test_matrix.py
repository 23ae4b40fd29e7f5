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
    "casework:index": REPORT_READERS,
    "casework:inbox": CASE_READERS,
    "casework:file": CADRE,
    "casework:refile": CADRE,  # the fixture's returned report, of village A
    "casework:submission": CASE_READERS,
    "casework:photo": CASE_READERS,
    "casework:decide": DECIDERS,  # POST: an empty decision comes back with its message
    "casework:approve_area": DECIDERS,  # POST
    "casework:report": REPORT_READERS,
    "casework:export": REPORT_READERS,
    "casework:forward": DECIDERS,  # POST: the pending case comes back with its message
    "casework:cases": frozenset({roles.HELPER}),  # masked
    "casework:case": frozenset({roles.HELPER}),
    "casework:disbursements": DECIDERS,
    "casework:disbursement": DECIDERS,  # POST
    "casework:household_support": CASE_READERS,
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
    "casework:forward": "POST",
    "casework:disbursement": "POST",
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
        **upkeep,
    )


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
            review.record_facts(item=item, income_fen=1_000_000, checks=good, by=cadre)
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

    from tuopin.casework import services as casework
    from tuopin.casework import support
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


def _user(role: str):  # type: ignore[no-untyped-def]
    areas = {
        roles.VILLAGE_CADRE: [VILLAGE_A],
        roles.TOWNSHIP_OFFICER: [TOWNSHIP],
        roles.COUNTY_OFFICER: [COUNTY],
    }.get(role, [])
    user = accounts.create_user(username=f"m_{role}", role=role, area_codes=areas)
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
        else:
            response = client.post(
                url, spec.get("body", {}), content_type="application/json", **headers
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
        args = {k: getattr(objects, k) for k in objects.__dataclass_fields__} | spec.get("path", {})
        url = path.format(**args)
        response = _send(client, method, url, spec, token)
        check(f"{method} {path}", allowed, response)
    for url, allowed in sorted(_admin(objects).items()):
        check(f"GET {url}", allowed, _send(client, "GET", url, {}, None))
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)
