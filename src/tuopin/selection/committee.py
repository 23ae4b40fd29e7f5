"""The committee's part: run the quota optimiser on the scored applications, confirm or
override with a recorded reason, publish on the ledger (selected as commitments, quota
shares, the rule's parameters, a salted hash committing to the full ranked list), and pay the
award's instalments as ledger disbursements (ADR 0014)."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts.permissions import require
from tuopin.ledger import services as ledger

from . import quotas as qp
from .errors import BadRun, InfeasibleQuotas
from .models import Application, Instalment, Programme, RunStatus, SelectionRun, Status

DECIDE = "selection.decide_selection"


def quota_rules(programme: Programme) -> list[qp.Quota]:
    out = []
    for q in programme.quotas:
        out.append(
            qp.Quota(
                name=q["name"],
                family=q["family"],
                values=tuple(q.get("values", ())),
                at_least=q.get("at_least"),
                at_most=q.get("at_most"),
                share_at_least=q.get("share_at_least"),
                per_value=bool(q.get("per_value")),
                where_possible=bool(q.get("where_possible")),
            )
        )
    return out


def _candidates(programme: Programme) -> list[qp.Candidate]:
    rows = programme.applications.filter(status=Status.IN_REVIEW, score__isnull=False).values(
        "pk", "score", "normalised", "facts"
    )
    use_norm = programme.normalise
    return [
        qp.Candidate(
            key=str(r["pk"]),
            score=float(
                r["normalised"] if use_norm and r["normalised"] is not None else r["score"] or 0
            ),
            groups={k: str(v) for k, v in (r["facts"] or {}).items() if v is not None},
        )
        for r in rows
    ]


@transaction.atomic
def propose(*, programme: Programme, by: Any) -> SelectionRun:
    """Solve the selection and keep it for the committee (earlier proposals are superseded)."""
    require(by, DECIDE)
    cands = _candidates(programme)
    rules = quota_rules(programme)
    try:
        sel = qp.select(cands, rules, programme.select_count)
    except qp.QuotaInfeasible as e:
        raise InfeasibleQuotas(
            _("配额无法同时满足：%(q)s") % {"q": "；".join(e.clash)}, detail={"clash": e.clash}
        ) from None
    programme.runs.filter(status=RunStatus.PROPOSED).update(status=RunStatus.SUPERSEDED)
    score = {c.key: c.score for c in cands}
    return SelectionRun.objects.create(
        programme=programme,
        parameters={
            "n": programme.select_count,
            "quotas": programme.quotas,
            "normalised": programme.normalise,
            "candidates": len(cands),
            "tie_break": "score desc, then application id asc; smallest rank sum",
        },
        result={
            "ranked": [[int(k), score[k]] for k in sel.ranked],
            "selected": [int(k) for k in sel.selected],
            "total": sel.total,
            "unconstrained_total": sel.unconstrained_total,
            "quota_cost": sel.quota_cost,
            "marginal_in": [int(k) for k in sel.marginal_in],
            "marginal_out": [int(k) for k in sel.marginal_out],
            "forced_in": [int(k) for k in sel.forced_in],
            "forced_out": [int(k) for k in sel.forced_out],
        },
        selected=[int(k) for k in sel.selected],
        created_by=by,
    )


def shares(programme: Programme, ids: list[int]) -> dict[str, Any]:
    """Counts by province and by county kind of ``ids``, and each quota's share (public)."""
    facts = list(Application.objects.filter(pk__in=ids).values_list("facts", flat=True))
    n = len(facts) or 1
    by_kind = Counter(str(f.get("county_kind")) for f in facts)
    by_province = Counter(str(f.get("province")) for f in facts)
    quota = {}
    for q in quota_rules(programme):
        if not q.per_value:
            hit = sum(1 for f in facts if str(f.get(q.family)) in q.values)
            quota[q.name] = {"count": hit, "share": round(hit / n, 4)}
    return {
        "count": len(facts),
        "by_county_kind": dict(sorted(by_kind.items())),
        "by_province": dict(sorted(by_province.items())),
        "quotas": quota,
    }


