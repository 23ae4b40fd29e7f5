"""Friends' pages (好友): add a friend, list friends, and take a share of a friend's ripe
energy when the programme allows it (``FOREST_FRIEND_SHARE_PERCENT`` above 0). Every write is
a service of ``energy``; a refusal comes back as a message on the friends page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError

from . import energy, selectors


@login_required
def friends(request: HttpRequest) -> HttpResponse:
    share = settings.FOREST_FRIEND_SHARE_PERCENT
    return render(
        request,
        "forest/friends.html",
        {"friends": selectors.friends_of(acting_user(request)), "share": share},
    )


@login_required
@require_POST
def befriend(request: HttpRequest) -> HttpResponse:
    from tuopin.accounts.models import User

    user = acting_user(request)
    name = request.POST.get("username", "").strip()
    friend = User.objects.filter(username=name, is_active=True).first() if name else None
    try:
        if friend is None:
            raise DomainError(_("没有这个用户：%(u)s") % {"u": name}, code="unknown_user")
        energy.befriend(by=user, friend=friend)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已加 %(u)s 为好友") % {"u": friend.username})
    return redirect("forest:friends")


@login_required
@require_POST
def take(request: HttpRequest) -> HttpResponse:
    try:
        ball_id = int(request.POST.get("ball", ""))
    except ValueError:
        ball_id = 0
    try:
        grams = energy.take(by=acting_user(request), ball_id=ball_id)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("收取了好友的 %(g)s 克能量") % {"g": grams})
    return redirect("forest:friends")
