"""Reads of the insurance app: the access layer for people's cover, the funds, and the public
aggregates by county.

Everything about people checks the permission (``insurance.view_policy`` and
``registry.view_person``) and the scope (``accounts.scoping``); the aggregates hold no
personal data. Programme progress for operators and observers is in :mod:`.progress`.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.areas.models import Area, Level
from tuopin.charity.models import Campaign, Refund
from tuopin.core.masking import age_on
from tuopin.registry import selectors as registry
from tuopin.registry.choices import MemberStatus, Relation, Sex
from tuopin.registry.models import Person

from . import limits, rules
from .eligibility import years_before
from .errors import PolicyNotFound
from .models import (
    Benefit,
    CoverageItem,
    ExitReason,
    Payout,
    Policy,
    PolicyStatus,
    PremiumPayment,
    Programme,
    parse_policy_number,
    policy_number,
)
from .village_rows import (
    PERSON_FIELDS,
    RAW_BIRTH_DATE,
    RAW_PERIOD_START,
    person_of,
    policy_of,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

    AnyUser = User | AnonymousUser

# -- money -------------------------------------------------------------------------------


def campaign_funds(campaign: Campaign) -> dict[str, int]:
    """Where a campaign's money stands, in fen: raised, refunded, spent on premiums, paid out
    on claims by the programmes it funds, and what is still available for premiums."""
    raised = campaign.donations.aggregate(s=Sum("amount_fen"), n=Count("id"))
    refunded = Refund.objects.filter(donation__campaign=campaign).aggregate(s=Sum("amount_fen"))
    premiums = PremiumPayment.objects.filter(campaign=campaign).aggregate(
        s=Sum("amount_fen"), n=Sum("people")
    )
    paid = Payout.objects.filter(policy__programme__campaign=campaign).aggregate(
        s=Sum("amount_fen"), n=Count("id")
    )
    net = (raised["s"] or 0) - (refunded["s"] or 0)
    return {
        "raised_fen": raised["s"] or 0,
        "donations": raised["n"] or 0,
        "refunded_fen": refunded["s"] or 0,
        "net_fen": net,
        "premiums_fen": premiums["s"] or 0,
        "insured": premiums["n"] or 0,
        "payouts_fen": paid["s"] or 0,
        "payouts": paid["n"] or 0,
        "available_fen": net - (premiums["s"] or 0),
    }


def used_fen(policy_id: int, benefit: str) -> int:
    """What has been paid on one benefit of one policy (a policy covers one period)."""
    total = Payout.objects.filter(policy_id=policy_id, benefit=benefit).aggregate(
        s=Sum("amount_fen")
    )["s"]
    return int(total or 0)


# -- people's cover (scoped) -------------------------------------------------------------


VIEW_POLICY = "insurance.view_policy"


def may_view_cover(user: AnyUser) -> bool:
    """Whether ``user`` may see people's cover at all (then only within their scope)."""
    return permissions.has(user, VIEW_POLICY) and permissions.has(user, "registry.view_person")


def _require_cover(user: AnyUser) -> None:
    permissions.require(user, VIEW_POLICY, _("没有查看保障的权限"))
    permissions.require(user, "registry.view_person", _("没有查看保障的权限"))


def villages_for(user: AnyUser, *, q: str = "") -> QuerySet[Area]:
    """Villages in scope whose cover the user may see, by name (contains)."""
    _require_cover(user)
    qs = scoping.scope(Area.objects.filter(level=Level.VILLAGE), user, "code")
    if q.strip():
        qs = qs.filter(name__contains=q.strip())
    return qs.order_by("code")


@dataclass
class BenefitLine:
    benefit: str
    label: str
    per_claim_limit_fen: int
    yearly_limit_fen: int
    used_fen: int
    remaining_fen: int


@dataclass
class PolicyLine:
    policy_no: str
    programme: str
    programme_name: str
    period_start: dt.date
    status: str
    status_label: str
    exit_reason: str
    benefits: list[BenefitLine] = field(default_factory=list)


@dataclass
class Villager:
    person: Person
    age: int
    sex: str = ""  # labels resolved once per page: get_FOO_display() costs ~0.1 ms a call
    relation: str = ""
    status: str = ""
    policies: list[PolicyLine] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


@dataclass
class Gap:
    """A programme the villager has no policy in this period, and why (``rules.REASONS``
    or ``rules.ELIGIBLE``: enrolled at the next run)."""

    programme: str
    programme_name: str
    reason: str
    label: str


