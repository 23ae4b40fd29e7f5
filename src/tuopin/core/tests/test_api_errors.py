"""The API's error answers: an unexpected exception is logged with its traceback and answers
JSON 500 in the error shape, never Django's HTML page."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory

from tuopin.api import api


def test_an_unexpected_exception_answers_json_500_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    request = RequestFactory().get("/api/v1/areas/1")
    try:
        raise RuntimeError("a bug")
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            response = api.on_exception(request, exc)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.content.decode()
    assert '"code": "server_error"' in body or '"code":"server_error"' in body
    assert "a bug" not in body  # the cause stays in the log
    record = caplog.records[-1]
    assert record.exc_info is not None and "a bug" in str(record.exc_info[1])


def test_a_django_404_answers_the_error_shape() -> None:
    from django.http import Http404

    response = api.on_exception(RequestFactory().get("/api/v1/x"), Http404("gone"))
    assert response.status_code == 404
    assert b'"not_found"' in response.content and b"detail" in response.content


@pytest.mark.django_db
def test_a_json_body_over_the_upload_limit_answers_400_json(settings, operator) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    client = Client()
    client.force_login(operator)
    body = {"campaign": "x" * 2_000, "amount_fen": 1, "channel": "online", "payment_ref": "P"}
    response = client.post("/api/v1/charity/donations", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
