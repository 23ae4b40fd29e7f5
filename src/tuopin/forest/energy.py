"""Writes of green energy: partners report actions (idempotent), owners collect, friends take a
share, the sweep expires what nobody collected. Every change is a journal line and the same
change to the account's running sums, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.core import moments
from tuopin.core.errors import PermissionDenied

from .errors import BadAction, BallNotFound, KeyReused, NotCollectable
from .models import (
    MAX_UNITS,
    Action,
    ActionType,
    EnergyAccount,
    EnergyBall,
    EnergyEntry,
    EntryKind,
    Friendship,
)

if TYPE_CHECKING:
    from tuopin.accounts.models import User

REPORT = "forest.report_action"
KEY_MAX_LENGTH = 64
# A partner may report an action a little ahead of our clock, never a day ahead.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Reported:
    action: Action
    created: bool  # False when the key was already recorded with the same body


def require_green_user(user: Any) -> None:
    """Any active, logged-in user has a forest (ADR 0013): no role is needed."""
    if not (user is not None and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("需要登录"))


def check_key(key: str, error: type[BadAction] | Any = BadAction) -> str:
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        raise error(
            _("幂等键须为 1 到 %(n)s 个字符") % {"n": KEY_MAX_LENGTH}, code="bad_idempotency_key"
        )
    return key


def ensure_account(user_id: int) -> None:
    EnergyAccount.objects.bulk_create([EnergyAccount(user_id=user_id)], ignore_conflicts=True)


def _body_hash(body: dict[str, Any]) -> str:
    data = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def report_action(
    *,
    by: User,
    key: str,
    username: str,
    action_type: str,
    units: int,
    at: dt.datetime | None = None,
) -> Reported:
    """Record a user's low-carbon action reported by a partner system, and the energy it earns.

    Idempotent on ``(by, key)``: a retry with the same body answers with the first action; the
    same key with another body is :class:`KeyReused` (409) and changes nothing. The energy is
    ``units × grams ÷ per_units``, cut to what is left of the type's daily cap: the user's
    account row is locked first, so two reports racing cannot both fill the cap.
    ``by`` needs ``forest.report_action``.
    """
    permissions.require(by, REPORT, _("没有报送低碳行为的权限"))
    key = check_key(key)
    now = timezone.now()
    # The body as the partner sent it: a retry without a time is the same body.
    body = {
        "user": username,
        "type": action_type,
        "units": units,
        "at": at.isoformat() if at is not None else None,
    }
    body_hash = _body_hash(body)
    at = now if at is None else at
    existing = Action.objects.filter(source=by, key=key).first()
    if existing is not None:
        return _replayed(existing, body_hash)
    kind = ActionType.objects.filter(code=action_type, active=True).first()
    if kind is None:
        raise BadAction(
            _("未知的低碳行为类型：%(t)s") % {"t": action_type}, code="unknown_action_type"
        )
    if not isinstance(units, int) or not 0 < units <= min(kind.max_units, MAX_UNITS):
        raise BadAction(
            _("%(name)s的数量须为 1 到 %(max)s %(unit)s")
            % {"name": kind.name, "max": kind.max_units, "unit": kind.unit},
            code="bad_units",
        )
    if not moments.in_range(at) or at > now + CLOCK_SKEW:
        raise BadAction(_("行为时间须带时区，且不能晚于现在"), code="bad_time")
    from tuopin.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise BadAction(_("用户不存在：%(u)s") % {"u": username}, code="unknown_user")
    try:
        with transaction.atomic():
            action = _record(by, key, body_hash, user, kind, units, at)
    except IntegrityError:
        # A concurrent retry with the same key came first: answer as a retry.
        first = Action.objects.filter(source=by, key=key).first()
        if first is None:
            raise
        return _replayed(first, body_hash)
    return Reported(action, created=True)


def _replayed(first: Action, body_hash: str) -> Reported:
    if first.body_hash != body_hash:
        raise KeyReused(
            _("幂等键 %(k)s 已用于另一条内容不同的行为") % {"k": first.key},
            detail={"key": first.key},
        )
    return Reported(first, created=False)


def _record(
    by: User, key: str, body_hash: str, user: User, kind: ActionType, units: int, at: dt.datetime
) -> Action:
    ensure_account(user.pk)
    EnergyAccount.objects.select_for_update().get(pk=user.pk)  # caps: one report at a time
    day = timezone.localdate(at)
    grams = units * kind.grams // kind.per_units
    if kind.daily_cap_g is not None:
        today = Action.objects.filter(user=user, action_type=kind, day=day).aggregate(
            g=Coalesce(Sum("grams"), 0)
        )["g"]
        grams = max(0, min(grams, kind.daily_cap_g - today))
    action = Action.objects.create(
        source=by,
        key=key,
        body_hash=body_hash,
        user=user,
        action_type=kind,
        units=units,
        grams=grams,
        occurred_at=at,
        day=day,
    )
    if grams > 0:
        ripe = at + dt.timedelta(hours=settings.FOREST_COLLECT_DELAY_HOURS)
        ball = EnergyBall.objects.create(
            owner=user,
            action=action,
            grams=grams,
            remaining_g=grams,
            ripe_at=ripe,
            expires_at=ripe + dt.timedelta(hours=settings.FOREST_COLLECT_WINDOW_HOURS),
        )
        EnergyEntry.objects.create(
            user=user, kind=EntryKind.EARNED, pending_g=grams, ball=ball, at=timezone.now()
        )
        EnergyAccount.objects.filter(pk=user.pk).update(pending_g=F("pending_g") + grams)
    return action


def _collectable(ball: EnergyBall, now: dt.datetime) -> None:
    if ball.remaining_g == 0:
        raise NotCollectable(_("这份能量已经收走了"), code="already_collected")
    if now < ball.ripe_at:
        raise NotCollectable(_("能量还没有成熟"), code="not_ripe")
    if now >= ball.expires_at:
        raise NotCollectable(_("能量已过期"), code="expired")


def collect(*, by: User, ball_id: int, now: dt.datetime | None = None) -> int:
    """The owner collects one ripe ball: what is left of it moves to their balance. Returns
    the grams collected. The ball's row is locked, so a double tap collects once."""
    require_green_user(by)
    now = now or timezone.now()
    with transaction.atomic():
        ball = EnergyBall.objects.select_for_update().filter(pk=ball_id, owner=by).first()
        if ball is None:
            raise BallNotFound(_("能量不存在"))
        _collectable(ball, now)
        grams = ball.remaining_g
        EnergyBall.objects.filter(pk=ball.pk).update(remaining_g=0)
        EnergyEntry.objects.create(
            user=by, kind=EntryKind.COLLECTED, pending_g=-grams, balance_g=grams, ball=ball, at=now
        )
        EnergyAccount.objects.filter(pk=by.pk).update(
            pending_g=F("pending_g") - grams, balance_g=F("balance_g") + grams
        )
    return grams


