"""The API files, reviews and aggregates exactly as the services do."""

from __future__ import annotations

import base64

from django.test import Client

from tuopin.accounts import services as accounts
from tuopin.casework.models import Submission
from tuopin.conftest import COUNTY, TOWNSHIP, VILLAGE_A

from .factories import IN_JUNE, photo


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    token = accounts.issue_token(username=user.username)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _file(client: Client, birds: object, photos: list[str] | None = None):  # type: ignore[no-untyped-def]
    b64 = base64.b64encode(photo(5, taken=IN_JUNE, lat=31.01, lon=110.31)).decode()
    return client.post(
        "/api/v1/casework/submissions",
        {
            "type": "black-chicken",
            "village": VILLAGE_A,
            "period": "2018-06",
            "values": {"household": "A001", "birds": birds, "growth": "良好"},
            "photos": {"photo": photos if photos is not None else [b64]},
        },
        content_type="application/json",
    )


def test_a_cadre_files_and_the_township_returns_over_the_api(
    types, households, cadre_a, township
) -> None:  # type: ignore[no-untyped-def]
    r = _file(_client(cadre_a), 120)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["values"]["birds"] == "120" and body["step_area"] == TOWNSHIP
    assert body["photos"][0]["out_of_period"] is False and body["photos"][0]["far"] is False
    officer = _client(township)
    r = officer.get("/api/v1/casework/inbox")
    assert [i["id"] for i in r.json()] == [body["id"]]
    r = officer.post(
        f"/api/v1/casework/submissions/{body['id']}/decisions",
        {"action": "return", "comment": "照片不清"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "returned"


def test_bad_input_answers_422_with_a_message_per_field(types, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    r = _file(_client(cadre_a), "很多", photos=[base64.b64encode(b"not an image").decode()])
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "应填数字" in detail["birds"] and "不是照片" in detail["photo"]
    assert Submission.objects.count() == 0


def test_aggregates_over_the_api_follow_the_scope(
    types, households, cadre_a, cadre_b, county_officer
) -> None:  # type: ignore[no-untyped-def]
    assert _file(_client(cadre_a), 120).status_code == 201
    r = _client(county_officer).get(
        "/api/v1/casework/aggregates/black-chicken", {"area": COUNTY, "period": "2018-06"}
    )
    assert (
        r.json()["total"]["totals"]["birds"] == "120.0000"
        or float(r.json()["total"]["totals"]["birds"]) == 120
    )
    r = _client(cadre_b).get(
        "/api/v1/casework/aggregates/black-chicken", {"area": VILLAGE_A, "period": "2018-06"}
    )
    assert r.status_code == 404
