"""The village view's rows, built in Python: a 2,000-person village is ~50,000 template
variable look-ups otherwise, which took most of the page's time (bench/README.md)."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tuopin.core.templatetags.money import yuan

from ..selectors import VillageCover, Villager

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
    # Each programme the villager is not in, and why (the rule enrollment uses).
    gaps = "".join(
        f'<div class="policy gap"><b>{escape(g.programme_name)}</b> '
        f'<span class="badge {"returned" if g.reason == "eligible" else "muted"}">'
        f"{escape(labels['none'])}</span> <small>{escape(g.label)}</small></div>"
        for g in v.gaps
    )
    cover = "".join(policies) + gaps
    if not cover:
        cover = f'<span class="muted">{escape(labels["none"])}</span>'
    return mark_safe(  # noqa: S308 - every interpolated value above is escaped
        f'<tr><td class="lead" data-label="{escape(labels["name"])}">'
        f'<a href="{escape(villager_url)}{person.pk}/">{escape(person.name)}</a>{badge}</td>'
        f'<td data-label="{escape(labels["household"])}">'
        f"{escape(person.household.head_name)} · {escape(v.relation)}</td>"
        f'<td data-label="{escape(labels["age"])}">{v.age} {escape(v.sex)}</td>'
        f'<td data-label="{escape(labels["cover"])}">{cover}</td></tr>'
    )


def cards(cover: VillageCover, *, filtered: bool, uncovered: bool) -> list[tuple[int, str]]:
    """The counts above the table, each about every person the search finds (on every page):
    how many, how many with an active policy (or, listing the uninsured, how many the next
    run will enrol), and per programme the same."""
    people = _("未参保的人") if uncovered else _("查到的人") if filtered else _("在册人口")
    out = [(cover.total, str(people))]
    if uncovered:
        out.append((cover.eligible, str(_("下次参保时纳入"))))
        for p in cover.programmes:
            n = cover.eligible_in.get(p.slug, 0)
            out.append((n, str(_("%(name)s · 待纳入") % {"name": p.name})))
        return out
    out.append((cover.active, str(_("有有效保单"))))
    for p in cover.programmes:
        out.append((cover.active_in.get(p.slug, 0), p.name))
    return out
