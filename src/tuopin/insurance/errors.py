"""Errors of the insurance app."""

from tuopin.core.errors import DomainError, NotFound


class ProgrammeNotFound(NotFound):
    code = "programme_not_found"


class BadProgramme(DomainError):
    code = "bad_programme"


class PolicyNotFound(NotFound):
    code = "policy_not_found"


class BadPayout(DomainError):
    code = "bad_payout"


class RunNotFound(NotFound):
    code = "run_not_found"


class InsufficientFunds(BadProgramme):
    """Premiums would exceed what the funding campaign has left; ``detail`` holds the numbers
    (people, need_fen, available_fen) so that pages can show them."""

    code = "insufficient_funds"
    status = 409