def reason_label(reason: str, programme: Programme) -> str:
    if reason == "age":
        return _("年龄不符（%(a)s–%(b)s 岁）") % {"a": programme.min_age, "b": programme.max_age}
    labels = {
        "left": _("已离户（死亡或迁出）"),
        "sex": _("性别不符"),
        "household_status": _("户状态不符"),
        "county": _("所在县不在项目范围"),
        rules.ELIGIBLE: _("符合条件，下次参保时纳入"),
    }
    return labels.get(reason, reason)


def choice_labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


@dataclass
class VillageCover:
    village: Area
    on: dt.date
    programmes: list[Programme]
    villagers: list[Villager]  # the page asked for (every match without a limit)
    total: int = 0  # people matching the search, on every page
    # For the cards, over every match: with an active policy (in any programme, and per
    # programme slug); listing the uninsured, how many the next run enrols (any, per slug).
    active: int = 0
    active_in: dict[str, int] = field(default_factory=dict)
    eligible: int = 0
    eligible_in: dict[str, int] = field(default_factory=dict)


def _current(qs: QuerySet[Policy], on: dt.date) -> QuerySet[Policy]:
    """Policies whose one-year period contains ``on``."""
    return qs.filter(period_start__lte=on, period_start__gt=years_before(on, 1))


def _lines(
    policies: list[Policy],
    used: dict[tuple[int, str], int],
    items: dict[int, list[CoverageItem]] | None = None,
    programmes: dict[int, Programme] | None = None,
) -> dict[int, list[Any]]:
    """Policy lines with what remains of each benefit, keyed by person id. ``programmes``
    by id, when given, saves a join (policies are then fetched without their programme)."""
    if items is None:
        items = defaultdict(list)
        for item in CoverageItem.objects.filter(
            programme_id__in={p.programme_id for p in policies}
        ).order_by("programme_id", "id"):
            items[item.programme_id].append(item)
    out: dict[int, list[Any]] = defaultdict(list)
    status_labels = choice_labels(PolicyStatus.choices)
    exit_labels = choice_labels(ExitReason.choices)
    benefit_labels = choice_labels(Benefit.choices)
    for policy in policies:
        programme = programmes[policy.programme_id] if programmes else policy.programme
        line = PolicyLine(
            policy_number(programme.slug, policy.period_start, policy.person_id),
            programme.slug,
            programme.name,
            policy.period_start,
            policy.status,
            status_labels.get(policy.status, policy.status),
            exit_labels.get(policy.exit_reason, ""),
        )
        for item in items[policy.programme_id]:
            spent = used.get((policy.pk, item.benefit), 0)
            line.benefits.append(
                BenefitLine(
                    item.benefit,
                    benefit_labels.get(item.benefit, item.benefit),
                    item.per_claim_limit_fen,
                    item.yearly_limit_fen,
                    spent,
                    limits.remaining(limits.Limits.of(item), spent)
                    if policy.status == PolicyStatus.ACTIVE
                    else 0,
                )
            )
        out[policy.person_id].append(line)
    return out


