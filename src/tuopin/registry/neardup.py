"""Near-duplicate people across households (疑似重复人员), as pure code.

The same person registered twice cannot share an ID number (the registry refuses it), so the
duplicates that remain differ in it: mistyped or transposed digits, or another number
altogether with the same name and birth date, or the same name and phone. Comparing all
pairs is quadratic; people are compared only within *blocks* that every pair :func:`compare`
accepts shares (each key holds the name, which an accepted pair always has in common):

- name + birth date;
- name + phone;
- name + one of three segments of the ID number's 17 digits (birth year, month and day, the
  sequence): at most two digits differ in a mistyped or transposed number, so at least one of
  the three segments is intact, wherever the digits are (the region's too).

Blocks larger than :data:`MAX_BLOCK` (a very common name born the same day) are skipped. The
same keys drive the set-based search in SQL (``registry.upkeep.candidates``).

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


# Segments of the ID number (start, length) that carry a block key: with at most two of the
# 17 digits different, one of them is intact.
ID_SEGMENTS = {"y": (6, 4), "d": (10, 4), "s": (14, 3)}


def block_keys(r: Rec) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = [("b", r.name, r.birth)]
    if r.phone:
        keys.append(("p", r.name, r.phone))
    if len(r.id_number) == 18:
        for kind, (start, length) in ID_SEGMENTS.items():
            keys.append((kind, r.name, r.id_number[start : start + length]))
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


def score_candidates(
    candidates: Iterable[tuple[Rec, Rec]], *, different: set[tuple[int, int]] | None = None
) -> list[Pair]:
    """The candidate pairs (sharing a block, in two households) that :func:`compare`
    accepts and no officer marked as different, best first."""
    different = different or set()
    found: dict[tuple[int, int], Pair] = {}
    for x, y in candidates:
        key = (x.id, y.id) if x.id < y.id else (y.id, x.id)
        if key in found or key in different:
            continue
        pair = compare(x, y)
        if pair is not None:
            found[key] = pair
    return sorted(found.values(), key=lambda p: (-p.score, p.a, p.b))


def find_pairs(
    people: Iterable[Rec], *, different: set[tuple[int, int]] | None = None
) -> list[Pair]:
    """Candidate duplicates across households, best first (the search in memory)."""
    blocks: dict[tuple[str, ...], list[Rec]] = defaultdict(list)
    for r in people:
        for k in block_keys(r):
            blocks[k].append(r)
    candidates = (
        (x, y)
        for members in blocks.values()
        if 2 <= len(members) <= MAX_BLOCK
        for x, y in combinations(members, 2)
        if x.household != y.household
    )
    return score_candidates(candidates, different=different)


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
