"""Domain errors that a page's view did not handle: 404, 403, or a page with the message."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from tuopin.core.errors import DomainError, NotFound, PermissionDenied
from tuopin.core.middleware import DomainErrorPages


def _raising(exc: Exception):  # type: ignore[no-untyped-def]
    def view(request: HttpRequest) -> HttpResponse:
        raise exc

    return view


def _through(exc: Exception) -> HttpResponse | None:
    request = RequestFactory().get("/somewhere/")
    middleware = DomainErrorPages(_raising(exc))
    try:
        middleware(request)
    except Exception as raised:  # what Django's handler would receive
        return middleware.process_exception(request, raised)
    return None


def test_not_found_becomes_django_404() -> None:
    with pytest.raises(Http404):
        _through(NotFound("没有"))


def test_permission_denied_becomes_django_403() -> None:
    with pytest.raises(DjangoPermissionDenied):
        _through(PermissionDenied("不行"))


def test_any_other_domain_error_is_a_page_with_its_message(db: None) -> None:
    response = _through(DomainError("期间已关闭", code="period_closed"))
    assert response is not None and response.status_code == 400
    page = response.content.decode()
    assert "期间已关闭" in page and "period_closed" in page


def test_other_exceptions_are_left_to_django() -> None:
    assert _through(ValueError("x")) is None
