"""Near-duplicate people across households (疑似重复人员), as pure code.

The same person registered twice cannot share an ID number (the registry refuses it), so the
duplicates that remain differ in it: mistyped or transposed digits, or another number
altogether with the same name and birth date, or the same name and phone. Comparing all
pairs is quadratic; people are compared only within *blocks* that a duplicate almost always
shares with its original:

- name + birth date (another ID number, or a typo outside the birth digits);
- name + county (a typo or a transposition inside the birth or sequence digits);
- name + the ID number's 17 digits sorted (any two digits transposed, the region's too);
- name + phone.

A pair is only accepted with the same name (see :func:`compare`), so every block holds it;
blocks larger than :data:`MAX_BLOCK` (a very common name born the same day) are skipped.

Pairs in the same household are not duplicates across households and are skipped; so are
pairs an officer marked as different. :func:`contained` finds households whose members all
reappear in one other household. No Django import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

MAX_BLOCK = 50


@dataclass(frozen=True, slots=True)
class Rec:
    id: int
    household: int
    name: str
    birth: str  # ISO date
    id_number: str
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Pair:
    a: int  # the lower person id
    b: int
    score: int
    reasons: tuple[str, ...]


def _keys(r: Rec) -> list[tuple[str, ...]]:
    # Every pair :func:`compare` accepts has the same name: each block key holds it, which
    # keeps blocks small even for a million people.
    keys: list[tuple[str, ...]] = [("b", r.name, r.birth), ("n", r.name, r.id_number[:6])]
    if len(r.id_number) == 18:
        keys.append(("t", r.name, "".join(sorted(r.id_number[:17]))))
    if r.phone:
        keys.append(("p", r.name, r.phone))
    return keys


def id_difference(x: str, y: str) -> str:
    """``same``, ``transposed`` (two digits swapped), ``typo`` (one or two digits differ)
    or ``different``, on the 17 digits before the check character."""
    x17, y17 = x[:17], y[:17]
    if len(x17) != len(y17):
        return "different"
    diff = [i for i in range(len(x17)) if x17[i] != y17[i]]
    if not diff:
        return "same"
    if len(diff) == 2 and x17[diff[0]] == y17[diff[1]] and x17[diff[1]] == y17[diff[0]]:
        return "transposed"
    if len(diff) <= 2:
        return "typo"
    return "different"


def compare(x: Rec, y: Rec) -> Pair | None:
    """The pair if ``x`` and ``y`` look like the same person, with the reasons, else None."""
    reasons = []
    same_name, same_birth = x.name == y.name, x.birth == y.birth
    idd = id_difference(x.id_number, y.id_number)
    if same_name:
        reasons.append("name")
    if same_birth:
        reasons.append("birth")
    if idd in ("transposed", "typo"):
        reasons.append(f"id_{idd}")
    if x.phone and x.phone == y.phone:
        reasons.append("phone")
    score = (
        3 * same_name
        + 3 * same_birth
        + 4 * (idd == "transposed")
        + 3 * (idd == "typo")
        + 2 * ("phone" in reasons)
    )
    # Two people of one county born the same day have ID numbers that differ only in the
    # sequence digits, so a near ID number alone is not enough: the name must agree too.
    strong = same_name and (same_birth or "phone" in reasons or idd in ("transposed", "typo"))
    if not strong:
        return None
    a, b = sorted((x.id, y.id))
    return Pair(a, b, score, tuple(reasons))


def find_pairs(
    people: Iterable[Rec], *, different: set[tuple[int, int]] | None = None
) -> list[Pair]:
    """Candidate duplicates across households, best first."""
    blocks: dict[tuple[str, ...], list[Rec]] = defaultdict(list)
    for r in people:
        for k in _keys(r):
            blocks[k].append(r)
    different = different or set()
    found: dict[tuple[int, int], Pair] = {}
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for x, y in combinations(members, 2):
            if x.household == y.household:
                continue
            key = (x.id, y.id) if x.id < y.id else (y.id, x.id)
            if key in found or key in different:
                continue
            pair = compare(x, y)
            if pair is not None:
                found[key] = pair
    return sorted(found.values(), key=lambda p: (-p.score, p.a, p.b))


def contained(
    pairs: Sequence[Pair], household_of: dict[int, int], sizes: dict[int, int]
) -> list[tuple[int, int]]:
    """``(inner, outer)``: households all of whose members (``sizes``: present members) are
    duplicates of people of one other household."""
    matched: dict[tuple[int, int], set[int]] = defaultdict(set)
    for p in pairs:
        ha, hb = household_of[p.a], household_of[p.b]
        matched[(ha, hb)].add(p.a)
        matched[(hb, ha)].add(p.b)
    return sorted(
        (inner, outer)
        for (inner, outer), people in matched.items()
        if len(people) == sizes.get(inner, -1)
    )


def precision_recall(
    found: Iterable[tuple[int, int]], planted: set[tuple[int, int]]
) -> tuple[float, float]:
    got = set(found)
    hit = len(got & planted)
    return (hit / len(got) if got else 1.0, hit / len(planted) if planted else 1.0)
