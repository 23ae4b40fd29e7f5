"""Reviewer assignment with conflicts and score normalisation (pure, no database)."""

import pytest

from tuopin.selection.assignment import Entry, Reviewer, assign, conflict
from tuopin.selection.normalise import Mark, normalise, severities


def test_same_county_is_a_conflict():
    assert (
        conflict(Reviewer("r", county="530102"), Entry("a", county="530102001001")) == "same_county"
    )


def test_same_school_kin_and_own_nominee_are_conflicts():
    r = Reviewer("r", school="一中", kin=frozenset({"p9"}))
    assert conflict(r, Entry("a", school="一中")) == "same_school"
    assert conflict(r, Entry("a", applicant="p9")) == "kin"
    assert conflict(r, Entry("a", nominator="r")) == "own_nominee"
    assert conflict(r, Entry("a", county="520101", school="二中")) is None


def test_it_never_assigns_a_conflicted_reviewer():
    reviewers = [Reviewer(f"r{j}", county=f"5{j % 3}0101") for j in range(6)]
    entries = [Entry(f"a{i}", county=f"5{i % 3}0101") for i in range(30)]
    plan = assign(entries, reviewers, 2)
    rev = {r.key: r for r in reviewers}
    ent = {e.key: e for e in entries}
    assert len(plan.pairs) == 60 and not plan.short
    assert all(conflict(rev[r], ent[a]) is None for a, r in plan.pairs)


def test_it_balances_the_load():
    reviewers = [Reviewer(f"r{j}") for j in range(7)]
    plan = assign([Entry(f"a{i}") for i in range(50)], reviewers, 3)
    assert max(plan.load.values()) - min(plan.load.values()) <= 1


def test_it_reports_applications_left_short():
    plan = assign([Entry("a", county="530101")], [Reviewer("r", county="530101")], 1)
    assert plan.short == {"a": 1}


def test_a_harsh_reviewer_is_negative_and_normalised_up():
    marks = [Mark("harsh", f"a{i}", 2 + i * 0.1) for i in range(4)] + [
        Mark("kind", f"b{i}", 4 + i * 0.1) for i in range(4)
    ]
    sev = severities(marks)
    assert sev["harsh"].z < 0 < sev["kind"].z
    out = normalise(marks)
    assert out["a3"].normalised == pytest.approx(out["b3"].normalised)
    assert out["a3"].normalised > out["a3"].raw


def test_an_outlying_score_is_flagged():
    marks = [Mark(r, "x", 4.0 + d) for r, d in [("r1", 0), ("r2", 0.1), ("r3", -0.1), ("r4", -3)]]
    assert normalise(marks)["x"].outliers == ["r4"]
