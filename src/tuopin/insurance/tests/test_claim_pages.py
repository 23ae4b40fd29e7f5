"""The claim pages and API: the cadre's flow, the adjuster's page, the photo behind the access
function, the claimant's status page with the payout's receipt, and the same over the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tuopin.accounts import services as accounts
from tuopin.insurance.claims import services as claims
from tuopin.insurance.claims.states import ClaimState
from tuopin.insurance.models import Claim
from tuopin.ledger import services as ledger

from .claim_factories import filed, picture, policy_of, programme


@pytest.fixture
def setup(households, operator, cadre_a, adjuster):  # type: ignore[no-untyped-def]
    programme(operator, adjusters=(adjuster,))
    return {"operator": operator, "cadre": cadre_a, "adjuster": adjuster}


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_a_cadre_files_from_the_villager_page_and_a_bad_photo_only_gets_a_message(setup) -> None:  # type: ignore[no-untyped-def]
    web = client_for(setup["cadre"])
    person = policy_of("唐俊").person
    page = web.get(reverse("insurance:villager", args=[person.pk])).content.decode()
    assert reverse("insurance:claim_new") in page
    choose = web.get(reverse("insurance:claim_new"), {"person": person.pk}).content.decode()
    assert policy_of("唐俊").policy_no in choose
    made = web.post(
        reverse("insurance:claim_new"),
        {"policy_no": policy_of("唐俊").policy_no, "benefit": "hospitalisation"},
    )
    claim = Claim.objects.get()
    assert made["Location"] == reverse("insurance:claim", args=[claim.pk])
    form = web.get(made["Location"]).content.decode()
    assert 'accept="image/*" capture="environment" multiple' in form
    bad = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n", "application/pdf")
    good = SimpleUploadedFile("invoice.jpg", picture(3), "image/jpeg")
    shown = web.post(
        made["Location"], {"action": "upload", "photos": [bad, good]}, follow=True
    ).content.decode()
    assert "scan.pdf" in shown and "PDF" in shown
    assert claim.documents.count() == 1
    claim.refresh_from_db()
    assert claim.state == ClaimState.DRAFT


def test_the_adjusters_page_shows_the_photo_with_boxes_and_every_check(setup) -> None:  # type: ignore[no-untyped-def]
    claim = filed(setup["cadre"])
    web = client_for(setup["adjuster"])
    queue = web.get(reverse("insurance:claims")).content.decode()
    assert claim.number in queue
    page = web.get(reverse("insurance:claim", args=[claim.pk])).content.decode()
    doc = claim.documents.first()
    photo_url = reverse("insurance:claim_photo", args=[claim.pk, doc.pk])
    assert photo_url in page and "<polygon" in page
    for check in claim.checks.all():
        assert check.message in page
    assert 'value="approve"' in page and 'value="reject"' in page
    photo = web.get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo.content == picture(1)


def test_the_photo_is_not_found_for_anyone_out_of_scope(setup, cadre_b, donor) -> None:  # type: ignore[no-untyped-def]
    claim = filed(setup["cadre"])
    doc = claim.documents.first()
    url = reverse("insurance:claim_photo", args=[claim.pk, doc.pk])
    assert client_for(cadre_b).get(url).status_code == 404
    assert client_for(donor).get(url).status_code == 403
    stranger = accounts.create_user(username="adj2", role="adjuster")
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(stranger).get(reverse("insurance:claim", args=[claim.pk])).status_code == 404


def test_the_adjuster_approves_with_an_adjusted_amount_and_pays_then_the_claimant_gets_a_receipt(
    setup, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    claim = filed(setup["cadre"])
    web = client_for(setup["adjuster"])
    url = reverse("insurance:claim", args=[claim.pk])
    web.post(url, {"action": "approve", "amount": "2000.50", "note": ""})
    claim.refresh_from_db()
    assert (claim.state, claim.approved_fen) == (ClaimState.APPROVED, 200_050)
    web.post(url, {"action": "pay"})
    claim.refresh_from_db()
    assert (claim.state, claim.paid_fen) == (ClaimState.PAID, 200_050)
    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    ledger.integrate(signer=ledger.generate_key(path=settings.LEDGER_KEY_FILE, name="t"))
    status = Client().get(reverse("insurance:claim_status", args=[claim.status_token]))
    text = status.content.decode()
    assert "2,000.50" in text and "tlog-proof" in text and "唐俊" not in text
    download = Client().get(
        reverse("insurance:claim_status", args=[claim.status_token]), {"download": "1"}
    )
    assert download.content.decode().startswith("c2sp.org/tlog-proof@v1")


def test_the_same_flow_over_the_api(setup, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    cadre = accounts.issue_token(username=setup["cadre"].username)
    adjuster = accounts.issue_token(username=setup["adjuster"].username)
    api = Client()
    as_cadre = {"HTTP_AUTHORIZATION": f"Bearer {cadre}"}
    as_adjuster = {"HTTP_AUTHORIZATION": f"Bearer {adjuster}"}
    made = api.post(
        "/api/v1/insurance/claims",
        {"policy_no": policy_of("唐俊").policy_no, "benefit": "hospitalisation"},
        content_type="application/json",
        **as_cadre,
    )
    assert made.status_code == 201, made.content
    claim_id = made.json()["id"]
    bad = api.post(
        f"/api/v1/insurance/claims/{claim_id}/documents",
        {"file": SimpleUploadedFile("x.jpg", b"", "image/jpeg")},
        **as_cadre,
    )
    assert bad.status_code == 400 and bad.json()["code"] in {"empty_file", "invalid"}
    from tuopin.documents.types import DocType
    from tuopin.insurance.claims import processing

    from .claim_factories import invoice_values, recognition, summary_values

    ids = []
    for seed in (1, 2):
        added = api.post(
            f"/api/v1/insurance/claims/{claim_id}/documents",
            {"file": SimpleUploadedFile("p.jpg", picture(seed), "image/jpeg")},
            **as_cadre,
        )
        assert added.status_code == 201, added.content
        ids.append(added.json()["id"])
    # What the recogniser would read (the task itself is tested with real photos elsewhere).
    docs = {d.pk: d for d in Claim.objects.get(pk=claim_id).documents.all()}
    processing.record_recognition(
        docs[ids[0]],
        recognition(DocType.INPATIENT_INVOICE, invoice_values("唐後"), "12345.60"),
    )
    processing.record_recognition(
        docs[ids[1]], recognition(DocType.DISCHARGE_SUMMARY, summary_values())
    )
    fixed = api.post(
        f"/api/v1/insurance/claims/{claim_id}/documents/{ids[0]}/corrections",
        {"corrections": {"patient_name": "唐俊"}},
        content_type="application/json",
        **as_cadre,
    )
    assert fixed.json()["corrections"] == {"patient_name": "唐俊"}
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"/api/v1/insurance/claims/{claim_id}/submit", **as_cadre)
    assert sent.status_code == 200
    read = api.get(f"/api/v1/insurance/claims/{claim_id}", **as_adjuster).json()
    assert read["state"] == "checked" and {c["outcome"] for c in read["checks"]} == {"pass"}
    early = api.post(f"/api/v1/insurance/claims/{claim_id}/payment", **as_adjuster)
    assert (early.status_code, early.json()["code"]) == (409, "bad_transition")
    decided = api.post(
        f"/api/v1/insurance/claims/{claim_id}/decision",
        {"approve": True},
        content_type="application/json",
        **as_adjuster,
    )
    assert decided.json()["approved_fen"] == read["recommended_fen"] == 307_648
    paid = api.post(f"/api/v1/insurance/claims/{claim_id}/payment", **as_adjuster).json()
    assert paid["paid_fen"] == 307_648 and paid["payout_index"] is not None
    listed = api.get("/api/v1/insurance/claims", {"state": "paid"}, **as_cadre).json()
    assert [c["id"] for c in listed] == [claim_id]


def test_paying_a_claim_moves_the_public_campaign_figures(
    households, operator, cadre_a, adjuster
) -> None:  # type: ignore[no-untyped-def]
    from tuopin.charity import services as charity
    from tuopin.charity.models import Campaign
    from tuopin.reports.selectors import campaign_overview

    from .claim_factories import PERIOD

    campaign = charity.save_campaign(
        by=operator,
        campaign=Campaign(
            slug="dlz",
            title="顶梁柱",
            programme_name="顶梁柱",
            goal_fen=10_000_000,
            starts_on=PERIOD,
            ends_on=PERIOD.replace(month=12, day=31),
            status="open",
        ),
    )
    charity.record_donation(
        by=operator, campaign_slug="dlz", amount_fen=5_000_000, channel="online", payment_ref="P1"
    )
    programme(operator, adjusters=(adjuster,), campaign=campaign)
    before = campaign_overview(campaign).funds
    claim = filed(cadre_a)
    claims.decide_claim(by=adjuster, claim_id=claim.pk, approve=True)
    claims.pay_claim(by=adjuster, claim_id=claim.pk)
    after = campaign_overview(campaign)
    assert after.funds["payouts_fen"] - before["payouts_fen"] == 307_648
    assert after.funds["payouts"] == before["payouts"] + 1
    page = Client().get(reverse("campaign", args=["dlz"])).content.decode()
    assert "3,076.48" in page


def test_the_queue_and_the_claim_page_take_a_fixed_number_of_queries(
    setup, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    first = filed(setup["cadre"])
    web = client_for(setup["adjuster"])
    web.get(reverse("insurance:claims"))  # warm: session, permissions
    with django_assert_max_num_queries(12) as one:
        web.get(reverse("insurance:claims"))
    with django_assert_max_num_queries(16) as page_one:
        web.get(reverse("insurance:claim", args=[first.pk]))
    for seed in (20, 30, 40):
        filed(setup["cadre"], name="朱明", seed=seed, invoice=None)
    with django_assert_max_num_queries(len(one.captured_queries)):
        web.get(reverse("insurance:claims"))
    with django_assert_max_num_queries(len(page_one.captured_queries)):
        web.get(reverse("insurance:claim", args=[first.pk]))
