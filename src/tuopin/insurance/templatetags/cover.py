"""The village view's rows, built in Python: a 2,000-person village is ~50,000 template
variable look-ups otherwise, which took most of the page's time (bench/README.md)."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tuopin.core.templatetags.money import yuan

from ..selectors import Villager

register = template.Library()


@register.simple_tag
def villager_row(v: Villager, villager_url: str, labels: dict[str, str]) -> SafeString:
    """One ``<tr>`` of the village view; every value escaped."""
    person = v.person
    badge = (
        f' <span class="badge returned">{escape(v.status)}</span>'
        if person.status != "present"
        else ""
    )
    policies = []
    for pl in v.policies:
        active = pl.status == "active"
        reason = f"·{escape(pl.exit_reason)}" if pl.exit_reason else ""
        limits = ""
        if active:
            limits = (
                "<br><small>"
                + "；".join(
                    f"{escape(b.label)} {yuan(b.remaining_fen)}/{yuan(b.yearly_limit_fen)}"
                    for b in pl.benefits
                )
                + "</small>"
            )
        policies.append(
            f'<div class="policy"><b>{escape(pl.programme_name)}</b> '
            f'<span class="badge {"lifted" if active else "returned"}">'
            f"{escape(pl.status_label)}{reason}</span> <code>{escape(pl.policy_no)}</code>"
            f"{limits}</div>"
        )
    cover = "".join(policies) or f'<span class="muted">{escape(labels["none"])}</span>'
    return mark_safe(  # noqa: S308 - every interpolated value above is escaped
        f'<tr><td class="lead" data-label="{escape(labels["name"])}">'
        f'<a href="{escape(villager_url)}{person.pk}/">{escape(person.name)}</a>{badge}</td>'
        f'<td data-label="{escape(labels["household"])}">'
        f"{escape(person.household.head_name)} · {escape(v.relation)}</td>"
        f'<td data-label="{escape(labels["age"])}">{v.age} {escape(v.sex)}</td>'
        f'<td data-label="{escape(labels["cover"])}">{cover}</td></tr>'
    )
