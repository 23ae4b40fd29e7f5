"""Assign reviewers to applications: several per application, balanced load, conflicts of
interest never assigned (ADR 0014). Pure: standard library only.

Conflicts: the same county (the first six digits of the area codes), the same school, kin
(the applicant is in the reviewer's kin list) and the reviewer's own nominee. The greedy
order is deterministic: the applications with the fewest eligible reviewers first, each given
the least-loaded eligible reviewers (ties by key), under a cap of ceil(apps·k / reviewers)+slack.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reviewer:
    key: str
    county: str = ""
    school: str = ""
    kin: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Entry:
    key: str
    county: str = ""
    school: str = ""
    applicant: str = ""
    nominator: str = ""


@dataclass
class Plan:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    """(application key, reviewer key)."""
    short: dict[str, int] = field(default_factory=dict)
    """Applications that got fewer than k reviewers: how many they lack."""
    load: dict[str, int] = field(default_factory=dict)


def conflict(r: Reviewer, a: Entry) -> str | None:
    """Why ``r`` may not review ``a`` (a stable code), or None."""
    if r.county and a.county and r.county[:6] == a.county[:6]:
        return "same_county"
    if r.school and a.school and r.school == a.school:
        return "same_school"
    if a.applicant and a.applicant in r.kin:
        return "kin"
    if a.nominator and a.nominator == r.key:
        return "own_nominee"
    return None


def assign(
    entries: Sequence[Entry], reviewers: Sequence[Reviewer], k: int, *, slack: int = 1
) -> Plan:
    plan = Plan(load={r.key: 0 for r in reviewers})
    if not reviewers or not entries or k <= 0:
        plan.short = {a.key: k for a in entries}
        return plan
    cap = math.ceil(len(entries) * k / len(reviewers)) + slack
    # Conflicts by county and school through indexes, so the check is not apps × reviewers.
    by_county: dict[str, set[int]] = {}
    by_school: dict[str, set[int]] = {}
    for j, r in enumerate(reviewers):
        if r.county:
            by_county.setdefault(r.county[:6], set()).add(j)
        if r.school:
            by_school.setdefault(r.school, set()).add(j)
    kin_of: dict[str, set[int]] = {}
    for j, r in enumerate(reviewers):
        for person in r.kin:
            kin_of.setdefault(person, set()).add(j)
    index = {r.key: j for j, r in enumerate(reviewers)}

    def blocked(a: Entry) -> set[int]:
        out = set(by_county.get(a.county[:6], ())) if a.county else set()
        if a.school:
            out |= by_school.get(a.school, set())
        if a.applicant:
            out |= kin_of.get(a.applicant, set())
        if a.nominator in index:
            out.add(index[a.nominator])
        return out

    blocks = [blocked(a) for a in entries]
    order = sorted(range(len(entries)), key=lambda i: (len(blocks[i]) * -1, entries[i].key))
    load = [0] * len(reviewers)
    # A heap of (load, key, index); stale entries are skipped when their load moved on.
    heap = [(0, r.key, j) for j, r in enumerate(reviewers)]
    heapq.heapify(heap)
    for i in order:
        taken: list[tuple[int, str, int]] = []
        got: list[int] = []
        while heap and len(got) < k:
            item = heapq.heappop(heap)
            ld, _key, j = item
            if ld != load[j]:
                continue
            taken.append(item)
            if j in blocks[i] or load[j] >= cap:
                continue
            got.append(j)
        for ld, key, j in taken:
            if j in got:
                load[j] += 1
                heapq.heappush(heap, (load[j], key, j))
            else:
                heapq.heappush(heap, (ld, key, j))
        for j in got:
            plan.pairs.append((entries[i].key, reviewers[j].key))
        if len(got) < k:
            plan.short[entries[i].key] = k - len(got)
    plan.load = {r.key: load[j] for j, r in enumerate(reviewers)}
    return plan
