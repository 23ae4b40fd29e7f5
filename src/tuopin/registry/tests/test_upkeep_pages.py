"""Pages and API of registry upkeep, end to end through the client: filing on the phone with a
photo, deciding from the inbox, the household's timeline, duplicates, eligibility."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.conftest import VILLAGE_A, VILLAGE_B, make_id
from tuopin.registry.models import ChangeRequest, Household, NotDuplicate, Person
from tuopin.registry.upkeep import services

from .upkeep_factories import approve_all, file

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_a_cadre_files_a_newborn_with_a_photo_from_the_page(households, cadre_a) -> None:
    c = _client(cadre_a)
    assert c.get("/registry/households/A001/requests/new/?kind=add_member").status_code == 200
    response = c.post(
        "/registry/households/A001/requests/new/",
        {
            "kind": "add_member",
            "cause": "birth",
            "name": "朱小宝",
            "id_number": make_id("422823", dt.date(2020, 2, 2), 13),
            "relation": "grandson",
            "reason": "新生儿落户",
            "evidence": SimpleUploadedFile("birth.jpg", b"\xff\xd8photo", "image/jpeg"),
        },
    )
    req = ChangeRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{req.pk}/")
    assert req.evidence.count() == 1
    assert c.get(f"/registry/requests/{req.pk}/evidence/0").status_code == 200


def test_the_form_shows_the_imports_message_for_a_bad_id(households, cadre_a) -> None:
    response = _client(cadre_a).post(
        "/registry/households/A001/requests/new/",
        {
            "kind": "add_member",
            "cause": "birth",
            "name": "朱小宝",
            "id_number": "42282320200202001X",
            "relation": "grandson",
            "reason": "x",
        },
    )
    assert response.status_code == 422
    assert "证件号码" in response.content.decode() or "校验" in response.content.decode()


def test_the_township_decides_from_its_inbox(households, cadre_a, township_officer) -> None:
    req = file(cadre_a, "change_household", {"poverty_cause": "因学"})
    c = _client(township_officer)
    assert f"/requests/{req.pk}/" in c.get("/registry/requests/").content.decode()
    c.post(f"/registry/requests/{req.pk}/decide", {"action": "approve"})
    req.refresh_from_db()
    assert req.step_index == 1


def test_the_household_page_shows_the_timeline(
    households, cadre_a, township_officer, county_officer
) -> None:
    approve_all(
        file(cadre_a, "change_household", {"poverty_cause": "因学"}, reason="孩子上大学"),
        township_officer,
        county_officer,
    )
    page = _client(cadre_a).get("/registry/households/A001/").content.decode()
    assert "孩子上大学" in page and "变更历史" in page and "建档" in page


def test_the_history_api_is_scoped(
    households, cadre_a, cadre_b, township_officer, county_officer
) -> None:
    approve_all(
        file(cadre_a, "change_household", {"poverty_cause": "因学"}),
        township_officer,
        county_officer,
    )
    mine = _client(cadre_a).get("/api/v1/registry/households/A001/history").json()
    assert [e["what"] for e in mine][-1] == "change_household"
    assert mine[-1]["request_id"]
    assert _client(cadre_b).get("/api/v1/registry/households/A001/history").status_code == 404


def test_history_covers_every_applied_kind(
    households, cadre_a, township_officer, county_officer
) -> None:
    daughter = Person.objects.get(name="朱婷婷")
    kinds = [
        (
            "add_member",
            {
                "name": "朱小宝",
                "id_number": make_id("422823", dt.date(2020, 2, 2), 13),
                "relation": "之孙子",
                "cause": "birth",
            },
        ),
        ("correct_person", {"person_id": daughter.pk, "phone": "13800001111"}),
        ("change_household", {"poverty_cause": "因学"}),
        ("remove_member", {"person_id": daughter.pk, "cause": "marriage_out", "on": "2024-05-01"}),
        ("move_household", {"to_village": VILLAGE_B}),
    ]
    for kind, payload in kinds:
        approve_all(file(cadre_a, kind, payload), township_officer, county_officer)
        if kind == "move_household":
            break
    events = services.__name__ and __import__(
        "tuopin.registry.models", fromlist=["HistoryEvent"]
    ).HistoryEvent.objects.filter(household_no="A001", source="request")
    assert {e.what for e in events} == {k for k, _p in kinds}
    assert all(e.by_id and e.request_id and e.reason for e in events)


def test_an_api_request_goes_up_the_chain(households, cadre_a, township_officer) -> None:
    token = accounts.issue_token(username=cadre_a.username)
    response = Client().post(
        "/api/v1/registry/requests",
        {
            "household_no": "A001",
            "kind": "change_household",
            "payload": {"poverty_cause": "因学"},
            "reason": "x",
            "evidence": ["cGhvdG8="],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    rid = response.json()["id"]
    inbox = _client(township_officer).get("/api/v1/registry/requests?inbox=true").json()
    assert [r["id"] for r in inbox] == [rid]


def test_an_api_request_refused_says_why(households, cadre_a) -> None:
    response = _client(cadre_a).post(
        "/api/v1/registry/requests",
        {
            "household_no": "A001",
            "kind": "move_household",
            "payload": {"to_village": "422823101299"},
            "reason": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown_village"


@pytest.fixture
def twin(households, cadre_b):  # type: ignore[no-untyped-def]
    """唐俊 of A001 registered again in B001 with two ID digits transposed."""
    head = Person.objects.get(name="唐俊")
    digits = list(head.id_number[:17])
    digits[15], digits[16] = digits[16], digits[15]
    from tuopin.core import idcard

    number = "".join(digits) + idcard.check_char("".join(digits))
    return Person.objects.create(
        household=Household.objects.get(household_no="B001"),
        village_code=VILLAGE_B,
        name="唐俊",
        id_number=number,
        id_hash=__import__("tuopin.registry.idhash", fromlist=["id_hash"]).id_hash(number),
        sex=head.sex,
        birth_date=head.birth_date,
        relation="other",
    )


def test_the_duplicates_page_finds_the_planted_twin(twin, township_officer) -> None:
    page = _client(township_officer).get("/registry/duplicates/").content.decode()
    assert (
        f"/duplicates/{min(twin.pk, Person.objects.get(name='唐俊', village_code=VILLAGE_A).pk)}/"
        in page
    )
    assert "证件号码两位颠倒" in page


def test_marking_different_stops_proposing(twin, township_officer) -> None:
    head = Person.objects.get(name="唐俊", village_code=VILLAGE_A)
    c = _client(township_officer)
    assert c.get(f"/registry/duplicates/{head.pk}/{twin.pk}/").status_code == 200
    c.post(f"/registry/duplicates/{head.pk}/{twin.pk}/different")
    assert NotDuplicate.objects.count() == 1
    assert "证件号码两位颠倒" not in c.get("/registry/duplicates/").content.decode()


def test_a_merge_from_the_compare_screen_is_a_change_request(
    twin, township_officer, county_officer
) -> None:
    head = Person.objects.get(name="唐俊", village_code=VILLAGE_A)
    _client(township_officer).post(
        f"/registry/duplicates/{head.pk}/{twin.pk}/merge", {"reason": "同一人"}
    )
    req = ChangeRequest.objects.get(kind="merge_people")
    assert req.village_code == VILLAGE_B and req.status == "pending"
    approve_all(req, township_officer, county_officer)
    twin.refresh_from_db()
    assert twin.status == "merged"


def test_a_cadre_cannot_see_duplicates(households, cadre_a) -> None:
    assert _client(cadre_a).get("/registry/duplicates/").status_code == 403


def test_eligibility_names_the_failing_check(households, cadre_a, operator) -> None:
    from tuopin.insurance import services as insurance
    from tuopin.insurance.models import CoverageItem, Programme

    today = timezone.localdate()
    insurance.save_programme(
        by=operator,
        programme=Programme(
            slug="dlz",
            name="顶梁柱",
            sponsor="基金会",
            insurer="保险",
            premium_fen=100,
            min_age=18,
            max_age=60,
            starts_on=today.replace(month=1, day=1),
            ends_on=today.replace(month=12, day=31),
        ),
        counties=[],
        coverage=[
            CoverageItem(benefit="hospitalisation", per_claim_limit_fen=1, yearly_limit_fen=1)
        ],
    )
    father = Person.objects.get(name="朱明")  # born 1968: over 60 from 2028
    old = Person.objects.create(
        household=father.household,
        village_code=VILLAGE_A,
        name="朱老",
        id_number=make_id("422823", dt.date(1940, 1, 1), 91),
        id_hash=__import__("tuopin.registry.idhash", fromlist=["id_hash"]).id_hash(
            make_id("422823", dt.date(1940, 1, 1), 91)
        ),
        sex="M",
        birth_date=dt.date(1940, 1, 1),
        relation="father",
    )
    api = _client(cadre_a).get(f"/api/v1/registry/people/{old.pk}/eligibility").json()
    assert api[0]["eligible"] is False and api[0]["reason"] == "age"
    page = _client(cadre_a).get(f"/registry/people/{old.pk}/eligibility/").content.decode()
    assert "年龄不符" in page
    young = (
        _client(cadre_a)
        .get(f"/api/v1/registry/people/{Person.objects.get(name='朱婷婷').pk}/eligibility")
        .json()
    )
    assert young[0]["eligible"] is True
    assert roles


def test_the_request_list_costs_the_same_queries_for_more_requests(households, cadre_a) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _client(cadre_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/api/v1/registry/requests").status_code == 200
            assert c.get("/registry/requests/").status_code == 200
        return len(ctx.captured_queries)

    file(cadre_a, "change_household", {"poverty_cause": "因学"}, evidence=[b"x"])
    few = count()
    for cause in ("因残", "因灾", "缺水"):
        file(cadre_a, "change_household", {"poverty_cause": cause}, evidence=[b"y"])
    assert count() == few


def test_the_command_line_finds_duplicates_as_the_user(twin, township_officer) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("upkeep", "duplicates", "--user", township_officer.username, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert twin.pk in {data["pairs"][0]["a"], data["pairs"][0]["b"]}


def test_the_command_line_opens_a_review(households, county_officer) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "upkeep",
        "open-review",
        "--user",
        "county",
        "--county",
        "422823000000",
        "--year",
        "2024",
        "--line",
        "4000",
        stdout=out,
    )
    assert "3 户" in out.getvalue()


def test_the_reason_is_the_village_views_reason(households, cadre_a, operator) -> None:
    """One definition: the first failing check is the reason the village view shows."""
    from tuopin.insurance import selectors as insurance_selectors
    from tuopin.insurance import services as insurance
    from tuopin.insurance.models import CoverageItem, Programme
    from tuopin.registry import eligibility

    today = timezone.localdate()
    insurance.save_programme(
        by=operator,
        programme=Programme(
            slug="girls",
            name="好保险",
            sponsor="基金会",
            insurer="保险",
            premium_fen=100,
            min_age=0,
            max_age=100,
            sex="F",
            starts_on=today.replace(month=1, day=1),
            ends_on=today.replace(month=12, day=31),
        ),
        counties=[],
        coverage=[CoverageItem(benefit="health", per_claim_limit_fen=1, yearly_limit_fen=1)],
    )
    cover = insurance_selectors.village_cover(cadre_a, VILLAGE_A)
    for villager in cover.villagers:
        (verdict,) = eligibility.verdicts_for(cadre_a, villager.person, today)
        (gap,) = villager.gaps
        assert (verdict.reason.code if verdict.reason else "eligible") == gap.reason
        assert verdict.reason is None or verdict.reason.failure == gap.label