def collect_all(*, by: User, now: dt.datetime | None = None) -> tuple[int, int]:
    """The owner collects every ripe ball at once (one tap on the page): set-based, a fixed
    number of queries whatever the number of balls. Returns (balls, grams)."""
    require_green_user(by)
    now = now or timezone.now()
    with transaction.atomic():
        ripe = EnergyBall.objects.select_for_update().filter(
            owner=by, remaining_g__gt=0, ripe_at__lte=now, expires_at__gt=now
        )
        rows = list(ripe.values_list("pk", "remaining_g"))
        if not rows:
            return 0, 0
        total = sum(g for _pk, g in rows)
        EnergyBall.objects.filter(pk__in=[pk for pk, _g in rows]).update(remaining_g=0)
        EnergyEntry.objects.bulk_create(
            EnergyEntry(
                user=by, kind=EntryKind.COLLECTED, pending_g=-g, balance_g=g, ball_id=pk, at=now
            )
            for pk, g in rows
        )
        EnergyAccount.objects.filter(pk=by.pk).update(
            pending_g=F("pending_g") - total, balance_g=F("balance_g") + total
        )
    return len(rows), total


def befriend(*, by: User, friend: User) -> None:
    """``by`` lets ``friend`` take a share of their uncollected energy (and the other way)."""
    require_green_user(by)
    if friend.pk == by.pk:
        raise BadAction(_("不能加自己为好友"), code="self_friend")
    Friendship.objects.bulk_create(
        [Friendship(user=by, friend=friend), Friendship(user=friend, friend=by)],
        ignore_conflicts=True,
    )


