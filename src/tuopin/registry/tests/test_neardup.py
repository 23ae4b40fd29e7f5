"""Near-duplicate search as pure code: blocking, comparisons, precision and recall on a
generated population with planted duplicates."""

from __future__ import annotations

from tuopin.registry import neardup
from tuopin.registry.neardup import Rec
from tuopin.registry.neardup_synthetic import population


def test_it_finds_planted_duplicates_with_high_precision_and_recall() -> None:
    people, planted = population(20_000, seed=3)
    pairs = neardup.find_pairs(people)
    precision, recall = neardup.precision_recall([(p.a, p.b) for p in pairs], planted)
    assert recall >= 0.98 and precision >= 0.95, (precision, recall)


def test_transposed_digits_are_named() -> None:
    assert neardup.id_difference("110101199003071234", "110101199030071234") == "transposed"
    assert neardup.id_difference("110101199003071234", "110101199003071244") == "typo"
    assert neardup.id_difference("110101199003071234", "110101198805051234") == "different"


def test_same_household_is_not_a_duplicate() -> None:
    a = Rec(1, 1, "王芳", "1990-01-01", "110101199001011234")
    b = Rec(2, 1, "王芳", "1990-01-01", "110101199001011250")
    assert neardup.find_pairs([a, b]) == []


def test_people_born_the_same_day_with_other_names_are_not_proposed() -> None:
    a = Rec(1, 1, "王芳", "1990-01-01", "110101199001011234")
    b = Rec(2, 2, "王强", "1990-01-01", "110101199001011250")
    assert neardup.find_pairs([a, b]) == []


def test_a_marked_pair_is_not_proposed_again() -> None:
    a = Rec(1, 1, "王芳", "1990-01-01", "110101199001011234")
    b = Rec(2, 2, "王芳", "1990-01-01", "110101199001011250")
    assert len(neardup.find_pairs([a, b])) == 1
    assert neardup.find_pairs([a, b], different={(1, 2)}) == []


def test_a_household_wholly_inside_another_is_found() -> None:
    people = [
        Rec(1, 1, "王芳", "1990-01-01", "110101199001011234"),
        Rec(2, 1, "李明", "1960-02-02", "110101196002021234"),
        Rec(3, 2, "王芳", "1990-01-01", "110101199001011250", ""),
        Rec(4, 2, "李明", "1960-02-02", "110101196002021299", ""),
        Rec(5, 2, "李小", "2010-02-02", "110101201002021299", ""),
    ]
    pairs = neardup.find_pairs(people)
    household_of = {p.id: p.household for p in people}
    assert neardup.contained(pairs, household_of, {1: 2, 2: 3}) == [(1, 2)]
