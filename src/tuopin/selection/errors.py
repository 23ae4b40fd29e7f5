"""Errors of the selection app."""

from tuopin.core.errors import DomainError, NotFound, ValidationFailed


class ProgrammeNotFound(NotFound):
    code = "programme_not_found"


class ApplicationNotFound(NotFound):
    code = "application_not_found"


class AssignmentNotFound(NotFound):
    code = "assignment_not_found"


class CertificateNotFound(NotFound):
    code = "certificate_not_found"


class BadApplication(ValidationFailed):
    code = "bad_application"


class MissingEvidence(ValidationFailed):
    code = "missing_evidence"


class ConflictOfInterest(DomainError):
    code = "conflict_of_interest"


class NoDeclaration(DomainError):
    code = "coi_not_declared"


class BadScore(ValidationFailed):
    code = "bad_score"


class InfeasibleQuotas(DomainError):
    code = "infeasible_quotas"


class BadRun(DomainError):
    code = "bad_selection_run"


class BadCohortRecord(ValidationFailed):
    code = "bad_cohort_record"


class CohortNotFound(NotFound):
    code = "cohort_not_found"
