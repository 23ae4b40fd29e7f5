"""The quota ILP: equal to brute force on small cases, infeasible quota sets named."""

import random

import pytest

from tuopin.selection.quotas import Candidate, Quota, QuotaInfeasible, brute_force, ranked, select


def _pool(seed: int, m: int) -> list[Candidate]:
    rnd = random.Random(seed)
    return [
        Candidate(
            key=f"a{i:02d}",
            score=rnd.choice([2.0, 2.5, 3.0, 3.5, 4.0, 4.5]),
            groups={
                "kind": rnd.choice(["poor", "other"]),
                "province": rnd.choice(["33", "52", "53"]),
                "prefecture": rnd.choice(["5301", "5302", "5201", "3301"]),
            },
        )
        for i in range(m)
    ]


QUOTAS = [
    Quota("贫困县至少55%", "kind", values=("poor",), share_at_least=0.55),
    Quota("每省至多3", "province", at_most=3, per_value=True),
    Quota("每地市至少1", "prefecture", at_least=1, per_value=True, where_possible=True),
]


def _key(cands, keys):
    order = ranked(cands)
    rank = {cands[i].key: r for r, i in enumerate(order)}
    score = {c.key: round(c.score * 1000) for c in cands}
    return sum(score[k] for k in keys), sum(rank[k] for k in keys)


@pytest.mark.parametrize("seed", range(12))
def test_it_equals_brute_force_on_small_cases(seed):
    cands = _pool(seed, 12)
    expected = brute_force(cands, QUOTAS, 6)
    if expected is None:
        with pytest.raises(QuotaInfeasible):
            select(cands, QUOTAS, 6)
        return
    got = select(cands, QUOTAS, 6)
    assert _key(cands, got.selected) == _key(cands, expected)
    assert len(got.selected) == 6


def test_it_breaks_ties_by_key():
    cands = [Candidate(k, 3.0) for k in ["c", "a", "d", "b"]]
    assert select(cands, [], 2).selected == ["a", "b"]


def test_it_meets_a_share_quota_at_a_cost():
    cands = [Candidate(f"r{i}", 5.0, {"kind": "other"}) for i in range(4)] + [
        Candidate(f"p{i}", 3.0, {"kind": "poor"}) for i in range(4)
    ]
    q = Quota("贫困县至少50%", "kind", values=("poor",), share_at_least=0.5)
    got = select(cands, [q], 4)
    assert sorted(got.selected) == ["p0", "p1", "r0", "r1"]
    assert got.quota_cost["贫困县至少50%"] == pytest.approx(4.0)
    assert sorted(got.forced_in) == ["p0", "p1"]
    assert sorted(got.forced_out) == ["r2", "r3"]


def test_it_names_the_quotas_that_clash():
    cands = [Candidate(f"x{i}", 4.0, {"kind": "poor", "province": "53"}) for i in range(3)] + [
        Candidate(f"y{i}", 4.0, {"kind": "other", "province": "52"}) for i in range(3)
    ]
    quotas = [
        Quota("贫困县至少3", "kind", values=("poor",), at_least=3),
        Quota("云南至多2", "province", values=("53",), at_most=2),
        Quota("其他至多5", "kind", values=("other",), at_most=5),
    ]
    with pytest.raises(QuotaInfeasible) as e:
        select(cands, quotas, 3)
    assert e.value.clash == ["贫困县至少3", "云南至多2"]


def test_it_names_a_quota_that_asks_for_more_than_exist():
    cands = [Candidate(f"x{i}", 4.0, {"kind": "other"}) for i in range(5)]
    with pytest.raises(QuotaInfeasible) as e:
        select(cands, [Quota("贫困县至少2", "kind", values=("poor",), at_least=2)], 3)
    assert e.value.clash == ["贫困县至少2"]


def test_a_prefecture_without_applicants_does_not_block_where_possible():
    cands = [
        Candidate(f"x{i}", 4.0 - i / 10, {"prefecture": "5301" if i else "5302"}) for i in range(4)
    ]
    q = Quota(
        "每地市至少1",
        "prefecture",
        values=("5301", "5302", "5303"),
        at_least=1,
        per_value=True,
        where_possible=True,
    )
    got = select(cands, [q], 2)
    assert "x0" in got.selected
