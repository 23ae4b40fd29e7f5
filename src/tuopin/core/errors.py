"""Domain errors: every app's exceptions derive from :class:`DomainError` and carry a stable code."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain was broken. Mapped to a 4xx answer ``{"code", "message", "detail"}``."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.detail = detail


class NotFound(DomainError):
    """Missing, or outside the user's scope: the two must look the same."""

    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class ValidationFailed(DomainError):
    code = "invalid"
    status = 422
