"""Errors of the registry app (stable codes; messages in the user's language)."""

from typing import Any

from tuopin.core.errors import DomainError, NotFound


class HouseholdNotFound(NotFound):
    code = "household_not_found"


class PersonNotFound(NotFound):
    code = "person_not_found"


class BadStatusChange(DomainError):
    code = "bad_status_change"


class BadRegistryFile(DomainError):
    code = "bad_registry_file"


class ImportFailed(DomainError):
    """An import stopped part-way for a reason no row explains. ``report`` holds what was
    written before (committed batch by batch) and the rows rejected so far."""

    code = "import_failed"
    status = 500

    def __init__(self, message: str, *, report: Any, detail: Any = None) -> None:
        super().__init__(message, detail=detail)
        self.report = report


class ImportJobNotFound(NotFound):
    code = "import_job_not_found"


class RequestNotFound(NotFound):
    code = "change_request_not_found"


class BadRequest(DomainError):
    """A change request that cannot be filed or applied (the message says why)."""

    code = "bad_change_request"


class NotYourTurn(DomainError):
    code = "not_your_turn"
    status = 403


class Locked(DomainError):
    code = "locked"
    status = 409


class ReviewNotFound(NotFound):
    code = "review_not_found"


class BadReview(DomainError):
    code = "bad_review"
