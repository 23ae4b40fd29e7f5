"""A NUL character anywhere a request carries text is refused with 400 before any view runs
(PostgreSQL cannot take one, so it used to end as a 500), and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tuopin.accounts import services as accounts
from tuopin.accounts.models import User
from tuopin.ledger.models import Entry
from tuopin.registry.models import StatusChange

pytestmark = pytest.mark.django_db

API_GETS = [
    "/api/v1/areas/%00",
    "/api/v1/areas/4228%0023/children",
    "/api/v1/households?area=%00",
    "/api/v1/households?status=%00",
    "/api/v1/households/A%00001",
    "/api/v1/people?name=%E5%94%90%00",
    "/api/v1/people?id_number=%00",
    "/api/v1/insurance/villages/%00/cover",
    "/api/v1/insurance/villages/422823101201/cover?q=%00",
    "/api/v1/insurance/programmes/%00/progress",
    "/api/v1/public/campaigns/%00",
    "/api/v1/ledger/entries/1?x%00=1",
]
PAGES = [
    "/registry/households/A%00001/",
    "/registry/households/?q=%00",
    "/registry/people/?name=%00",
    "/registry/areas/%00/",
    "/campaigns/?page=%00",
]


@pytest.fixture
def api(operator: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {accounts.issue_token(username='operator')}")


def assert_api_refusal(response: Any) -> None:
    assert response.status_code == 400
    assert response.json()["code"] == "nul_byte"
    assert set(response.json()) == {"code", "message", "detail"}


@pytest.mark.parametrize("url", API_GETS)
def test_the_api_refuses_nul_in_the_path_or_query(households: None, api: Client, url: str) -> None:
    assert_api_refusal(api.get(url))


@pytest.mark.parametrize("url", API_GETS[:3])
def test_the_api_refuses_nul_before_authentication(url: str) -> None:
    assert_api_refusal(Client().get(url))


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/api/v1/charity/donations",
            {"campaign": "x", "amount_fen": 1, "channel": "online", "payment_ref": "P\u0000"},
        ),
        (
            "/api/v1/charity/refunds",
            {"payment_ref": "P", "refund_ref": "R", "amount_fen": 1, "reason": "\u0000"},
        ),
        ("/api/v1/households/A001/status", {"to_status": "已脱贫", "note\u0000": "x"}),
        ("/api/v1/insurance/programmes/dlz/runs", {"period_start": "2018-01-01", "x": ["\u0000"]}),
    ],
)
def test_the_api_refuses_nul_in_a_json_string(
    households: None, api: Client, url: str, body: dict[str, Any]
) -> None:
    before = StatusChange.objects.count()
    response = api.post(url, body, content_type="application/json")
    assert_api_refusal(response)
    assert StatusChange.objects.count() == before and not Entry.objects.exists()


def test_an_escaped_backslash_before_u0000_is_not_a_nul(operator: User, api: Client) -> None:
    body = '{"campaign": "nope", "amount_fen": 1, "channel": "online", "payment_ref": "P\\\\u0000"}'
    response = api.post("/api/v1/charity/donations", body, content_type="application/json")
    assert response.json()["code"] == "campaign_not_found"


@pytest.mark.parametrize("url", PAGES)
def test_pages_refuse_nul_with_a_message(households: None, county_officer: User, url: str) -> None:
    client = Client()
    client.force_login(county_officer)
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_form_field_holding_nul_is_refused(households: None, county_officer: User) -> None:
    client = Client()
    client.force_login(county_officer)
    form = "id_number=4228%00"  # what a browser sends for a plain form
    response = client.post(
        "/registry/people/", form, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_a_login_form_holding_nul_is_refused(operator: User) -> None:
    response = Client().post(
        "/login/",
        "username=operator%00&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_a_multipart_field_holding_nul_is_refused(operator: User) -> None:
    """The CSRF check parses a page's multipart form first; its fields are checked then."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    client.get("/")
    token = client.cookies["csrftoken"].value
    upload = SimpleUploadedFile("s.csv", "交易号,金额（元）\nP1,1\n".encode())
    response = client.post(
        "/charity/campaigns/dlz/statements/",
        {"csrfmiddlewaretoken": token, "channel": "online\x00", "file": upload},
    )
    assert response.status_code == 400


def test_a_session_cookie_holding_nul_is_refused() -> None:
    client = Client()
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/").status_code == 400
