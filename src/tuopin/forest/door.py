"""The flash door: `POST /api/v1/forest/projects/<slug>/adoptions` with a bearer token,
answered before Django's full stack and committed in batches (ADR 0013, "The flash door").

A flash opening is thousands of the same small request a second. Through the whole stack
each costs ~6–9 ms of CPU (sessions, CSRF, auth, messages, django-ninja, ten statements); the
door costs a fraction: it parses the JSON body itself, runs only the middleware an API answer
needs (security headers, language, frame options), and hands the request to the process's
:data:`flash.BATCHER`, which checks the token and decides the adoption with hundreds of others
in one transaction. The answer is the same as the API's, byte for byte in its body (the same
schema, renderer and error shape): tests compare them.

Anything the door does not fully understand goes on to Django unchanged, which answers it as
always: another method or path, no bearer token or a token no active user holds, a body that
is not a small JSON object of an integer ``units`` and a string ``key``, a NUL anywhere, a
query string, a host Django would refuse, plain HTTP where HTTPS is required.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.locale import LocaleMiddleware
from django.middleware.security import SecurityMiddleware

from tuopin.core.nul_bytes import _holds_nul

from . import flash
from .energy import KEY_MAX_LENGTH
from .models import MAX_UNITS

logger = logging.getLogger(__name__)

PATH = re.compile(r"/api/v1/forest/projects/([A-Za-z0-9_-]{1,100})/adoptions")
MOST_BYTES = 1024  # a body of {"units": …, "key": …}; anything bigger goes to Django

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _Onward(Exception):
    """Not for the door: Django answers."""


def _ask(request: HttpRequest, slug: str, body: bytes) -> flash.Ask:
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sp, token = auth.partition(" ")
    if scheme != "Bearer" or not token or " " in token or "\x00" in token:
        raise _Onward
    try:
        data = json.loads(body)
    except ValueError:
        raise _Onward from None
    if not isinstance(data, dict) or _holds_nul(data) or _holds_nul(request.COOKIES):
        raise _Onward
    units, key = data.get("units", 1), data.get("key")
    # Exactly what the API's schema accepts without coercion; the rest is Django's to refuse.
    if type(units) is not int or not 1 <= units <= MAX_UNITS:
        raise _Onward
    if not isinstance(key, str) or not 1 <= len(key) <= KEY_MAX_LENGTH or not key.strip():
        raise _Onward
    return flash.Ask(token=token, project_slug=slug, units=units, key=key.strip())


def _render(request: HttpRequest, outcome: flash.Outcome) -> HttpResponse:
    from tuopin.api import api, domain_error

    from .api import ForestCertificateOut, _certificate

    if isinstance(outcome, flash.Refused):
        return domain_error(request, outcome.make())
    assert isinstance(outcome, flash.Adopted)
    data = ForestCertificateOut.model_validate(_certificate(request, outcome.adoption))
    return api.create_response(request, data.model_dump(), status=201 if outcome.created else 200)


class FlashDoor:
    """WSGI middleware in front of Django's application (module docstring). Its two halves,
    :meth:`take` and :meth:`answer`, are also the flash front's (``forest.front``), which
    waits for the batcher on its event loop instead of in a thread."""

    def __init__(self, app: WSGIApp, batcher: flash.Batcher | None = None) -> None:
        self.app = app
        self.batcher = batcher or flash.BATCHER
        # The middleware an API answer passes through, in settings.MIDDLEWARE's order.
        self.security = SecurityMiddleware(self._view)  # for its process_request alone
        self.chain = SecurityMiddleware(LocaleMiddleware(XFrameOptionsMiddleware(self._view)))

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        taken = self.take(environ)
        if taken is None:
            return self.app(environ, start_response)
        request, ask = taken
        response: HttpResponse | None
        try:
            outcome = self.batcher.adopt(ask)
        except Exception as exc:  # the database gone: the API's JSON 500
            response = self.failed(request, exc)
        else:
            response = self.answer(request, outcome)
        if response is None:
            return self.app(environ, start_response)
        status = f"{response.status_code} {response.reason_phrase}"
        start_response(status, list(response.items()))
        return [response.content]

    def take(self, environ: dict[str, Any]) -> tuple[HttpRequest, flash.Ask] | None:
        """The request and its ask, if the door answers it; None leaves it to Django, with
        ``environ`` as it came (its body readable again)."""
        match = PATH.fullmatch(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
        if (
            match is None
            or environ.get("REQUEST_METHOD") != "POST"
            or environ.get("QUERY_STRING")
            or not environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")
            # A caller already in a transaction (a test sharing it with the app) must not
            # hand the work to the batcher's connection, which cannot see that transaction.
            or transaction.get_connection().in_atomic_block
        ):
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MOST_BYTES:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # for Django, should it answer after all
        request = WSGIRequest(environ)
        try:
            request.get_host()
            # Anything the security middleware answers itself (the HTTPS redirect) is Django's.
            if self.security.process_request(request) is not None:
                raise _Onward
            ask = _ask(request, match.group(1), body)
            request._door = (match.group(1), body)  # type: ignore[attr-defined]
        except (_Onward, DisallowedHost):
            environ["wsgi.input"] = io.BytesIO(body)
            return None
        return request, ask

    def answer(self, request: HttpRequest, outcome: flash.Outcome) -> HttpResponse | None:
        """The API's answer for ``outcome`` through the middleware; None: Django's to answer
        (the token names no active user)."""
        if isinstance(outcome, flash.Unauthenticated | flash.Later):
            request.environ["wsgi.input"] = io.BytesIO(request._door[1])  # type: ignore[attr-defined]
            return None
        request._outcome = outcome  # type: ignore[attr-defined]
        try:
            response = self.chain(request)
            assert isinstance(response, HttpResponse)  # the chain is synchronous
        except Exception as exc:  # a bug: the API's JSON 500
            return self.failed(request, exc)
        return response

    def failed(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        from tuopin.api import server_error

        return server_error(request, exc)

    def _view(self, request: HttpRequest) -> HttpResponse:
        return _render(request, request._outcome)  # type: ignore[attr-defined]


def flash_door(app: WSGIApp) -> WSGIApp:
    """``app`` behind the door, unless ``TUOPIN_FOREST_FLASH_DOOR`` turns it off."""
    return FlashDoor(app) if settings.FOREST_FLASH_DOOR else app
