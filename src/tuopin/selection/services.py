"""Writes of the selection app: programmes, applications and nominations with evidence,
reviewer assignment, conflict-of-interest declarations, rubric scores and their
normalisation (ADR 0014). The committee's selection and publication are in ``committee``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts.permissions import require
from tuopin.areas import codes
from tuopin.areas import selectors as areas
from tuopin.documents.evidence import store_photo
from tuopin.registry import selectors as registry

from . import assignment as assigning
from . import eligibility, normalise
from .errors import BadApplication, BadScore, ConflictOfInterest, MissingEvidence, NoDeclaration
from .models import Application, Assignment, Evidence, Programme, ReviewerProfile, Status


def save_programme(*, programme: Programme, by: Any) -> Programme:
    require(by, "selection.add_programme" if programme.pk is None else "selection.change_programme")
    programme.full_clean()
    programme.save()
    return programme


def county_facts(area_code: str) -> dict[str, Any]:
    """What quotas and eligibility read about a place: province, prefecture, county and the
    county's kind (``poor``: national poor county; ``provincial``; ``other``; None: unknown)."""
    code = codes.normalise(area_code) if area_code else ""
    county = code[:6] + "000000" if len(code) == 12 else ""
    found = areas.areas_by_codes([county]).get(county) if county else None
    kind = None
    if found is not None:
        kind = "poor" if found.national_poor else "provincial" if found.provincial_poor else "other"
    return {"province": code[:2], "prefecture": code[:4], "county": code[:6], "county_kind": kind}


def _registry_facts(person: Any) -> dict[str, Any]:
    if person is None:
        return {}
    return {
        "disabled": person.health == "disabled",
        "serious_illness": person.health == "serious",
        "sex": "female" if person.sex == "F" else "male" if person.sex == "M" else person.sex,
    }


