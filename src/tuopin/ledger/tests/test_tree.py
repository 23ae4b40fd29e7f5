"""Tiles built by appending in batches agree with the plain RFC 6962 tree."""

from __future__ import annotations

import random

import pytest

from tuopin.ledger import merkle, tree


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(i.to_bytes(8, "big")) for i in range(n)]


@pytest.mark.parametrize("sizes", [[1], [255, 1], [256], [300, 1, 5000], [65536 + 7], [7] * 50])
def test_roots_and_proofs_from_tiles_match_the_plain_tree(sizes: list[int]) -> None:
    all_leaves = leaves(sum(sizes))
    source = tree.MemorySource()
    done = 0
    for n in sizes:
        source.append(all_leaves[done : done + n])
        done += n
        assert tree.tree_root(source, done) == merkle.root(all_leaves[:done])
    rng = random.Random(1)
    for index in {0, done - 1, *(rng.randrange(done) for _ in range(20))}:
        assert tree.inclusion_proof(source, index, done) == merkle.inclusion_proof(
            index, all_leaves
        )
    for first in {1, done, *(rng.randrange(1, done + 1) for _ in range(10))}:
        proof = tree.consistency_proof(source, first, done)
        assert proof == merkle.consistency_proof(first, all_leaves)
        merkle.verify_consistency(
            first, done, proof, merkle.root(all_leaves[:first]), tree.tree_root(source, done)
        )


def test_level_one_holds_the_roots_of_full_level_zero_tiles() -> None:
    source = tree.MemorySource()
    all_leaves = leaves(600)
    changed = source.append(all_leaves)
    assert sorted(changed) == [(0, 0), (0, 1), (0, 2), (1, 0)]
    assert len(changed[(0, 2)]) == 600 - 512
    assert changed[(1, 0)] == [merkle.root(all_leaves[:256]), merkle.root(all_leaves[256:512])]
