"""Refuse requests that carry a NUL character in what they send, before any view runs.

PostgreSQL cannot store or even compare a string holding U+0000 (psycopg raises), so a ``%00``
in a path, query, form field, JSON string or cookie would end as a 500 wherever the value
reaches a query. No legitimate input of this system holds one: answer 400 once, here, for
every page and endpoint, instead of in each view.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def request_holds_nul(request: HttpRequest) -> bool:
    """Whether the path, query, cookies, an already parsed form or a JSON body hold a NUL.

    A multipart form is looked at only once something else has parsed it (CSRF does for
    pages): parsing it here would fix its upload handlers before the view could set them.
    """
    if NUL in request.path_info:
        return True
    if _holds_nul(dict(request.GET.lists())) or _holds_nul(request.COOKIES):
        return True
    if _holds_nul(dict(request.headers)):
        return True
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if content_type == "application/json":
            body = request.body
            # Cheap test first; parse only to rule out an escaped backslash ("\\u0000").
            if b"\\u0000" in body:
                try:
                    return _holds_nul(json.loads(body))
                except ValueError:
                    return False  # not JSON: the endpoint's own parser answers 4xx
        elif content_type == "application/x-www-form-urlencoded" or hasattr(request, "_post"):
            # (Django's parser already drops unprintable characters from file names.)
            return _holds_nul(dict(request.POST.lists()))
    return False


class RefuseNulBytes:
    """Middleware: 400 for a request holding NUL; JSON error shape under ``/api/``.

    Placed after ``CsrfViewMiddleware`` and checked in ``process_view``, so a page's
    multipart form has already been parsed by the CSRF check when it is looked at.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        try:
            if not request_holds_nul(request):
                return None
        except SuspiciousOperation:
            return None  # a body too large or too many fields: parsing it again answers 400
        message = _("请求中含有空字符（NUL），无法处理")
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"code": "nul_byte", "message": message, "detail": None}, status=400
            )
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
