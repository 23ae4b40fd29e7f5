"""A claim's states and the transitions between them, as data, checked in one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.core.errors import DomainError


class ClaimState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("已提交")
    RECOGNISING = "recognising", gettext_lazy("识别中")
    CHECKED = "checked", gettext_lazy("待审核")
    APPROVED = "approved", gettext_lazy("已同意")
    REJECTED = "rejected", gettext_lazy("已拒绝")
    PAID = "paid", gettext_lazy("已赔付")


S = ClaimState
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.RECOGNISING}),
    S.RECOGNISING: frozenset({S.CHECKED}),
    S.CHECKED: frozenset({S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset({S.PAID}),
    S.REJECTED: frozenset(),
    S.PAID: frozenset(),
}
"""From each state, the states a claim may move to. Nothing else moves a claim."""


class BadTransition(DomainError):
    code = "bad_transition"
    status = 409


def require_transition(current: str, to: str) -> None:
    """Raise :class:`BadTransition` unless a claim in ``current`` may move to ``to``."""
    if to not in TRANSITIONS.get(current, frozenset()):
        raise BadTransition(
            _("理赔当前为“%(a)s”，不能改为“%(b)s”")
            % {"a": ClaimState(current).label, "b": ClaimState(to).label},
            detail={"from": current, "to": to},
        )
