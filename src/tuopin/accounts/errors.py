"""Errors of the accounts app."""

from django.utils.translation import gettext_lazy as _

from tuopin.core.errors import DomainError


class UnknownRole(DomainError):
    code = "unknown_role"


class UnknownUser(DomainError):
    code = "unknown_user"
    status = 404


class BadToken(DomainError):
    code = "bad_token"
    status = 401

    def __init__(self) -> None:
        super().__init__(str(_("API 令牌无效或已吊销")))
