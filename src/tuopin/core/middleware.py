"""Domain errors raised by a page's view become Django's own 403 and 404 pages, and any other
domain error a page with its message (400 or the error's own status).

Access functions raise :class:`~tuopin.core.errors.PermissionDenied` and
:class:`~tuopin.core.errors.NotFound`; the API maps them to JSON (``tuopin.api``), and this
maps them for pages, so that a view need not catch them one by one and page and API answer
with the same status.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import DomainError, NotFound, PermissionDenied


class DomainErrorPages:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Raised here, Django's handler turns them into the 403 and 404 pages.
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(exception.message) from exception
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        # A view that has something better to show (a form with the message beside it)
        # catches the error itself; any other is said plainly, never a 500.
        if isinstance(exception, DomainError):
            context = {"message": exception.message, "code": exception.code}
            return render(request, "core/domain_error.html", context, status=exception.status)
        return None
