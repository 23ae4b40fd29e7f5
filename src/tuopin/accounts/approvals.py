"""Approval chains by area level (审批链), shared by every app that approves up the area tree:
field reports (``casework``) today, registry change requests (issue 18) next.

A chain is a list of area levels, finest first (``village,township,county``). Something filed
in an area passes one *step* per chain level coarser than the area itself (the village level
is the filing village's own sign-off: the cadre files for the village). At a step, only an
officer of *that level's area* decides: a user holding the deciding permission with an area
scope exactly on that area (a county officer is not a township's officer). A decision moves
the item up one step, ends it (rejected, or approved at the last step), or returns it to the
filer; a higher level may send an item it has reached back down to a lower step.

Only ``allowed_actions``/``may_decide``/``step_areas`` touch users or areas; the rest is pure.
See ``docs/adr/0009-approval-chains.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.areas import codes

from . import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

LEVEL_NAMES = {
    "province": codes.PROVINCE,
    "prefecture": codes.PREFECTURE,
    "county": codes.COUNTY,
    "township": codes.TOWNSHIP,
    "village": codes.VILLAGE,
}
LEVEL_LABELS = {
    codes.PROVINCE: _("省"),
    codes.PREFECTURE: _("市"),
    codes.COUNTY: _("县"),
    codes.TOWNSHIP: _("乡镇"),
    codes.VILLAGE: _("村"),
}


class ChainError(ValueError):
    """A chain written wrongly (for the admin's form and the seed)."""


class Status(models.TextChoices):
    PENDING = "pending", _("待审批")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("不予通过")
    APPROVED = "approved", _("已通过")


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交")
    APPROVE = "approve", _("通过")
    REJECT = "reject", _("不予通过")
    RETURN = "return", _("退回修改")
    SEND_BACK = "send_back", _("退回下级")


# What a decider may do to an item in each status (transitions as data, STYLE.md).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Action.APPROVE, Action.REJECT, Action.RETURN, Action.SEND_BACK}),
    Status.APPROVED: frozenset({Action.SEND_BACK}),
    Status.RETURNED: frozenset({Action.SUBMIT}),
    Status.REJECTED: frozenset(),
}


def parse_chain(text: str) -> tuple[int, ...]:
    """``"village,township,county"`` → ``(5, 4, 3)``: known levels, finest first, no repeats."""
    names = [n.strip().lower() for n in text.replace("，", ",").split(",") if n.strip()]
    if not names:
        raise ChainError(str(_("审批链不能为空，例如 village,township,county")))
    unknown = [n for n in names if n not in LEVEL_NAMES]
    if unknown:
        raise ChainError(str(_("未知的审批层级：%(n)s") % {"n": ", ".join(unknown)}))
    levels = tuple(LEVEL_NAMES[n] for n in names)
    if any(a <= b for a, b in zip(levels, levels[1:], strict=False)):
        raise ChainError(str(_("审批链须从下往上排列且不重复，例如 village,township,county")))
    return levels


def chain_label(text: str) -> str:
    """``"village,township,county"`` → ``"村 → 乡镇 → 县"``: the levels' names, for pages."""
    from tuopin.areas.models import Level

    try:
        levels = parse_chain(text)
    except ChainError:
        return text
    return " → ".join(str(Level(level).label) for level in levels)


def chain_text(levels: Sequence[int]) -> str:
    by_level = {v: k for k, v in LEVEL_NAMES.items()}
    return ",".join(by_level[lvl] for lvl in levels)


def area_at(code: str, level: int) -> str:
    """The code of the area of ``level`` that contains ``code``."""
    return code[: codes.PREFIX_LENGTH[level]].ljust(12, "0")


def step_areas(area_code: str, levels: Sequence[int]) -> list[str]:
    """The area deciding each step for something filed in ``area_code``: one per chain level
    coarser than the area itself (the filing area's own level is its filing)."""
    own = codes.level_of(area_code)
    return [area_at(area_code, lvl) for lvl in levels if lvl < own]


