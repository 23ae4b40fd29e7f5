"""The key claim factors (关键核赔因子): each a named check of what the documents say against
the policy, with its outcome and a message for the adjuster, and the recommendation they add
up to. No database here: :mod:`.processing` gathers the facts (:class:`Facts`) first.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.core.money import format_yuan, parse_yuan
from tuopin.documents.types import DocType, Recognition

from .. import limits

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
INVOICES = (DocType.INPATIENT_INVOICE, DocType.OUTPATIENT_INVOICE)

# Checks in the order the adjuster reads them, with their titles.
TITLES = {
    "documents": gettext_lazy("单据可识别"),
    "name": gettext_lazy("姓名与被保险人一致"),
    "cover": gettext_lazy("在保障期内（已过等待期）"),
    "benefit": gettext_lazy("属于保障范围"),
    "figures": gettext_lazy("金额一致（大写＝小写，合计＝统筹＋自付）"),
    "payout": gettext_lazy("免赔额、比例和限额"),
    "invoice": gettext_lazy("发票未重复报销"),
    "photo": gettext_lazy("照片未在其他理赔中使用"),
    "discharge": gettext_lazy("出院记录与发票日期一致"),
}
# A failure of these is a reason to reject; any other failure, or any unknown, needs a person.
HARD = frozenset({"name", "cover", "benefit", "invoice"})


@dataclass(frozen=True)
class Document:
    """One document as the checks see it: its type and values (read, then corrected)."""

    id: int
    doc_type: str
    values: dict[str, str]
    amount_in_words: str | None = None

    @classmethod
    def of(cls, id: int, recognition: Recognition, corrections: dict[str, str] | None = None):  # type: ignore[no-untyped-def]  # noqa: A002
        return cls(
            id,
            str(recognition.doc_type),
            {**recognition.values(), **(corrections or {})},
            recognition.amount_in_words,
        )


@dataclass(frozen=True)
class Facts:
    """What the checks need to know about the claim, its policy and the other claims."""

    insured_name: str
    insured_id_number: str
    policy_active: bool
    period_start: dt.date
    benefit: str
    waiting_days: int | None  # None: the programme does not cover the benefit
    limits: limits.Limits | None
    used_fen: int  # paid on this benefit of this policy this period
    documents: list[Document]
    invoices_elsewhere: dict[str, str] = field(default_factory=dict)  # number -> other claim
    photos_elsewhere: dict[int, str] = field(default_factory=dict)  # document id -> other claim


@dataclass(frozen=True)
class Check:
    name: str
    outcome: str
    message: str
    reason_code: str = ""

    @property
    def title(self) -> str:
        return str(TITLES[self.name])


@dataclass(frozen=True)
class Result:
    checks: list[Check]
    recommendation: str  # approve, reject, review
    claimed_fen: int
    recommended_fen: int
    service_start: dt.date | None
    service_end: dt.date | None


def _fen(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return parse_yuan(text)
    except ValueError:
        return None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _invoices(facts: Facts) -> list[Document]:
    return [d for d in facts.documents if d.doc_type in INVOICES]


def loss_fen(doc: Document) -> int | None:
    """What an invoice claims: the self-paid part (自付) where printed, else the total."""
    own = _fen(doc.values.get("self_paid"))
    return own if own is not None else _fen(doc.values.get("total_amount"))


def service_dates(facts: Facts) -> tuple[dt.date | None, dt.date | None]:
    starts, ends = [], []
    for d in _invoices(facts):
        start = _date(d.values.get("admission_date") or d.values.get("visit_date"))
        end = _date(d.values.get("discharge_date") or d.values.get("visit_date"))
        if start:
            starts.append(start)
        if end:
            ends.append(end)
    return (min(starts) if starts else None, max(ends) if ends else None)


def check_documents(facts: Facts) -> Check:
    if not _invoices(facts):
        return Check("documents", UNKNOWN, _("没有识别出发票，请人工查看照片"), "no_invoice")
    missing = [d for d in _invoices(facts) if loss_fen(d) is None]
    if missing:
        return Check("documents", UNKNOWN, _("有发票未读出金额"), "amount_unread")
    return Check("documents", PASS, _("识别出 %(n)s 张发票") % {"n": len(_invoices(facts))})


def check_name(facts: Facts) -> Check:
    names = [
        (d, d.values.get("patient_name") or d.values.get("name"))
        for d in facts.documents
        if d.doc_type != DocType.OTHER
    ]
    read = [(d, n.strip()) for d, n in names if n and n.strip()]
    if not read:
        return Check("name", UNKNOWN, _("单据上未读出姓名"), "name_unread")
    wrong = sorted({n for _d, n in read if n != facts.insured_name})
    if wrong:
        return Check(
            "name",
            FAIL,
            _("单据上的姓名“%(n)s”与被保险人不一致") % {"n": "、".join(wrong)},
            "name_mismatch",
        )
    for d in facts.documents:
        number = (d.values.get("id_number") or "").strip().upper()
        if number and number != facts.insured_id_number.upper():
            return Check("name", FAIL, _("身份证号与被保险人不一致"), "id_mismatch")
    return Check("name", PASS, _("姓名一致"))


def check_cover(facts: Facts) -> Check:
    if not facts.policy_active:
        return Check("cover", FAIL, _("保单已退出"), "policy_not_active")
    if facts.waiting_days is None:
        return Check("cover", UNKNOWN, _("项目不保此项，无法判断保障期"), "not_covered")
    start, end = service_dates(facts)
    if start is None:
        return Check("cover", UNKNOWN, _("单据上未读出就诊日期"), "date_unread")
    first = facts.period_start + dt.timedelta(days=facts.waiting_days)
    if not limits.in_cover(facts.waiting_days, facts.period_start, start):
        if facts.period_start <= start < first:
            return Check(
                "cover",
                FAIL,
                _("就诊日期 %(d)s 在等待期内（%(f)s 起保障）") % {"d": start, "f": first},
                "waiting_period",
            )
        return Check(
            "cover", FAIL, _("就诊日期 %(d)s 不在保险期间内") % {"d": start}, "outside_period"
        )
    return Check("cover", PASS, _("就诊日期 %(d)s 在保障期内") % {"d": start})


def check_benefit(facts: Facts) -> Check:
    if facts.limits is None:
        return Check("benefit", FAIL, _("该项目不保此项"), "not_covered")
    return Check("benefit", PASS, _("属于保障范围"))


def check_figures(facts: Facts) -> Check:
    problems, unknown = [], False
    for d in _invoices(facts):
        total = _fen(d.values.get("total_amount"))
        words = _fen(d.amount_in_words)
        if total is None:
            unknown = True
            continue
        if words is None:
            unknown = True
        elif words != total:
            problems.append(
                _("大写 %(w)s 与小写 %(t)s 不符")
                % {"w": format_yuan(words), "t": format_yuan(total)}
            )
        if d.doc_type == DocType.INPATIENT_INVOICE:
            fund, own = _fen(d.values.get("insurance_paid")), _fen(d.values.get("self_paid"))
            if fund is None or own is None:
                unknown = True
            elif fund + own != total:
                problems.append(
                    _("合计 %(t)s ≠ 统筹 %(f)s + 自付 %(o)s")
                    % {"t": format_yuan(total), "f": format_yuan(fund), "o": format_yuan(own)}
                )
    if problems:
        return Check("figures", FAIL, "；".join(problems), "figures_disagree")
    if unknown or not _invoices(facts):
        return Check("figures", UNKNOWN, _("部分金额未读出，无法核对"), "figures_unread")
    return Check("figures", PASS, _("金额一致"))


def payout_of(facts: Facts) -> tuple[int, int]:
    """(claimed, recommended) in fen."""
    claimed = sum(loss_fen(d) or 0 for d in _invoices(facts))
    if facts.limits is None:
        return claimed, 0
    return claimed, limits.payable(facts.limits, claimed, facts.used_fen)


def check_payout(facts: Facts) -> Check:
    claimed, payable = payout_of(facts)
    if facts.limits is None or not claimed:
        return Check("payout", UNKNOWN, _("无法计算赔付金额"), "no_amount")
    covered = max(0, claimed - facts.limits.deductible_fen) * facts.limits.rate_bp // 10_000
    words = {"c": format_yuan(claimed), "p": format_yuan(payable)}
    if payable <= 0:
        return Check(
            "payout", FAIL, _("申请 %(c)s：额度已用完或未超过免赔额") % words, "nothing_payable"
        )
    if payable < covered:
        return Check("payout", FAIL, _("申请 %(c)s 超出限额，最多赔付 %(p)s") % words, "over_limit")
    return Check("payout", PASS, _("申请 %(c)s，按免赔额和比例应赔 %(p)s") % words)


def check_invoice(facts: Facts) -> Check:
    numbers = [d.values.get("invoice_number", "").strip() for d in _invoices(facts)]
    if not any(numbers):
        return Check("invoice", UNKNOWN, _("未读出发票号"), "invoice_unread")
    seen: set[str] = set()
    for n in numbers:
        if n and n in seen:
            return Check(
                "invoice", FAIL, _("同一发票提交了两次：%(n)s") % {"n": n}, "duplicate_invoice"
            )
        seen.add(n)
        if n in facts.invoices_elsewhere:
            return Check(
                "invoice",
                FAIL,
                _("发票 %(n)s 已在理赔 %(c)s 中报销") % {"n": n, "c": facts.invoices_elsewhere[n]},
                "duplicate_invoice",
            )
    return Check("invoice", PASS, _("发票号未被报销过"))


def check_photo(facts: Facts) -> Check:
    used = [facts.photos_elsewhere[d.id] for d in facts.documents if d.id in facts.photos_elsewhere]
    if used:
        return Check(
            "photo",
            FAIL,
            _("照片与理赔 %(c)s 中的照片相同或几乎相同") % {"c": "、".join(sorted(set(used)))},
            "reused_photo",
        )
    return Check("photo", PASS, _("照片未在其他理赔中出现"))


def check_discharge(facts: Facts) -> Check:
    summaries = [d for d in facts.documents if d.doc_type == DocType.DISCHARGE_SUMMARY]
    inpatient = [d for d in facts.documents if d.doc_type == DocType.INPATIENT_INVOICE]
    if not inpatient:
        return Check("discharge", PASS, _("没有住院发票，无需出院记录"))
    if not summaries:
        return Check("discharge", UNKNOWN, _("没有出院记录"), "no_discharge_summary")
    for s in summaries:
        dates = (s.values.get("admission_date"), s.values.get("discharge_date"))
        if not all(dates):
            return Check("discharge", UNKNOWN, _("出院记录上未读出日期"), "dates_unread")
        if not any(
            (i.values.get("admission_date"), i.values.get("discharge_date")) == dates
            for i in inpatient
        ):
            return Check(
                "discharge",
                FAIL,
                _("出院记录 %(a)s 至 %(b)s 与发票上的住院日期不符")
                % {"a": dates[0], "b": dates[1]},
                "dates_disagree",
            )
    return Check("discharge", PASS, _("出院记录与发票日期一致"))


CHECKS = (
    check_documents,
    check_name,
    check_cover,
    check_benefit,
    check_figures,
    check_payout,
    check_invoice,
    check_photo,
    check_discharge,
)


def evaluate(facts: Facts) -> Result:
    """Every check, and what they add up to: reject on a hard failure (name, cover, benefit,
    a duplicate invoice) or when nothing is payable; approve when everything passes (an
    over-limit claim is approved at the limit); anything else needs a person."""
    checks = [c(facts) for c in CHECKS]
    claimed, payable = payout_of(facts)
    start, end = service_dates(facts)
    failed = {c.name for c in checks if c.outcome == FAIL}
    unknown = {c.name for c in checks if c.outcome == UNKNOWN}
    over_limit = any(c.reason_code == "over_limit" for c in checks)
    if failed & HARD or (payable <= 0 and "payout" in failed):
        recommendation = "reject"
    elif unknown or failed - ({"payout"} if over_limit else set()):
        recommendation = "review"
    else:
        recommendation = "approve"
    return Result(checks, recommendation, claimed, payable, start, end)


def sampled(share_bp: int, rng: random.Random) -> bool:
    """Whether a recommended approval goes to a person anyway (the sampling audit)."""
    return rng.randrange(10_000) < share_bp