def _clean_answers(programme: Programme, answers: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    missing, bad = [], []
    for f in programme.form_fields:
        name, kind = f["name"], f.get("kind", "text")
        raw = answers.get(name)
        if raw in (None, ""):
            if f.get("required"):
                missing.append(f.get("label", name))
            continue
        if kind == "integer":
            try:
                out[name] = int(str(raw).strip())
            except ValueError:
                bad.append(f.get("label", name))
                continue
        elif kind == "boolean":
            out[name] = eligibility._truthy(raw)
        else:
            out[name] = str(raw).strip()[:500]
    if missing:
        raise BadApplication(
            _("请填写：%(f)s") % {"f": "、".join(missing)}, detail={"missing": missing}
        )
    if bad:
        raise BadApplication(_("应为整数：%(f)s") % {"f": "、".join(bad)}, detail={"invalid": bad})
    return out


def failure_text(f: dict[str, Any], labels: dict[str, str] | None = None) -> str:
    """A failed eligibility rule in the reader's language (fields by their form labels)."""
    code = f.get("code")
    f = f | {"field": (labels or {}).get(f.get("field", ""), f.get("field", ""))}
    if code == "too_low":
        return _("%(field)s 应不少于 %(v)s") % {"field": f["field"], "v": f["expected"]}
    if code == "not_a_number":
        return _("%(field)s 缺少或不是数字") % {"field": f["field"]}
    if code == "county_kind":
        return _("所在县不符合项目要求的县类型")
    if code == "none_of":
        return _("不满足以下任一条件：%(f)s") % {"f": f["field"]}
    if code == "not_equal":
        return _("%(field)s 不符合要求") % {"field": f["field"]}
    return _("未知的资格规则：%(f)s") % {"f": f.get("field")}


@transaction.atomic
def submit_application(
    *,
    programme: Programme,
    name: str,
    area_code: str,
    answers: dict[str, Any],
    evidence: dict[str, list[bytes]],
    school: str = "",
    person_id: int | None = None,
    nominate: bool = False,
    by: Any,
) -> Application:
    """Apply (or nominate someone) to ``programme``: the form's fields, every required piece
    of evidence, the eligibility rules checked against the registry and areas. Any logged-in
    user may apply; nothing is saved if anything is missing."""
    if by is None or not by.is_authenticated:
        raise BadApplication(_("请先登录"))
    if not programme.open:
        raise BadApplication(_("该项目已截止申请"))
    if not name.strip():
        raise BadApplication(_("请填写姓名"))
    code = codes.normalise(area_code) if area_code else ""
    if len(code) != 12:
        raise BadApplication(_("所在地代码应为12位统计用区划代码"))
    cleaned = _clean_answers(programme, answers)
    lacking = [label for label in programme.evidence if not evidence.get(label)]
    if lacking:
        raise MissingEvidence(
            _("缺少必需材料：%(l)s") % {"l": "、".join(lacking)}, detail={"missing": lacking}
        )
    person = registry.get_person_for(by, person_id) if person_id else None
    facts = county_facts(code) | _registry_facts(person)
    failures = eligibility.check(programme.eligibility, cleaned, facts)
    app = Application.objects.create(
        programme=programme,
        applicant=None if nominate else by,
        nominated_by=by if nominate else None,
        person=person,
        name=name.strip()[:50],
        area_code=code,
        school=school.strip()[:100],
        answers=cleaned,
        facts=facts,
        status=Status.INELIGIBLE if failures else Status.SUBMITTED,
        reasons=[f.__dict__ for f in failures],
    )
    Evidence.objects.bulk_create(
        Evidence(application=app, label=label[:50], photo=store_photo(data))
        for label, items in evidence.items()
        for data in items
    )
    return app


def save_reviewer(
    *, user: Any, area_code: str = "", school: str = "", kin: list[int] | None = None, by: Any
) -> ReviewerProfile:
    require(by, "selection.change_programme")
    profile, _created = ReviewerProfile.objects.update_or_create(
        user=user, defaults={"area_code": area_code, "school": school, "kin": list(kin or [])}
    )
    return profile


@transaction.atomic
def assign_reviewers(*, programme: Programme, by: Any) -> assigning.Plan:
    """Give every eligible application without reviewers ``reviewers_per_application`` of the
    programme's reviewers, balanced, never a conflicted one (same county or school, kin, own
    nominee). Applications that cannot get enough are reported in ``Plan.short``."""
    require(by, "selection.change_programme")
    apps = list(
        programme.applications.filter(status=Status.SUBMITTED)
        .annotate(n=Count("assignments"))
        .filter(n=0)
        .values("pk", "area_code", "school", "applicant_id", "nominated_by_id")
    )
    people = list(programme.reviewers.select_related("reviewer_profile"))
    reviewers = []
    for u in people:
        p = getattr(u, "reviewer_profile", None)
        reviewers.append(
            assigning.Reviewer(
                key=str(u.pk),
                county=(p.area_code if p else "")[:6],
                school=p.school if p else "",
                kin=frozenset(str(k) for k in (p.kin if p else [])),
            )
        )
    existing = (
        Assignment.objects.filter(application__programme=programme)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
    )
    entries = [
        assigning.Entry(
            key=str(a["pk"]),
            county=a["area_code"][:6],
            school=a["school"],
            applicant=str(a["applicant_id"] or ""),
            nominator=str(a["nominated_by_id"] or ""),
        )
        for a in apps
    ]
    plan = assigning.assign(entries, reviewers, programme.reviewers_per_application)
    del existing
    Assignment.objects.bulk_create(
        Assignment(application_id=int(a), reviewer_id=int(r)) for a, r in plan.pairs
    )
    Application.objects.filter(pk__in={int(a) for a, _r in plan.pairs}).update(
        status=Status.IN_REVIEW
    )
    return plan


def _own_assignment(assignment_id: int, by: Any) -> Assignment:
    from .selectors import get_assignment_for

    return get_assignment_for(by, assignment_id, lock=True)


@transaction.atomic
def declare(*, assignment_id: int, conflict: bool, by: Any) -> Assignment:
    """The reviewer's conflict-of-interest declaration, before anything beyond the public
    metadata is shown. Declaring a conflict recuses them from this application."""
    require(by, "selection.review_application")
    a = _own_assignment(assignment_id, by)
    if a.declared_at is not None:
        return a
    a.declared_at = timezone.now()
    a.recused = conflict
    a.save(update_fields=["declared_at", "recused"])
    return a


@transaction.atomic
def score(*, assignment_id: int, scores: dict[str, Any], comment: str = "", by: Any) -> Assignment:
    """Score an assigned application on the rubric: every criterion a whole number 0–5."""
    require(by, "selection.review_application")
    a = _own_assignment(assignment_id, by)
    if a.declared_at is None:
        raise NoDeclaration(_("请先声明与该申请无利益冲突"))
    if a.recused:
        raise ConflictOfInterest(_("您已声明存在利益冲突，不能评审该申请"))
    criteria = list(a.application.programme.criteria)
    clean: dict[str, int] = {}
    for c in criteria:
        raw = scores.get(c)
        try:
            v = int(str(raw))
        except (TypeError, ValueError):
            raise BadScore(
                _("“%(c)s”的评分应为0到5的整数") % {"c": c}, detail={"criterion": c}
            ) from None
        if not 0 <= v <= 5:
            raise BadScore(_("“%(c)s”的评分应为0到5的整数") % {"c": c}, detail={"criterion": c})
        clean[c] = v
    extra = set(scores) - set(criteria)
    if extra:
        raise BadScore(_("没有这些评分项：%(c)s") % {"c": "、".join(sorted(extra))})
    a.scores = clean
    a.comment = comment.strip()[:2000]
    a.total = round(sum(clean.values()) / len(clean), 3) if clean else 0.0
    a.scored_at = timezone.now()
    a.save(update_fields=["scores", "comment", "total", "scored_at"])
    return a


@transaction.atomic
def recompute_scores(*, programme: Programme, by: Any) -> dict[str, normalise.Normalised]:
    """Every application's mean raw score and its score normalised for reviewer severity."""
    require(by, "selection.decide_selection")
    marks = [
        normalise.Mark(str(r), str(a), float(t or 0))
        for a, r, t in Assignment.objects.filter(
            application__programme=programme, total__isnull=False, recused=False
        ).values_list("application_id", "reviewer_id", "total")
    ]
    out = normalise.normalise(marks)
    apps = list(Application.objects.filter(pk__in=[int(k) for k in out]))
    for app in apps:
        n = out[str(app.pk)]
        app.score = round(n.raw, 4)
        app.normalised = round(n.normalised, 4)
    Application.objects.bulk_update(apps, ["score", "normalised"], batch_size=500)
    return out


def field_labels(programme: Programme) -> dict[str, str]:
    return {f["name"]: f.get("label", f["name"]) for f in programme.form_fields}


def scored_counts(programme: Programme) -> dict[str, Any]:
    return Assignment.objects.filter(application__programme=programme).aggregate(
        assigned=Count("pk"),
        declared=Count("pk", filter=Q(declared_at__isnull=False)),
        scored=Count("pk", filter=Q(total__isnull=False)),
        mean=Avg("total"),
    )


@transaction.atomic
def import_history(*, programme: Programme, rows: list[dict[str, Any]], by: Any) -> int:
    """Past winners from the foundation's records (name, area code, county kind as recorded
    then, year), in one statement: the public results compare this year with them."""
    require(by, "selection.change_programme")
    made = Application.objects.bulk_create(
        Application(
            programme=programme,
            name=str(r["name"])[:50],
            area_code=str(r["area_code"]),
            school=str(r.get("school", ""))[:100],
            answers={"year": r.get("year")},
            facts=county_facts(str(r["area_code"])) | {"county_kind": r["county_kind"]},
            status=Status.HISTORY,
            consent_public=bool(r.get("consent", False)),
        )
        for r in rows
    )
    return len(made)
