"""Pages of claims: the list (the adjuster's queue), filing from a villager's page, the claim
page (photos beside what was read, corrections, the checks, the decision, payment), the photo
through the access function, and the claimant's status page (by an unguessable link)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.core.errors import DomainError, NotFound
from tuopin.core.errors import PermissionDenied as DomainPermissionDenied
from tuopin.core.formfields import YuanField
from tuopin.core.masking import age_on
from tuopin.documents import evidence
from tuopin.documents.types import FIELDS, DocType

from .. import selectors as cover
from ..models import Benefit, PolicyStatus
from . import selectors, services
from .models import Claim, Outcome, Recommendation
from .states import ClaimState

FIELD_LABELS = {
    "patient_name": gettext_lazy("姓名"),
    "name": gettext_lazy("姓名"),
    "hospital": gettext_lazy("医院"),
    "invoice_number": gettext_lazy("发票号"),
    "admission_date": gettext_lazy("入院日期"),
    "discharge_date": gettext_lazy("出院日期"),
    "visit_date": gettext_lazy("就诊日期"),
    "total_amount": gettext_lazy("合计（元）"),
    "insurance_paid": gettext_lazy("统筹支付（元）"),
    "self_paid": gettext_lazy("个人自付（元）"),
    "diagnosis": gettext_lazy("诊断"),
    "sex": gettext_lazy("性别"),
    "id_number": gettext_lazy("身份证号"),
    "birth_date": gettext_lazy("出生日期"),
    "address": gettext_lazy("住址"),
}
DOC_TYPE_LABELS: dict[str, Any] = {
    DocType.INPATIENT_INVOICE: gettext_lazy("住院发票"),
    DocType.OUTPATIENT_INVOICE: gettext_lazy("门诊发票"),
    DocType.DISCHARGE_SUMMARY: gettext_lazy("出院记录"),
    DocType.ID_CARD: gettext_lazy("身份证"),
    DocType.OTHER: gettext_lazy("其他"),
}


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    """Claims in scope; an adjuster lands on the queue (checked, waiting for a decision)."""
    qs = selectors.claims_for(request.user).select_related("programme", "person")
    default = ClaimState.CHECKED if permissions.has(request.user, "insurance.decide_claim") else ""
    state = request.GET.get("state", default)
    if state and state in ClaimState.values:
        qs = qs.filter(state=state)
    else:
        state = ""
    person = request.GET.get("person", "")
    if person.isdigit():
        qs = qs.filter(person_id=int(person))
    rows = list(qs[:200])
    labels = dict(Benefit.choices)
    for row in rows:
        row.benefit_label = labels.get(row.benefit, row.benefit)  # type: ignore[attr-defined]
    return render(
        request,
        "insurance/claims.html",
        {"rows": rows, "state": state, "states": ClaimState.choices},
    )


@login_required
def claim_new(request: HttpRequest) -> HttpResponse:
    """File a claim for a villager: pick one of their policies' benefits (from their page)."""
    permissions.require(request.user, "insurance.add_claim", _("没有申请理赔的权限"))
    if request.method == "POST":
        try:
            claim = services.create_claim(
                by=acting_user(request),
                policy_no=request.POST.get("policy_no", ""),
                benefit=request.POST.get("benefit", ""),
                filed_as=request.POST.get("filed_as", "cadre"),
            )
        except (NotFound, DomainPermissionDenied):
            raise
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(request.META.get("HTTP_REFERER") or "insurance:villages")
        return redirect("insurance:claim", claim.pk)
    person = request.GET.get("person", "")
    if not person.isdigit():
        return redirect("insurance:villages")  # pick the village, then the villager
    c = cover.person_cover(request.user, int(person))  # 404 out of scope
    active = [p for p in c.policies if p.status == PolicyStatus.ACTIVE]
    return render(request, "insurance/claim_new.html", {"c": c, "policies": active})


