"""Errors of the ledger app."""

from tuopin.core.errors import DomainError, NotFound


class BadEntry(DomainError):
    code = "bad_entry"


class NoSigningKey(DomainError):
    code = "no_signing_key"


class InconsistentLog(DomainError):
    """The tree no longer extends the last signed checkpoint: never sign it."""

    code = "inconsistent_log"
    status = 409


class EntryNotFound(NotFound):
    code = "entry_not_found"
