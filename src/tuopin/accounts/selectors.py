"""Reads of the accounts app."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from tuopin.core.errors import PermissionDenied

from .errors import UnknownUser
from .models import User


def get_user(username: str) -> User:
    """The user called ``username``, or :class:`UnknownUser`."""
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise UnknownUser(_("用户不存在：%(u)s") % {"u": username}) from None


def acting_user(request: HttpRequest) -> User:
    """The user behind a request that passed ``login_required`` or API authentication."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("需要登录"))
    return user


def shell_user() -> User:
    """The actor of a shell command whose contract takes no ``--user`` (a read such as
    ``tuopin childcare plan``): whoever runs the shell already holds the database, so it acts
    as a superuser. Never saved, never used by a page or the API."""
    return User(username="shell", is_superuser=True, is_active=True)
