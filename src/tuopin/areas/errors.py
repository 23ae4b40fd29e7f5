"""Errors of the areas app."""

from tuopin.core.errors import DomainError, NotFound


class AreaNotFound(NotFound):
    code = "area_not_found"


class BadAreaFile(DomainError):
    code = "bad_area_file"