def ranked_digest(salt: str, ranked: list[list[Any]]) -> str:
    """The commitment to the full ranked list: sha256 of the salt and the canonical JSON."""
    body = json.dumps(ranked, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((salt + body).encode()).hexdigest()


@transaction.atomic
def publish(
    *, run_id: int, by: Any, selected: list[int] | None = None, reason: str = ""
) -> SelectionRun:
    """Confirm the proposal (or override it: another list of N with a reason) and publish it
    on the ledger in the same transaction; statuses and instalments follow."""
    require(by, DECIDE)
    run = (
        SelectionRun.objects.select_for_update()
        .filter(pk=run_id)
        .select_related("programme")
        .first()
    )
    if run is None:
        raise BadRun(_("评选结果不存在"))
    if run.status != RunStatus.PROPOSED:
        raise BadRun(_("该结果已公布或已作废"))
    programme = run.programme
    final = list(run.result["selected"]) if selected is None else [int(i) for i in selected]
    overridden = sorted(final) != sorted(run.result["selected"])
    if overridden and not reason.strip():
        raise BadRun(_("调整优化结果须填写理由"))
    if len(set(final)) != programme.select_count:
        raise BadRun(_("须恰好选出 %(n)d 人") % {"n": programme.select_count})
    pool = set(programme.applications.filter(status=Status.IN_REVIEW).values_list("pk", flat=True))
    if not set(final) <= pool:
        raise BadRun(_("名单中有不在评审中的申请"))
    salt = secrets.token_hex(16)
    ranked = run.result["ranked"]
    public_shares = shares(programme, final)
    entry = ledger.append_entry(
        kind="decision",
        payload={
            "subject": "selection.run",
            "programme": programme.slug,
            "year": programme.year,
            "run": run.pk,
            "n": programme.select_count,
            "parameters": run.parameters,
            "shares": public_shares,
            "ranked_sha256": ranked_digest(salt, ranked),
            "overridden": overridden,
        },
        commit={
            f"s{i}": (f"selection.application:{pk}", str(pk)) for i, pk in enumerate(sorted(final))
        },
    )
    run.status = RunStatus.PUBLISHED
    run.selected = final
    run.override_reason = reason.strip()[:2000]
    run.decided_by = by
    run.ledger_index = entry.index
    run.result = run.result | {"salt": salt}
    run.save()
    programme.applications.filter(pk__in=final).update(status=Status.SELECTED)
    programme.applications.filter(status=Status.IN_REVIEW).exclude(pk__in=final).update(
        status=Status.NOT_SELECTED
    )
    if programme.award_fen:
        base, rest = divmod(programme.award_fen, programme.instalments)
        Instalment.objects.bulk_create(
            Instalment(application_id=pk, number=k + 1, amount_fen=base + (rest if k == 0 else 0))
            for pk in final
            for k in range(programme.instalments)
        )
    return run


@transaction.atomic
def pay_instalment(*, programme: Programme, number: int, by: Any) -> int:
    """Pay instalment ``number`` to every winner not yet paid it: one ledger disbursement
    each (the winner as a commitment), in this transaction. Returns how many were paid."""
    require(by, "selection.change_programme")
    due = list(
        Instalment.objects.select_for_update()
        .filter(application__programme=programme, number=number, paid_at__isnull=True)
        .order_by("application_id")
    )
    now = timezone.now()
    for inst in due:
        entry = ledger.append_entry(
            kind="disbursement",
            payload={
                "subject": "selection.instalment",
                "programme": programme.slug,
                "year": programme.year,
                "instalment": number,
                "of": programme.instalments,
                "amount_fen": inst.amount_fen,
            },
            commit={
                "recipient": (
                    f"selection.application:{inst.application_id}",
                    str(inst.application_id),
                )
            },
        )
        inst.paid_at = now
        inst.ledger_index = entry.index
    Instalment.objects.bulk_update(due, ["paid_at", "ledger_index"])
    return len(due)
