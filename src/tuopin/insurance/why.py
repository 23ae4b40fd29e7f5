"""Insurance's answer to "why (not) eligible" (``registry.eligibility``): each running
programme's rule checked for one person, condition by condition, from the same
``rules.rule_conditions`` that enrollment and the village view use, with the village view's
labels (``selectors.reason_label``). One query per programme."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from tuopin.registry.eligibility import Check, Verdict

from . import rules, selectors
from .models import Policy, Programme


def condition_label(reason: str, programme: Programme) -> str:
    """What a condition of the rule asks (the positive side of ``reason_label``)."""
    if reason == "age":
        return _("年龄 %(a)s–%(b)s 岁") % {"a": programme.min_age, "b": programme.max_age}
    labels = {
        "left": _("在册（未死亡、未迁出）"),
        "sex": _("性别符合"),
        "household_status": _("户的贫困状态符合"),
        "county": _("所在县在项目范围内"),
    }
    return labels.get(reason, reason)


def _period(programme: Programme, person: Any, on: dt.date) -> dt.date:
    """As the village view: the period of the programme's policies in the village, else ``on``."""
    found = (
        Policy.objects.filter(
            programme=programme, village_code=person.village_code, period_start__lte=on
        )
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    return found or on


def person_verdicts(user: Any, person: Any, on: dt.date) -> list[Verdict]:
    selectors._require_cover(user)
    out = []
    for programme in Programme.objects.filter(starts_on__lte=on, ends_on__gte=on).order_by("name"):
        conditions = rules.rule_conditions(programme, _period(programme, person, on))
        columns = ", ".join(f"CASE WHEN ({cond}) THEN 1 ELSE 0 END" for _r, cond, _p in conditions)
        params = [x for _r, _c, ps in conditions for x in ps]
        sql = (
            f"SELECT {columns} FROM registry_person p"  # noqa: S608 - values are params
            + rules._HOUSEHOLD.replace(" JOIN", " LEFT JOIN")
            + rules._COUNTY.replace(" JOIN", " LEFT JOIN")
            + " WHERE p.id = %s"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [*params, person.pk])
            row = cur.fetchone()
        checks = [
            Check(
                reason,
                condition_label(reason, programme),
                bool(ok),
                selectors.reason_label(reason, programme),
            )
            for (reason, _c, _p), ok in zip(conditions, row, strict=True)
        ]
        out.append(Verdict(programme.slug, programme.name, checks))
    return out