@dataclass(frozen=True)
class Step:
    index: int  # 0-based step; len(steps) means past the last one (approved)
    area_code: str


def current_step(steps: Sequence[str], index: int) -> Step | None:
    return Step(index, steps[index]) if 0 <= index < len(steps) else None


def after_approval(steps: Sequence[str], index: int) -> tuple[str, int]:
    """(status, step index) once step ``index`` approves."""
    if index + 1 >= len(steps):
        return Status.APPROVED, len(steps)
    return Status.PENDING, index + 1


def reached(status: str, index: int, steps: Sequence[str]) -> int:
    """How far up the chain an item stands: its step, or past the last once approved."""
    return len(steps) if status == Status.APPROVED else index


def blocking_below(rows: Sequence[tuple[str, int]], level_index: int) -> int:
    """Bottom-up (DHIS2): how many items of a unit keep step ``level_index`` from approving
    the unit. ``rows`` are ``(status, step index)`` of every item filed below; rejected
    ones no longer count, everything else must stand at that step (or above)."""
    return sum(
        1
        for status, index in rows
        if status != Status.REJECTED
        and (status == Status.RETURNED or (status == Status.PENDING and index < level_index))
    )


def scope_codes(user: User | AnonymousUser) -> set[str]:
    """The exact areas the user is an officer of (not everything below them)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(user.area_scopes.values_list("area_id", flat=True))


def decider_index(user: User | AnonymousUser, steps: Sequence[str], perm: str) -> int | None:
    """The step ``user`` decides in this chain (the highest, if several), or None."""
    if not permissions.has(user, perm):
        return None
    mine = scope_codes(user)
    found = [i for i, code in enumerate(steps) if code in mine]
    return max(found) if found else None


def may_decide(user: User | AnonymousUser, area_code: str, perm: str) -> bool:
    """Whether ``user`` is an officer of ``area_code`` holding ``perm``."""
    return permissions.has(user, perm) and area_code in scope_codes(user)


def allowed_actions(
    user: User | AnonymousUser, status: str, index: int, steps: Sequence[str], perm: str
) -> frozenset[str]:
    """What ``user`` may do now: decide at the current step, or send back what has reached
    their step and not passed further up (a higher level sending down)."""
    mine = decider_index(user, steps, perm)
    if mine is None:
        return frozenset()
    out = set()
    if status == Status.PENDING and index == mine:
        out |= {Action.APPROVE, Action.REJECT, Action.RETURN}
    # Who holds it sends it down: the current step, or the last step once it is approved (a
    # level that has passed it up can no longer pull it back).
    holder = len(steps) - 1 if status == Status.APPROVED else index
    if Action.SEND_BACK in TRANSITIONS.get(status, frozenset()) and holder == mine:
        out.add(Action.SEND_BACK)
    return frozenset(out)


def send_back_targets(decider: int) -> list[int]:
    """Steps a decider at step ``decider`` may send down to; -1 means back to the filer."""
    return list(range(-1, decider))


class ChainItem(models.Model):
    """The fields every approvable item keeps: where it stands in its chain.

    ``steps`` is the comma-separated area codes of :func:`step_areas`, fixed when filed;
    ``step_area`` is the current one, indexed so that an inbox is one equality look-up.
    """

    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    steps = models.CharField(_("审批区划"), max_length=80)
    step_index = models.PositiveSmallIntegerField(_("审批步骤"), default=0)
    step_area = models.CharField(_("当前审批区划"), max_length=12, db_index=True, blank=True)

    class Meta:
        abstract = True

    @property
    def step_list(self) -> list[str]:
        return [c for c in self.steps.split(",") if c]

    def move_to(self, status: str, index: int) -> None:
        """Set status and step together (``step_area`` empty unless pending)."""
        steps = self.step_list
        self.status = status
        self.step_index = index
        self.step_area = steps[index] if status == Status.PENDING and index < len(steps) else ""
