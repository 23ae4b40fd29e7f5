"""The JSON API at /api/v1/ (django-ninja). OpenAPI at /api/v1/docs.

Authentication: ``Authorization: Bearer <token>`` (``tuopin accounts token USER``) or the
session of a logged-in user. Errors answer ``{"code", "message", "detail"}`` with a 4xx; an
unexpected exception answers the same shape with 500 and code ``server_error``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from tuopin.accounts import services as account_services
from tuopin.accounts.errors import BadToken
from tuopin.core.errors import DomainError

logger = logging.getLogger("django.request")


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            user = account_services.authenticate_token(token)
        except BadToken:
            return None
        request.user = user
        return user


api = NinjaAPI(
    title="tuopin API",
    version="1",
    description="建档立卡、行政区划、公开账本、公益募捐与保险 — registry, areas, the public ledger, charity and insurance of tuopin.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, detail: Any = None
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "detail": detail}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.detail)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "需要登录或有效的 API 令牌 (Bearer token)")


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, "invalid", "请求参数无效", exc.errors)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "未找到")


@api.exception_handler(SuspiciousOperation)
def bad_request(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a bad Host: the client's fault.
    return _error(request, 400, "bad_request", "请求无效或过大")


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else is a bug: log it with its traceback, answer JSON (never Django's HTML
    page), and say nothing about the cause."""
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    return _error(request, 500, "server_error", "服务器内部错误，已记录，请稍后再试")


api.add_router("/areas", "tuopin.areas.api.router")
api.add_router("/", "tuopin.registry.api.router")
api.add_router("/registry", "tuopin.registry.upkeep.api.router")
api.add_router("/ledger", "tuopin.ledger.api.router")
api.add_router("/charity", "tuopin.charity.api.router")
api.add_router("/insurance", "tuopin.insurance.api.router")
api.add_router("/selection", "tuopin.selection.api.router")
api.add_router("/childcare", "tuopin.childcare.api.router")
api.add_router("/casework", "tuopin.casework.api.router")
api.add_router("/forest", "tuopin.forest.api.router")
api.add_router("/commerce", "tuopin.commerce.api.router")
api.add_router("/farming", "tuopin.farming.api.router")
api.add_router("/public", "tuopin.reports.api.router")
api.add_router("/reports", "tuopin.reports.dashboard_api.router")
