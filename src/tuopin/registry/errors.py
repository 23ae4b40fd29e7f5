"""Errors of the registry app (stable codes; messages in the user's language)."""

from tuopin.core.errors import DomainError, NotFound


class HouseholdNotFound(NotFound):
    code = "household_not_found"


class PersonNotFound(NotFound):
    code = "person_not_found"


class BadStatusChange(DomainError):
    code = "bad_status_change"


class BadRegistryFile(DomainError):
    code = "bad_registry_file"
