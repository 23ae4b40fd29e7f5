"""Running centres: open one, enrol children (with a carer) from the registry, record
sessions with attendance, home visits and development screenings; children move on at three.

Every write takes its actor and checks the permission and the centre (staff: their own
centres; officers: their area), through :func:`get_centre_for`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions, scoping
from tuopin.core.ages import years_before
from tuopin.registry import selectors as registry

from .demand import CHILD_AGE, get_county_for
from .errors import BadCentreRecord, CentreNotFound
from .models import (
    Attendance,
    Centre,
    CentreChild,
    HomeVisit,
    LeftReason,
    Outcome,
    PlanSite,
    Screening,
    Session,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

    AnyUser = User | AnonymousUser

VIEW_CENTRE = "childcare.view_centre"
SCREENING_AGES = (6, 12, 18, 24, 30, 36)  # months


def centres_for(user: AnyUser) -> QuerySet[Centre]:
    """Centres the user may see: staff their own, officers those in their area."""
    permissions.require(user, VIEW_CENTRE, _("没有查看养育中心的权限"))
    if scoping.area_prefixes(user) is None:  # nationwide (an empty Q would drop out of an OR)
        return Centre.objects.all()
    return Centre.objects.filter(
        Q(staff__pk=getattr(user, "pk", None)) | scoping.scope_q(user, "village_code")
    ).distinct()


def get_centre_for(user: AnyUser, centre_id: int) -> Centre:
    centre = centres_for(user).filter(pk=centre_id).first()
    if centre is None:
        raise CentreNotFound(_("养育中心不存在"))
    return centre


def roster(centre: Centre, on: dt.date) -> QuerySet[CentreChild]:
    """The children at the centre on ``on``: enrolled, not left, not yet three."""
    return (
        centre.children.filter(enrolled_on__lte=on, birth_date__gt=years_before(on, CHILD_AGE))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .select_related("person", "carer")
        .order_by("birth_date", "id")
    )


def _open(centre: Centre, on: dt.date) -> None:
    if on < centre.opened_on or (centre.closed_on is not None and on > centre.closed_on):
        raise BadCentreRecord(_("中心在 %(d)s 没有开放") % {"d": on}, code="centre_closed")
    if on > timezone.localdate():
        raise BadCentreRecord(_("日期不能在将来"), code="future_date")


def graduate(centre: Centre, on: dt.date) -> int:
    """Children who have turned three by ``on`` leave the centre, dated ``on``: one UPDATE.
    (The roster never shows them anyway: it compares birth dates.)"""
    return centre.children.filter(
        left_on__isnull=True, birth_date__lte=years_before(on, CHILD_AGE)
    ).update(left_on=on, left_reason=LeftReason.AGED_OUT)


def open_centre(
    *,
    by: User,
    name: str,
    county_code: str,
    village_code: str,
    opened_on: dt.date,
    plan_site: PlanSite | None = None,
    floor_area_m2: int | None = None,
    staff: list[User] | None = None,
) -> Centre:
    permissions.require(by, "childcare.add_centre", _("没有开办养育中心的权限"))
    county, _name = get_county_for(by, county_code)
    if not village_code.startswith(county[:6]):
        raise BadCentreRecord(_("村不在该县"), code="bad_village")
    if not name.strip():
        raise BadCentreRecord(_("请填写中心名称"), code="missing_name")
    with transaction.atomic():
        centre = Centre.objects.create(
            name=name.strip()[:100],
            county_code=county,
            village_code=village_code,
            plan_site=plan_site,
            floor_area_m2=floor_area_m2,
            opened_on=opened_on,
        )
        if staff:
            centre.staff.set(staff)
    return centre


def enrol_child(
    *, by: User, centre: Centre, person_id: int, carer_id: int | None, on: dt.date
) -> CentreChild:
    """Enrol a child under three of the registry (read through its access function, so an
    officer enrols only children in their area), with a carer from the same household."""
    permissions.require(by, "childcare.add_centrechild", _("没有登记入园儿童的权限"))
    centre = get_centre_for(by, centre.pk)
    _open(centre, on)
    child = registry.get_person_for(by, person_id)
    if child.birth_date > on:
        raise BadCentreRecord(_("出生日期在将来：请先核对登记信息"), code="future_birth")
    if child.birth_date <= years_before(on, CHILD_AGE):
        raise BadCentreRecord(_("只接收三岁以下的儿童"), code="too_old")
    carer = None
    if carer_id is not None:
        carer = registry.get_person_for(by, carer_id)
        if carer.household_id != child.household_id:
            raise BadCentreRecord(_("照护人应是儿童的家人"), code="bad_carer")
    try:
        with transaction.atomic():
            return CentreChild.objects.create(
                centre=centre,
                person=child,
                carer=carer,
                birth_date=child.birth_date,
                enrolled_on=on,
            )
    except IntegrityError:
        raise BadCentreRecord(_("这个孩子已在一个中心登记"), code="already_enrolled") from None


def record_session(
    *, by: User, centre: Centre, held_on: dt.date, topic: str, present: list[int]
) -> Session:
    """A session and who came: each child must be on the centre's roster that day; nobody
    twice. All or nothing."""
    permissions.require(by, "childcare.add_session", _("没有记录活动的权限"))
    centre = get_centre_for(by, centre.pk)
    _open(centre, held_on)
    if not topic.strip():
        raise BadCentreRecord(_("请填写活动内容"), code="missing_topic")
    graduate(centre, timezone.localdate())  # those who turned three leave the roster
    if len(set(present)) != len(present):
        raise BadCentreRecord(_("同一个孩子不能在一次活动中签到两次"), code="twice")
    on_roster = set(roster(centre, held_on).filter(pk__in=present).values_list("pk", flat=True))
    strangers = set(present) - on_roster
    if strangers:
        raise BadCentreRecord(
            _("有 %(n)s 个孩子不在本中心当天的名册上") % {"n": len(strangers)},
            code="not_enrolled",
        )
    with transaction.atomic():
        session = Session.objects.create(
            centre=centre, held_on=held_on, topic=topic.strip()[:100], recorded_by=by
        )
        Attendance.objects.bulk_create(Attendance(session=session, child_id=c) for c in present)
    return session


def add_attendance(*, by: User, session: Session, child_id: int) -> Attendance:
    """One more child signed in to a recorded session (refused twice, or off the roster)."""
    permissions.require(by, "childcare.add_session", _("没有记录活动的权限"))
    centre = get_centre_for(by, session.centre_id)
    _open(centre, session.held_on)
    if not roster(centre, session.held_on).filter(pk=child_id).exists():
        raise BadCentreRecord(_("这个孩子不在本中心当天的名册上"), code="not_enrolled")
    try:
        with transaction.atomic():
            return Attendance.objects.create(session=session, child_id=child_id)
    except IntegrityError:
        raise BadCentreRecord(_("这个孩子已签到"), code="twice") from None


def _child(by: User, child_id: int) -> CentreChild:
    child = CentreChild.objects.select_related("centre").filter(pk=child_id).first()
    if child is None:
        raise CentreNotFound(_("儿童不存在"))
    get_centre_for(by, child.centre_id)  # the same not-found out of scope
    return child


def record_visit(*, by: User, child_id: int, visited_on: dt.date, notes: str) -> HomeVisit:
    permissions.require(by, "childcare.add_homevisit", _("没有记录入户指导的权限"))
    child = _child(by, child_id)
    _open(child.centre, visited_on)
    return HomeVisit.objects.create(
        child=child, visited_on=visited_on, notes=notes.strip()[:2000], by=by
    )


def record_screening(
    *, by: User, child_id: int, age_months: int, screened_on: dt.date, outcomes: dict[str, str]
) -> Screening:
    """A screening at one of the set ages, within a month of the child reaching it."""
    permissions.require(by, "childcare.add_screening", _("没有记录发育筛查的权限"))
    child = _child(by, child_id)
    if age_months not in SCREENING_AGES:
        raise BadCentreRecord(
            _("筛查月龄应为 %(a)s 之一") % {"a": "、".join(map(str, SCREENING_AGES))},
            code="bad_age",
        )
    if screened_on > timezone.localdate():
        raise BadCentreRecord(_("日期不能在将来"), code="future_date")
    months = (screened_on.year - child.birth_date.year) * 12 + (
        screened_on.month - child.birth_date.month
    )
    if abs(months - age_months) > 1:
        raise BadCentreRecord(
            _("孩子在 %(d)s 是 %(m)s 个月，不是 %(a)s 个月")
            % {"d": screened_on, "m": months, "a": age_months},
            code="wrong_age",
        )
    fields = ("gross_motor", "fine_motor", "language", "social")
    if set(outcomes) != set(fields) or not set(outcomes.values()) <= set(Outcome.values):
        raise BadCentreRecord(_("请为每一项选择筛查结果"), code="bad_outcome")
    try:
        with transaction.atomic():
            return Screening.objects.create(
                child=child, age_months=age_months, screened_on=screened_on, by=by, **outcomes
            )
    except IntegrityError:
        raise BadCentreRecord(_("这个月龄的筛查已记录"), code="twice") from None