class DecisionForm(forms.Form):
    amount = YuanField(label=gettext_lazy("核定赔付（元）"), required=False)
    reasons = forms.MultipleChoiceField(
        label=gettext_lazy("拒赔理由"),
        choices=list(services.REJECT_REASONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)


def _act(request: HttpRequest, claim: Claim) -> None:
    """One POST action on the claim page; a refusal becomes a message, never a half-change."""
    by = acting_user(request)
    action = request.POST.get("action", "")
    if action == "upload":
        files = request.FILES.getlist("photos")
        if not files:
            messages.error(request, _("请选择或拍摄单据照片"))
        for upload in files:
            try:
                services.add_document(by=by, claim_id=claim.pk, data=evidence.read_upload(upload))
            except (NotFound, DomainPermissionDenied):
                raise
            except DomainError as exc:
                messages.error(request, f"{upload.name}：{exc.message}")
            else:
                messages.success(request, _("已添加：%(n)s") % {"n": upload.name})
    elif action == "correct":
        doc_id = int(request.POST.get("document", "0") or 0)
        prefix = f"f{doc_id}_"
        values = {k[len(prefix) :]: str(v) for k, v in request.POST.items() if k.startswith(prefix)}
        services.correct_document(
            by=by,
            claim_id=claim.pk,
            document_id=doc_id,
            corrections=values,
            doc_type=request.POST.get("doc_type") or None,
        )
        messages.success(request, _("已保存更正"))
    elif action == "remove":
        services.remove_document(
            by=by, claim_id=claim.pk, document_id=int(request.POST.get("document", "0") or 0)
        )
    elif action == "submit":
        services.submit_claim(by=by, claim_id=claim.pk)
        messages.success(request, _("已提交，正在核查"))
    elif action in ("approve", "reject"):
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(str(e) for e in form.errors.values()))
            return
        services.decide_claim(
            by=by,
            claim_id=claim.pk,
            approve=action == "approve",
            amount_fen=form.cleaned_data["amount"],
            reasons=form.cleaned_data["reasons"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("已记录审核决定，已记入公开账本"))
    elif action == "pay":
        services.pay_claim(by=by, claim_id=claim.pk)
        messages.success(request, _("已赔付，已记入公开账本"))


@login_required
def claim(request: HttpRequest, claim_id: int) -> HttpResponse:
    c = selectors.get_claim_for(request.user, claim_id)  # 403 / 404 through the middleware
    if request.method == "POST":
        try:
            _act(request, c)
        except (NotFound, DomainPermissionDenied):
            raise
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("insurance:claim", c.pk)
    user = request.user
    editable = c.state == ClaimState.DRAFT and permissions.has(user, "insurance.change_claim")
    docs = []
    for d in c.documents.select_related("photo"):
        names = FIELDS.get(DocType(d.doc_type), ()) if d.doc_type else ()
        values = d.values()
        docs.append(
            {
                "d": d,
                "type_label": DOC_TYPE_LABELS.get(d.doc_type, d.doc_type),
                "rows": [
                    {
                        "name": n,
                        "label": FIELD_LABELS.get(n, n),
                        "read": d.fields.get(n, ""),
                        "value": values.get(n, ""),
                        "corrected": n in d.corrections,
                        "confidence": d.confidences.get(n),
                        "low": (d.confidences.get(n) or 0) < 0.8,
                    }
                    for n in names
                ],
                "boxes": [
                    {
                        "points": " ".join(f"{x},{y}" for x, y in box),
                        "label": FIELD_LABELS.get(n, n),
                    }
                    for n, box in d.boxes.items()
                    if box
                ],
            }
        )
    checks = list(c.checks.all())
    titles = services.check_titles()
    return render(
        request,
        "insurance/claim.html",
        {
            "c": c,
            "age": age_on(c.person.birth_date, c.created_at.date()),
            "docs": docs,
            "checks": [{"k": k, "title": titles.get(k.name, k.name)} for k in checks],
            "editable": editable,
            "may_decide": c.state == ClaimState.CHECKED
            and permissions.has(user, "insurance.decide_claim"),
            "may_pay": c.state == ClaimState.APPROVED
            and permissions.has(user, "insurance.pay_claim"),
            # The reasons the failed checks give, ticked already (the adjuster may change them).
            "decision_form": DecisionForm(
                initial={
                    "amount": c.recommended_fen or None,
                    "reasons": [
                        k.reason_code
                        for k in checks
                        if k.outcome == Outcome.FAIL and k.reason_code in services.REJECT_REASONS
                    ],
                }
            ),
            "doc_types": list(DOC_TYPE_LABELS.items()),
            "benefit_label": dict(Benefit.choices).get(c.benefit, c.benefit),
            "Outcome": Outcome,
            "Recommendation": Recommendation,
            "pending": c.state in (ClaimState.SUBMITTED, ClaimState.RECOGNISING)
            or any(d["d"].reading == "pending" for d in docs),
        },
    )


@login_required
def claim_photo(request: HttpRequest, claim_id: int, document_id: int) -> HttpResponse:
    """A claim photo, only through the claim's access function (never a public media URL)."""
    doc = selectors.get_document_for(request.user, claim_id, document_id)
    response = HttpResponse(evidence.read_photo(doc.photo), content_type=doc.photo.media_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def claim_status(request: HttpRequest, status_token: str) -> HttpResponse:
    """The claimant's status page, for whoever holds the link: no name, no ID number."""
    from tuopin.ledger import services as ledger

    c = selectors.claim_by_token(str(status_token))
    receipt = None
    if c.payout is not None:
        try:
            receipt = ledger.receipt_for(
                c.payout.ledger_index, subject=f"insurance.policy:{c.policy_id}"
            )
        except DomainError:
            receipt = None
        if receipt and request.GET.get("download") == "1":
            response = HttpResponse(receipt, content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="payout-{c.payout.ledger_index}.tlog-proof"'
            )
            return response
    return render(
        request,
        "insurance/claim_status.html",
        {
            "c": c,
            "receipt": receipt,
            "benefit_label": dict(Benefit.choices).get(c.benefit, c.benefit),
        },
    )
