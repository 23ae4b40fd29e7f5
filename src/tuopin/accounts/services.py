"""Writes of the accounts app: users with roles and scopes, API tokens, unmask logging."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.areas import selectors as area_selectors
from tuopin.core.bulk import any_of, casts

from . import roles
from .errors import BadToken, UnknownRole
from .models import ApiToken, AreaScope, UnmaskLog, User
from .selectors import get_user

TOKEN_PREFIX = "tp_"  # noqa: S105 - a visible prefix, not a secret


@transaction.atomic
def create_user(
    *,
    username: str,
    role: str,
    area_codes: list[str] | None = None,
    password: str | None = None,
    full_name: str = "",
    unmask: bool = False,
) -> User:
    """Create (or update) a user with one role and its area scopes."""
    if role not in roles.ROLE_PERMISSIONS:
        raise UnknownRole(
            _("未知角色：%(role)s（可选：%(roles)s）")
            % {"role": role, "roles": ", ".join(roles.ROLE_PERMISSIONS)}
        )
    areas = [area_selectors.get_area(code) for code in area_codes or []]
    roles.ensure_roles()
    user, _created = User.objects.get_or_create(username=username)
    if full_name:
        user.last_name = full_name
    user.is_staff = role in {roles.COUNTY_OFFICER, roles.OPERATOR}
    if password:
        user.set_password(password)
    elif not user.has_usable_password():
        user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    for area in areas:
        AreaScope.objects.get_or_create(user=user, area=area)
    if unmask:
        app_label, codename = roles.UNMASK_PERMISSION.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_USE_GRAIN = dt.timedelta(minutes=1)


def issue_token(*, username: str) -> str:
    """Create a new API token for ``username`` and return it; only its digest is kept."""
    user = get_user(username)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=_digest(token), prefix=token[:8])
    return token


def authenticate_token(token: str) -> User:
    """The active user behind a bearer token, or :class:`BadToken`."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked=False, user__is_active=True)
        .first()
    )
    if row is None:
        raise BadToken()
    now = timezone.now()
    # "Last used" to the minute: a busy client (a partner's feed, a flash of adoptions) does
    # not pay a write and a commit on every call.
    if row.last_used_at is None or now - row.last_used_at >= TOKEN_USE_GRAIN:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def users_of_tokens(tokens: Iterable[str]) -> dict[str, int]:
    """:func:`authenticate_token` for many tokens at once (a batch of flash adoptions): the id
    of the active user behind each valid token; the rest are left out. One read, and one
    write of "last used" for those last used a minute ago or more. Plain SQL: this runs for
    every batch of a flash, where the ORM's per-query work would cost more than the query."""
    digests = {_digest(t): t for t in tokens}
    if not digests:
        return {}
    token, user = ApiToken._meta.db_table, User._meta.db_table
    where, params = any_of("t.digest", digests, *casts(ApiToken, ["digest"]))
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT t.id, t.digest, t.user_id FROM {token} t JOIN {user} u ON u.id = t.user_id "  # noqa: S608 - params
            f"WHERE {where} AND t.revoked = %s AND u.is_active = %s",
            [*params, False, True],
        )
        rows = cur.fetchall()
        if rows:
            ids, more = any_of("id", [pk for pk, _d, _u in rows], *casts(ApiToken, ["id"]))
            cur.execute(
                f"UPDATE {token} SET last_used_at = %s WHERE {ids} "  # noqa: S608 - params
                "AND (last_used_at IS NULL OR last_used_at <= %s)",
                [
                    connection.ops.adapt_datetimefield_value(now),
                    *more,
                    connection.ops.adapt_datetimefield_value(now - TOKEN_USE_GRAIN),
                ],
            )
    return {digests[d]: user_id for _pk, d, user_id in rows}


def log_unmask(*, user: User, subject: str, context: str) -> None:
    """Record that ``user`` saw the whole ID number of ``subject`` (a person's id)."""
    UnmaskLog.objects.create(user=user, subject=subject, context=context)