def village_cover(
    user: AnyUser,
    village_code: str,
    *,
    q: str = "",
    on: dt.date | None = None,
    uncovered: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> VillageCover:
    """Villagers with each programme's cover this period and what remains of each benefit:
    those whose name contains ``q`` (``uncovered``: only those without an active policy),
    ``limit`` of them from ``offset`` in household order (every one without a limit), with
    counts over every match. A fixed number of queries whatever the village's size or the
    page.

    The counts are one aggregate in SQL; people, reasons, policies and payouts are read only
    for the page (bench/README.md, issue 19).
    """
    _require_cover(user)
    if not scoping.covers(user, village_code):
        raise PolicyNotFound(_("村不存在"))
    village = Area.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        raise PolicyNotFound(_("村不存在"))
    on = on or timezone.localdate()
    current = _current(Policy.objects.filter(village_code=village_code), on)
    # The programmes with cover in the village (with the latest period of its policies
    # there: the period a programme's reasons are judged for, else today), and those
    # running today (whose rule may leave someone out).
    latest = current.filter(programme_id=OuterRef("pk")).order_by("-period_start")
    programmes: list[Programme] = list(
        Programme.objects.annotate(village_period=Subquery(latest.values("period_start")[:1]))
        .filter(Q(village_period__isnull=False) | Q(starts_on__lte=on, ends_on__gte=on))
        .prefetch_related("coverage")
        .order_by("name")
    )
    people = Person.objects.filter(village_code=village_code)
    if q.strip():
        people = people.filter(name__contains=q.strip())

    # A person's policies by the person (the unique index that leads with the person): with
    # the village's condition too, SQLite probed the village index instead and read every
    # policy of the village once per villager (13 s for 2,000 people).
    theirs = _current(Policy.objects.all(), on)

    def policy_in(prog: Programme | None = None, *, active: bool = True) -> Exists:
        mine = theirs.filter(person_id=OuterRef("pk"))
        if prog is not None:
            mine = mine.filter(programme_id=prog.pk)
        return Exists(mine.filter(status=PolicyStatus.ACTIVE) if active else mine)

    if uncovered:  # 落实保险: who in the village still has no active policy
        people = people.filter(~policy_in())
    # Why someone has no policy in a programme: the first condition of the rule enrollment
    # uses that the person fails (no query of its own).
    reasons = {
        # Every value in the SQL is a parameter; the column name is a constant.
        f"reason_{prog.pk}": RawSQL(  # noqa: S611
            *rules.person_reason_sql(
                prog, getattr(prog, "village_period", None) or on, '"registry_person"."id"'
            )
        )
        for prog in programmes
    }
    counts: dict[str, Any] = {"total": Count("id")}
    if uncovered:  # how many the next run enrols: eligible, and no policy in the programme
        eligible: dict[str, Q] = {
            prog.slug: Q(**{f"reason_{prog.pk}": rules.ELIGIBLE})
            & Q(~policy_in(prog, active=False))
            for prog in programmes
        }
        counts |= {f"eligible_{slug}": Count("id", filter=c) for slug, c in eligible.items()}
        if eligible:
            any_of: Q = functools.reduce(operator.or_, eligible.values())
            counts["eligible"] = Count("id", filter=any_of)
        figures = people.annotate(**reasons).aggregate(**counts)
    else:
        counts["active"] = Count("id", filter=policy_in())
        counts |= {
            f"active_{prog.slug}": Count("id", filter=policy_in(prog)) for prog in programmes
        }
        figures = people.aggregate(**counts)
    cover = VillageCover(village, on, programmes, [], total=figures["total"])
    cover.active = figures.get("active") or 0
    cover.eligible = figures.get("eligible") or 0
    for prog in programmes:
        if figures.get(f"active_{prog.slug}"):
            cover.active_in[prog.slug] = figures[f"active_{prog.slug}"]
        if figures.get(f"eligible_{prog.slug}"):
            cover.eligible_in[prog.slug] = figures[f"eligible_{prog.slug}"]
    ordered = people.order_by("household__household_no", "id")
    end = None if limit is None else offset + limit
    if offset == 0 and end is None:
        page_people = ordered
    else:  # the page's ids first, so that the reasons are computed for its rows alone
        page_people = Person.objects.filter(pk__in=ordered.values("pk")[offset:end]).order_by(
            "household__household_no", "id"
        )
    page = list(
        page_people.annotate(birth=RAW_BIRTH_DATE, **reasons).values_list(*PERSON_FIELDS, *reasons)
    )
    if not page:
        return cover
    policy_rows, used = _page_policies(theirs, [r[0] for r in page])
    lines = _lines(
        [policy_of(r) for r in policy_rows],
        used,
        {p.pk: sorted(p.coverage.all(), key=lambda c: c.pk) for p in programmes},
        {p.pk: p for p in programmes},
    )
    sex_labels, relation_labels, status_labels = (
        choice_labels(Sex.choices),
        choice_labels(Relation.choices),
        choice_labels(MemberStatus.choices),
    )
    first_reason = len(PERSON_FIELDS)
    for r in page:
        person = person_of(r)
        v = Villager(
            person,
            age_on(person.birth_date, on),
            sex_labels.get(person.sex, ""),
            relation_labels.get(person.relation, ""),
            status_labels.get(person.status, ""),
        )
        v.policies = lines.get(person.pk, [])
        mine = {line.programme for line in v.policies}
        for i, prog in enumerate(programmes):  # by name, as the cards
            if prog.slug not in mine:
                reason = r[first_reason + i]
                v.gaps.append(Gap(prog.slug, prog.name, reason, reason_label(reason, prog)))
        cover.villagers.append(v)
    return cover


def _page_policies(
    current: QuerySet[Policy], person_ids: list[int]
) -> tuple[list[tuple[Any, ...]], dict[tuple[int, str], int]]:
    """The page's policies this period (as ``policy_of`` rows, by programme and period) and
    what each has paid per benefit, in one query: a row per policy and paid benefit."""
    rows = (
        current.filter(person_id__in=person_ids)
        .annotate(start=RAW_PERIOD_START)
        .values_list("id", "person_id", "programme_id", "start", "status", "exit_reason")
        .annotate(benefit=F("payouts__benefit"), paid=Sum("payouts__amount_fen"))
        .order_by("programme_id", "period_start", "id")
    )
    policies: dict[int, tuple[Any, ...]] = {}
    used: dict[tuple[int, str], int] = {}
    for *policy, benefit, paid in rows:
        policies.setdefault(policy[0], tuple(policy))
        if benefit is not None:
            used[(policy[0], benefit)] = int(paid)
    return list(policies.values()), used


@dataclass
class PersonCover:
    person: Person
    age: int
    policies: list[PolicyLine]
    payouts: list[Payout]
    policy_objects: list[Policy]


def person_cover(user: AnyUser, person_id: int, *, on: dt.date | None = None) -> PersonCover:
    """One villager's policies (every period) and payouts; out of scope is not found."""
    _require_cover(user)
    person = registry.people_for(user).filter(pk=person_id).first()
    if person is None:
        raise PolicyNotFound(_("此人不存在"))
    on = on or timezone.localdate()
    policies = list(
        Policy.objects.filter(person=person)
        .select_related("programme")
        .order_by("-period_start", "programme__name")
    )
    payouts = list(Payout.objects.filter(policy__person=person).select_related("policy__programme"))
    used: dict[tuple[int, str], int] = defaultdict(int)
    for x in payouts:  # one person's payouts: a handful
        used[(x.policy_id, x.benefit)] += x.amount_fen
    return PersonCover(
        person, age_on(person.birth_date, on), _lines(policies, used)[person.pk], payouts, policies
    )


def policies_for(user: AnyUser) -> QuerySet[Policy]:
    """Policies whose holder lies in the user's scope (the back office's list)."""
    _require_cover(user)
    return scoping.scope(Policy.objects.all(), user, "village_code")


def payouts_for(user: AnyUser) -> QuerySet[Payout]:
    """Payouts on policies whose holder lies in the user's scope."""
    _require_cover(user)
    return scoping.scope(Payout.objects.all(), user, "village_code")


def get_policy_for(user: AnyUser, policy_no: str, *, for_update: bool = False) -> Policy:
    """A policy by its number, if the holder lies in the user's scope; else not found."""
    _require_cover(user)  # before parsing
    parsed = parse_policy_number(policy_no)
    missing = PolicyNotFound(_("保单不存在：%(n)s") % {"n": policy_no})
    if parsed is None:
        raise missing
    slug, period_start, person_id = parsed
    qs = policies_for(user).select_related("programme")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    policy = qs.filter(programme__slug=slug, period_start=period_start, person_id=person_id).first()
    if policy is None:
        raise missing
    return policy


# -- aggregates (no personal data) -------------------------------------------------------


@dataclass
class CountyCover:
    code: str
    name: str
    insured: int
    exited: int
    longitude: Decimal | None
    latitude: Decimal | None


def insured_by_county(
    *, programmes: list[Programme] | QuerySet[Programme], period_start: dt.date | None = None
) -> list[CountyCover]:
    """Active and exited policies per county: one grouped query and one for the names."""
    qs = Policy.objects.filter(programme__in=programmes)
    if period_start is not None:
        qs = qs.filter(period_start=period_start)
    rows = (
        qs.annotate(county=Substr("village_code", 1, 6))
        .values("county")
        .annotate(
            insured=Count("id", filter=Q(status=PolicyStatus.ACTIVE)),
            exited=Count("id", filter=Q(status=PolicyStatus.EXITED)),
        )
        .order_by("county")
    )
    counts = {r["county"]: r for r in rows}
    areas = {a.code[:6]: a for a in Area.objects.filter(code__in=[c + "000000" for c in counts])}
    out = []
    for county, r in counts.items():
        area = areas.get(county)
        out.append(
            CountyCover(
                county + "000000",
                area.name if area else county,
                r["insured"],
                r["exited"],
                area.longitude if area else None,
                area.latitude if area else None,
            )
        )
    return sorted(out, key=lambda c: -c.insured)
