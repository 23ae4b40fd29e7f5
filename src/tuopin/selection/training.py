"""Training cohorts (ACA cloud skills, the 魔豆妈妈 e-commerce school): trainees, sessions and
attendance, the exam, certificates with a public verification page, and job placements
followed up at 3, 6 and 12 months (ADR 0014)."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from typing import Any

import segno
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from tuopin.accounts.permissions import require

from .errors import BadCohortRecord
from .models import Certificate, Cohort, Placement, Trainee, TrainingSession

MANAGE = "selection.change_cohort"
CREATE = "selection.add_cohort"


@transaction.atomic
def create_cohort(
    *,
    slug: str,
    name: str,
    course: str,
    starts_on: dt.date,
    pass_mark: int = 60,
    min_attendance: int = 0,
    by: Any,
) -> Cohort:
    """Open a training cohort; its code (slug) is the cohort's page address and unique."""
    require(by, CREATE, _("没有开设培训班的权限"))
    slug, name, course = slug.strip(), name.strip(), course.strip()
    if not slug or not name or not course:
        raise BadCohortRecord(_("请填写培训班的代号、名称和课程"))
    if not 0 <= pass_mark <= 100:
        raise BadCohortRecord(_("及格分应在 0 到 100 之间"))
    if min_attendance < 0:
        raise BadCohortRecord(_("最低出勤次数不能为负"))
    if Cohort.objects.filter(slug=slug).exists():
        raise BadCohortRecord(_("代号为 %(slug)s 的培训班已经存在") % {"slug": slug})
    return Cohort.objects.create(
        slug=slug,
        name=name[:100],
        course=course[:100],
        starts_on=starts_on,
        pass_mark=pass_mark,
        min_attendance=min_attendance,
    )


@transaction.atomic
def enrol(*, cohort: Cohort, people: list[tuple[str, str]], by: Any) -> list[Trainee]:
    """Enrol trainees (name, area code) in one statement."""
    require(by, MANAGE)
    return Trainee.objects.bulk_create(
        Trainee(cohort=cohort, name=n[:50], area_code=a) for n, a in people
    )


@transaction.atomic
def record_session(
    *, cohort: Cohort, held_on: dt.date, topic: str, present: list[int], by: Any
) -> TrainingSession:
    """One session and who attended; attendance counts are updated set-based."""
    require(by, MANAGE)
    known = set(cohort.trainees.filter(pk__in=present).values_list("pk", flat=True))
    unknown = sorted(set(present) - known)
    if unknown:
        raise BadCohortRecord(_("这些学员不在本班：%(ids)s") % {"ids": unknown})
    session = TrainingSession.objects.create(cohort=cohort, held_on=held_on, topic=topic[:100])
    session.present.set(known)
    Trainee.objects.filter(pk__in=known).update(attended=F("attended") + 1)
    return session


@transaction.atomic
def record_exam(*, cohort: Cohort, scores: dict[int, int], by: Any) -> int:
    require(by, MANAGE)
    bad = {k: v for k, v in scores.items() if not 0 <= int(v) <= 100}
    if bad:
        raise BadCohortRecord(_("考试成绩应在0到100之间：%(b)s") % {"b": bad})
    trainees = list(cohort.trainees.filter(pk__in=scores))
    if len(trainees) != len(scores):
        raise BadCohortRecord(_("有学员不在本班"))
    for t in trainees:
        t.exam_score = int(scores[t.pk])
    Trainee.objects.bulk_update(trainees, ["exam_score"])
    return len(trainees)


@transaction.atomic
def issue_certificates(*, cohort: Cohort, on: dt.date, by: Any) -> int:
    """A certificate for everyone who passed the exam and attended enough, once each."""
    require(by, MANAGE)
    due = cohort.trainees.filter(
        exam_score__gte=cohort.pass_mark,
        attended__gte=cohort.min_attendance,
        certificate__isnull=True,
    ).values_list("pk", flat=True)
    made = Certificate.objects.bulk_create(
        Certificate(number=f"{on.year}{secrets.token_hex(4).upper()}", trainee_id=pk, issued_on=on)
        for pk in due
    )
    return len(made)


@transaction.atomic
def follow_up(
    *,
    trainee: Trainee,
    months: int,
    employed: bool,
    employer: str = "",
    wage_band: str = "",
    by: Any,
) -> Placement:
    require(by, MANAGE)
    if months not in (3, 6, 12):
        raise BadCohortRecord(_("随访月份只能是3、6或12"))
    placement, _created = Placement.objects.update_or_create(
        trainee=trainee,
        months=months,
        defaults={"employed": employed, "employer": employer[:100], "wage_band": wage_band[:20]},
    )
    return placement


def cohort_summary(cohort: Cohort) -> dict[str, Any]:
    """Counts for the cohort page: enrolled, passed, certified, employed at 3/6/12 months."""
    t = cohort.trainees.aggregate(
        enrolled=Count("pk"),
        passed=Count("pk", filter=Q(exam_score__gte=cohort.pass_mark)),
        certified=Count("certificate"),
    )
    follow = (
        Placement.objects.filter(trainee__cohort=cohort)
        .values("months")
        .annotate(seen=Count("pk"), employed=Count("pk", filter=Q(employed=True)))
    )
    return t | {"placements": {r["months"]: r for r in follow}, "sessions": cohort.sessions.count()}


def mask_name(name: str) -> str:
    """The family name and one star per other character (张*, 欧阳**: two-character family
    names are rare enough that the first character is kept only)."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def verification(cert: Certificate) -> dict[str, Any]:
    """What the public verification page shows: no full name, no area."""
    t = cert.trainee
    return {
        "number": cert.number,
        "holder": mask_name(t.name),
        "course": t.cohort.course,
        "cohort": t.cohort.name,
        "issued_on": cert.issued_on.isoformat(),
    }


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url`` (no file, nothing downloaded)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()
