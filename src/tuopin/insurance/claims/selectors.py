"""Reads of claims: the one access function, scoped by permission and by who the user is.

A cadre sees the claims of their villages (the area scope), an adjuster those of the
programmes assigned to them, an operator every claim; anyone else none. Out of scope is
exactly like missing (404).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.core.errors import NotFound

from .models import Claim, ClaimDocument

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

    AnyUser = User | AnonymousUser

VIEW = "insurance.view_claim"


class ClaimNotFound(NotFound):
    code = "claim_not_found"


def claims_for(user: AnyUser) -> QuerySet[Claim]:
    """The claims ``user`` may see (403 without ``insurance.view_claim``)."""
    permissions.require(user, VIEW, _("没有查看理赔的权限"))
    prefixes = scoping.area_prefixes(user)
    qs = Claim.objects.all()
    if prefixes is None:
        return qs
    from tuopin.insurance.models import Programme

    assigned = Programme.adjusters.through.objects.filter(user_id=user.pk or 0).values(
        "programme_id"
    )
    area = scoping.scope_q(user, "village_code") if prefixes else Q(pk__in=[])
    return qs.filter(area | Q(programme_id__in=assigned))


def get_claim_for(user: AnyUser, claim_id: int, *, for_update: bool = False) -> Claim:
    """One claim, if ``user`` may see it; else :class:`ClaimNotFound` (missing or out of
    scope alike). ``for_update`` locks the row (inside the caller's transaction)."""
    qs = claims_for(user).select_related("policy", "programme", "person", "payout")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    claim = qs.filter(pk=claim_id).first()
    if claim is None:
        raise ClaimNotFound(_("理赔不存在"))
    return claim


def get_document_for(user: AnyUser, claim_id: int, document_id: int) -> ClaimDocument:
    """A document of a claim ``user`` may see (for the photo and its overlay)."""
    claim = get_claim_for(user, claim_id)
    doc = ClaimDocument.objects.select_related("photo").filter(claim=claim, pk=document_id).first()
    if doc is None:
        raise ClaimNotFound(_("单据不存在"))
    return doc


def claim_by_token(token: str) -> Claim:
    """The claimant's status page: whoever holds the unguessable link."""
    try:
        key = uuid.UUID(str(token))
    except ValueError:
        raise ClaimNotFound(_("理赔不存在")) from None
    claim = (
        Claim.objects.select_related("programme", "payout", "policy")
        .filter(status_token=key)
        .first()
    )
    if claim is None:
        raise ClaimNotFound(_("理赔不存在"))
    return claim