def take(*, by: User, ball_id: int, now: dt.datetime | None = None) -> int:
    """A friend takes ``FOREST_FRIEND_SHARE_PERCENT`` of a ripe ball the owner left (once per
    ball). Refused when the programme sets the share to 0 or ``by`` is not the owner's
    friend. Returns the grams taken."""
    require_green_user(by)
    now = now or timezone.now()
    share = settings.FOREST_FRIEND_SHARE_PERCENT
    if share <= 0:
        raise NotCollectable(_("本项目不允许收取好友的能量"), code="taking_forbidden")
    with transaction.atomic():
        ball = EnergyBall.objects.select_for_update().filter(pk=ball_id).first()
        if ball is None or not Friendship.objects.filter(user=ball.owner_id, friend=by).exists():
            raise BallNotFound(_("能量不存在"))
        _collectable(ball, now)
        if ball.taken_g:
            raise NotCollectable(_("这份能量已被好友收取过"), code="already_taken")
        grams = min(ball.remaining_g, max(1, ball.grams * share // 100))
        EnergyBall.objects.filter(pk=ball.pk).update(
            remaining_g=F("remaining_g") - grams, taken_g=grams
        )
        EnergyEntry.objects.bulk_create(
            [
                EnergyEntry(
                    user_id=ball.owner_id, kind=EntryKind.TAKEN, pending_g=-grams, ball=ball, at=now
                ),
                EnergyEntry(user=by, kind=EntryKind.TAKEN, balance_g=grams, ball=ball, at=now),
            ]
        )
        ensure_account(by.pk)
        # Lock the two accounts in key order: two friends taking from each other never deadlock.
        for pk in sorted({ball.owner_id, by.pk}):
            if pk == ball.owner_id:
                EnergyAccount.objects.filter(pk=pk).update(pending_g=F("pending_g") - grams)
            if pk == by.pk:
                EnergyAccount.objects.filter(pk=pk).update(balance_g=F("balance_g") + grams)
    return grams


def expire_energy(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """The sweep (a system job, ``tuopin forest expire``): every ball past ``expires_at`` with
    energy left loses it, one ``expired`` line each, and the owners' pending sums fall by
    their lines in one UPDATE. Set-based. Returns (balls, grams)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = EnergyBall.objects.select_for_update().filter(expires_at__lte=now, remaining_g__gt=0)
        rows = list(due.values_list("pk", "owner_id", "remaining_g"))
        if not rows:
            return 0, 0
        EnergyBall.objects.filter(pk__in=[r[0] for r in rows]).update(remaining_g=0)
        EnergyEntry.objects.bulk_create(
            EnergyEntry(user_id=owner, kind=EntryKind.EXPIRED, pending_g=-g, ball_id=pk, at=now)
            for pk, owner, g in rows
        )
        # F() on the latest row version plus this sweep's own lines (``at=now``): a report
        # landing meanwhile on the same account is kept.
        swept = (
            EnergyEntry.objects.filter(user=OuterRef("pk"), kind=EntryKind.EXPIRED, at=now)
            .values("user")
            .annotate(s=Sum("pending_g"))
            .values("s")
        )
        EnergyAccount.objects.filter(pk__in={r[1] for r in rows}).update(
            pending_g=F("pending_g") + Coalesce(Subquery(swept), 0)
        )
    return len(rows), sum(r[2] for r in rows)


# The report's figures: a bus ride 80 g, a subway ride 52 g, a bill paid online 5 g, walking
# 1 g per 100 steps up to 296 g a day (the closed app's public rules).
STANDARD_TYPES = [
    ("bus", "公交出行", "次", 80, 1, None, 20),
    ("subway", "地铁出行", "次", 52, 1, None, 20),
    ("bill", "生活缴费", "笔", 5, 1, 50, 20),
    ("walk", "步行", "步", 1, 100, 296, 100_000),
]


def seed_action_types() -> list[ActionType]:
    """Create the standard action types if missing (idempotent); the operator edits them in
    the admin. Returns them."""
    out = []
    for code, name, unit, grams, per, cap, most in STANDARD_TYPES:
        kind, _created = ActionType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "grams": grams,
                "per_units": per,
                "daily_cap_g": cap,
                "max_units": most,
            },
        )
        out.append(kind)
    return out
