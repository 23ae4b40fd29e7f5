"""``{% nav_links as links %}``: the nav items of the user in the context (accounts.navigation)."""

from __future__ import annotations

from typing import Any

from django import template

from tuopin.accounts import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_links(context: Any) -> list[navigation.NavLink]:
    request = context.get("request")
    path = getattr(request, "path", "") or ""
    return navigation.items_for(navigation.user_from_context(context), path)
