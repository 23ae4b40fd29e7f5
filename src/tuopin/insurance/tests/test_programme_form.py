"""The programme set-up page speaks yuan and percent; the models keep fen and basis points.
Amounts that cannot be stored exactly, or are negative, are refused with a message and
nothing is written; every input has a label; the county list works without JavaScript."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.conftest import COUNTY
from tuopin.insurance.models import Programme
from tuopin.insurance.tests.test_cover import PERIOD

pytestmark = pytest.mark.usefixtures("area_tree")


def _form(**changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "slug": "hbx",
        "name": "好保险",
        "sponsor": "中国妇女发展基金会",
        "insurer": "某保险",
        "premium_yuan": "88.50",
        "starts_on": PERIOD.isoformat(),
        "ends_on": PERIOD.replace(month=12, day=31).isoformat(),
        "min_age": "0",
        "max_age": "100",
        "cov-TOTAL_FORMS": "1",
        "cov-INITIAL_FORMS": "0",
        "cov-0-benefit": "hospitalisation",
        "cov-0-per_claim_limit_yuan": "1234.56",
        "cov-0-yearly_limit_yuan": "50000",
        "cov-0-deductible_yuan": "0.01",
        "cov-0-reimbursement_percent": "85.5",
        "cov-0-waiting_days": "30",
    }
    return form | changes


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_page_stores_yuan_as_fen_and_percent_as_basis_points(operator) -> None:  # type: ignore[no-untyped-def]
    assert _client(operator).post("/insurance/programmes/new/", _form()).status_code == 302
    p = Programme.objects.get()
    item = p.coverage.get()
    assert p.premium_fen == 8_850
    assert (item.per_claim_limit_fen, item.yearly_limit_fen, item.deductible_fen) == (
        123_456,
        5_000_000,
        1,
    )
    assert item.reimbursement_bp == 8_550


def test_the_edit_form_shows_the_stored_amounts_in_yuan_and_percent(operator) -> None:  # type: ignore[no-untyped-def]
    client = _client(operator)
    client.post("/insurance/programmes/new/", _form())
    page = client.get("/insurance/programmes/hbx/edit/").content.decode()
    for shown in ('value="88.50"', 'value="1234.56"', 'value="50000.00"', 'value="85.5"'):
        assert shown in page


def test_it_refuses_a_negative_limit_with_a_message_and_saves_nothing(operator) -> None:  # type: ignore[no-untyped-def]
    page = _client(operator).post(
        "/insurance/programmes/new/", _form(**{"cov-0-per_claim_limit_yuan": "-1"})
    )
    assert page.status_code == 200 and "金额不能为负数" in page.content.decode()
    assert not Programme.objects.exists()


def test_it_refuses_a_fraction_of_a_fen_with_a_message_and_saves_nothing(operator) -> None:  # type: ignore[no-untyped-def]
    page = _client(operator).post("/insurance/programmes/new/", _form(premium_yuan="88.505"))
    assert page.status_code == 200 and "最多两位小数" in page.content.decode()
    assert not Programme.objects.exists()


def test_it_refuses_a_rate_over_100_percent(operator) -> None:  # type: ignore[no-untyped-def]
    page = _client(operator).post(
        "/insurance/programmes/new/", _form(**{"cov-0-reimbursement_percent": "100.01"})
    )
    assert page.status_code == 200 and "0 到 100" in page.content.decode()
    assert not Programme.objects.exists()


def test_it_refuses_a_per_claim_limit_above_the_yearly_one_on_the_form(operator) -> None:  # type: ignore[no-untyped-def]
    page = _client(operator).post(
        "/insurance/programmes/new/", _form(**{"cov-0-yearly_limit_yuan": "1000"})
    )
    text = page.content.decode()
    # Beside the item's yearly limit, not only as the service's message at the top.
    assert text.index('name="cov-0-yearly_limit_yuan"') < text.index("单次限额不能高于年度限额")
    assert not Programme.objects.exists()


class _Inputs(HTMLParser):
    """The form's inputs, and the ids that a <label for> names."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("class") == "setup":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "label" and a.get("for"):
            self.labelled.add(a["for"] or "")
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.inputs.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False


def _inputs(operator) -> _Inputs:  # type: ignore[no-untyped-def]
    parser = _Inputs()
    parser.feed(_client(operator).get("/insurance/programmes/new/").content.decode())
    return parser


def test_every_input_of_the_form_has_a_label(operator) -> None:  # type: ignore[no-untyped-def]
    parser = _inputs(operator)
    bare = [
        a.get("name")
        for a in parser.inputs
        if a.get("id") not in parser.labelled and not a.get("aria-label")
    ]
    assert parser.inputs and bare == []


def test_amount_inputs_refuse_negatives_and_fractions_of_a_fen_in_the_browser(operator) -> None:  # type: ignore[no-untyped-def]
    amounts = [a for a in _inputs(operator).inputs if (a.get("name") or "").endswith("_yuan")]
    assert len(amounts) == 1 + 2 * 3  # the premium, and three amounts in each of 2 new items
    assert all((a.get("min"), a.get("step")) == ("0", "0.01") for a in amounts)


def test_the_slug_is_labelled_in_chinese(operator) -> None:  # type: ignore[no-untyped-def]
    page = _client(operator).get("/insurance/programmes/new/").content.decode()
    assert "项目代码（字母、数字、短横线，创建后不能修改）" in page and "Slug" not in page


def test_the_county_checkboxes_post_the_chosen_counties_without_javascript(operator) -> None:  # type: ignore[no-untyped-def]
    client = _client(operator)
    boxes = [
        a
        for a in _inputs(operator).inputs
        if a.get("name") == "counties" and a.get("type") == "checkbox"
    ]
    assert [a.get("value") for a in boxes] == [COUNTY]
    assert client.post("/insurance/programmes/new/", _form(counties=COUNTY)).status_code == 302
    assert list(Programme.objects.get().counties.values_list("code", flat=True)) == [COUNTY]


def test_an_untouched_extra_coverage_item_is_not_added(operator) -> None:  # type: ignore[no-untyped-def]
    untouched = {  # what a browser posts for an extra item the operator left alone
        "cov-TOTAL_FORMS": "2",
        "cov-1-benefit": "",
        "cov-1-per_claim_limit_yuan": "",
        "cov-1-yearly_limit_yuan": "",
        "cov-1-deductible_yuan": "0.00",
        "cov-1-reimbursement_percent": "100",
        "cov-1-waiting_days": "0",
    }
    assert (
        _client(operator).post("/insurance/programmes/new/", _form(**untouched)).status_code == 302
    )
    assert Programme.objects.get().coverage.count() == 1


def test_the_page_assigns_the_programmes_adjusters_and_its_audit_share(operator, adjuster) -> None:  # type: ignore[no-untyped-def]
    other = accounts.create_user(username="adj_other", role=roles.ADJUSTER)
    response = _client(operator).post(
        "/insurance/programmes/new/",
        _form(adjusters=[str(adjuster.pk)], audit_percent="25"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = Programme.objects.get()
    assert list(programme.adjusters.all()) == [adjuster]
    assert other not in programme.adjusters.all()
    assert programme.claim_audit_bp == 2_500
