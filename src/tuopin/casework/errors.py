"""Errors of field reports and their approval, each with a stable code."""

from __future__ import annotations

from tuopin.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed


class ReportTypeNotFound(NotFound):
    code = "report_type_not_found"


class SubmissionNotFound(NotFound):
    code = "submission_not_found"


class InvalidReport(ValidationFailed):
    """One message per field in ``detail`` ({field key: message})."""

    code = "invalid_report"


class NotYourTurn(PermissionDenied):
    code = "not_your_turn"


class Locked(DomainError):
    code = "locked"
    status = 409


class BelowNotApproved(DomainError):
    code = "below_not_approved"
    status = 409


class BadDecision(DomainError):
    code = "bad_decision"
