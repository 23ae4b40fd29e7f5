"""The household page's 合作社 section (``registry.panels``): the cooperatives the household is
a member of, their products and sales."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tuopin.registry.panels import Panel

from . import selectors


def household_panel(user: Any, household: Any) -> Panel | None:
    rows = selectors.memberships_of(household)
    if not rows:
        return None
    return Panel(
        title=_("合作社"),
        template="commerce/_household_panel.html",
        context={"rows": rows},
        order=60,
    )
