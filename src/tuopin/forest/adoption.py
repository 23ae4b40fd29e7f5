"""Projects as finite inventory and adoption (认种/认领) without oversell.

A project's units are split over ``shards`` rows. Adopting is one transaction of conditional
UPDATEs, each of which either takes what it asks or changes nothing:

1. the per-person cap: ``holding.units + n <= cap``;
2. the energy: ``account.balance_g >= cost``;
3. the adoption (its certificate pending) and its journal line;
4. last, the inventory: one shard with ``remaining >= n``, tried in a random order so that
   concurrent adopters land on different rows (a locked, ordered pass over every shard when
   no single one has ``n`` left). Last, so that a shard row is locked only from its UPDATE
   to the commit.

Any refusal raises and the transaction rolls back whole. No row shared by every adopter is
written: the certificate's ledger entry is appended afterwards in batches (``certify``).
ADR 0013 has the design and figures.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.areas import codes

from .energy import check_key, require_green_user
from .errors import (
    BadProject,
    CapReached,
    KeyReused,
    NotEnoughEnergy,
    NotOpen,
    ProjectNotFound,
    SoldOut,
)
from .models import (
    MAX_UNITS,
    Adoption,
    EnergyAccount,
    EnergyEntry,
    EntryKind,
    Holding,
    Project,
    ProjectKind,
    ProjectStatus,
    Shard,
)

if TYPE_CHECKING:
    from tuopin.accounts.models import User

ADD = "forest.add_project"
CHANGE = "forest.change_project"
MAX_SHARDS = 256


@dataclass(frozen=True)
class Adopted:
    adoption: Adoption
    created: bool  # False when the key was already used for the same adoption


def create_project(*, by: User, project: Project) -> Project:
    """Save a new project (unsaved ``project``) and split its units over its shards.
    ``by`` needs ``forest.add_project``."""
    permissions.require(by, ADD, _("没有创建认种认养项目的权限"))
    county = project.county
    if county.level != codes.COUNTY:
        raise BadProject(_("项目须设在县级区划"), code="bad_county")
    if project.kind not in ProjectKind.values:
        raise BadProject(_("未知的项目类型"), code="bad_kind")
    if project.kind == ProjectKind.TREE and not project.species:
        raise BadProject(_("种树项目须写明树种"), code="missing_species")
    if not 0 < project.units_total <= 10**9 or not 0 < project.energy_per_unit_g <= 10**7:
        raise BadProject(_("数量和每单位能量须为正数"), code="bad_units")
    if project.per_person_cap is not None and project.per_person_cap <= 0:
        raise BadProject(_("每人上限须为正数"), code="bad_cap")
    if not 0 < project.shards <= MAX_SHARDS:
        raise BadProject(_("库存分片数须为 1 到 %(n)s") % {"n": MAX_SHARDS}, code="bad_shards")
    project.shards = min(project.shards, project.units_total)
    with transaction.atomic():
        project.save()
        base, extra = divmod(project.units_total, project.shards)
        Shard.objects.bulk_create(
            Shard(project=project, no=i, remaining=base + (1 if i < extra else 0))
            for i in range(project.shards)
        )
    return project


def open_project(*, by: User, slug: str, opens_at: dt.datetime | None = None) -> Project:
    """Open a project for adoption now or at ``opens_at`` (a flash opening). ``by`` needs
    ``forest.change_project``."""
    permissions.require(by, CHANGE, _("没有修改认种认养项目的权限"))
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise not_found(slug)
    project.opens_at = opens_at or timezone.now()
    project.status = ProjectStatus.OPEN
    project.save(update_fields=["opens_at", "status"])
    return project


def close_project(*, by: User, slug: str) -> Project:
    permissions.require(by, CHANGE, _("没有修改认种认养项目的权限"))
    n = Project.objects.filter(slug=slug).update(status=ProjectStatus.CLOSED)
    if not n:
        raise not_found(slug)
    return Project.objects.get(slug=slug)


def adopt(
    *, by: User, project_slug: str, units: int, key: str, now: dt.datetime | None = None
) -> Adopted:
    """``by`` adopts ``units`` of a project with their energy (module docstring).

    Idempotent on ``(by, key)``: the same request again answers with the first adoption; the
    key with another project or number is :class:`KeyReused`. Never takes more than remain,
    more than the per-person cap or more energy than the user has, under any concurrency.
    """
    require_green_user(by)
    key = check_key(key, BadProject)
    now = now or timezone.now()
    existing = Adoption.objects.filter(user=by, key=key).select_related("project").first()
    if existing is not None:
        return _replayed(existing, project_slug, units)
    if not isinstance(units, int) or not 0 < units <= MAX_UNITS:
        raise BadProject(_("数量须为正整数"), code="bad_units")
    project = Project.objects.filter(slug=project_slug).exclude(status=ProjectStatus.DRAFT).first()
    if project is None:
        raise not_found(project_slug)
    if not is_open(project, now):
        raise not_open(project)
    if project.per_person_cap is not None and units > project.per_person_cap:
        raise cap_reached(project)
    # A lock-free look at the shards: sold out ends here, without a transaction. (Stock only
    # comes back when a transaction fails after its shard UPDATE, its last statement.)
    shards = list(
        Shard.objects.filter(project=project, remaining__gt=0).values_list("pk", "remaining")
    )
    if sum(r for _pk, r in shards) < units:
        raise sold_out(project)
    try:
        with transaction.atomic():
            adoption = _adopt(by, project, units, key, now, shards)
    except IntegrityError:
        first = Adoption.objects.filter(user=by, key=key).select_related("project").first()
        if first is None:
            raise
        return _replayed(first, project_slug, units)
    return Adopted(adoption, created=True)


def _replayed(first: Adoption, project_slug: str, units: int) -> Adopted:
    if not same_request(first, project_slug, units):
        raise key_reused(first.key)
    return Adopted(first, created=False)


def same_request(first: Adoption, project_slug: str, units: int) -> bool:
    """Whether a request under the key of ``first`` asks for the same adoption again."""
    return first.project.slug == project_slug and first.units == units


def is_open(project: Project, now: dt.datetime) -> bool:
    return project.status == ProjectStatus.OPEN and now >= project.opens_at


# The refusals of adopting, built where they are raised or answered: the batched path
# (``flash``) builds them in the requester's thread, so each is said in its language.


def not_found(slug: str) -> ProjectNotFound:
    return ProjectNotFound(_("项目不存在：%(s)s") % {"s": slug})


def not_open(project: Project) -> NotOpen:
    return NotOpen(_("项目尚未开放或已结束"), detail={"opens_at": project.opens_at.isoformat()})


def cap_reached(project: Project) -> CapReached:
    cap = project.per_person_cap
    return CapReached(_("每人最多 %(n)s%(u)s") % {"n": cap, "u": project.unit_label})


def not_enough_energy(cost: int) -> NotEnoughEnergy:
    return NotEnoughEnergy(_("能量不足：需要 %(g)s 克") % {"g": cost}, detail={"needed_g": cost})


def sold_out(project: Project) -> SoldOut:
    return SoldOut(_("%(p)s 已被认领完") % {"p": project.name})


def key_reused(key: str) -> KeyReused:
    return KeyReused(
        _("幂等键 %(k)s 已用于另一次认种（项目或数量不同）") % {"k": key}, detail={"key": key}
    )


def _adopt(
    by: User,
    project: Project,
    units: int,
    key: str,
    now: dt.datetime,
    shards: list[tuple[int, int]],
) -> Adoption:
    cap = project.per_person_cap
    if cap is not None:
        Holding.objects.bulk_create(
            [Holding(user=by, project=project, units=0)], ignore_conflicts=True
        )
        held = Holding.objects.filter(user=by, project=project, units__lte=cap - units)
        if not held.update(units=F("units") + units):
            raise cap_reached(project)
    cost = units * project.energy_per_unit_g
    # No account row: no energy either (the UPDATE matches nothing).
    if not EnergyAccount.objects.filter(pk=by.pk, balance_g__gte=cost).update(
        balance_g=F("balance_g") - cost
    ):
        raise not_enough_energy(cost)
    adoption = Adoption.objects.create(
        project=project, user=by, units=units, energy_g=cost, key=key, created_at=now
    )
    EnergyEntry.objects.create(
        user=by, kind=EntryKind.SPENT, balance_g=-cost, adoption=adoption, at=now
    )
    _take(project, units, [pk for pk, r in shards if r >= units])
    return adoption


def _take(project: Project, units: int, candidates: list[int]) -> None:
    """Take ``units`` from the project's shards or raise :class:`SoldOut` (module docstring).

    ``candidates`` come from a read without a lock: they only pick where to try; the
    conditional UPDATE decides (on PostgreSQL it waits for a concurrent taker of the row and
    re-checks ``remaining`` on the row's new version)."""
    if candidates:
        start = secrets.randbelow(len(candidates))
        for pk in candidates[start:] + candidates[:start]:
            if Shard.objects.filter(pk=pk, remaining__gte=units).update(
                remaining=F("remaining") - units
            ):
                return
    # No single shard has enough: lock them all in order and take across them.
    rows = list(
        Shard.objects.select_for_update().filter(project=project, remaining__gt=0).order_by("no")
    )
    if sum(r.remaining for r in rows) < units:
        raise sold_out(project)
    left = units
    for row in rows:
        part = min(left, row.remaining)
        Shard.objects.filter(pk=row.pk).update(remaining=F("remaining") - part)
        left -= part
        if left == 0:
            return
