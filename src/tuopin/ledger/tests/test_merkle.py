"""The pure Merkle core against the published RFC 6962 vectors and a tree built by hand."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from tuopin.ledger import merkle

VECTORS = Path(__file__).parent / "vectors" / "rfc6962"
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
# The Go library rejects these; C2SP (and tuopin) accept an empty first tree with an empty proof,
# and two empty trees whose roots are equal.
C2SP_ACCEPTS = {
    "consistency/additional/size1-is-zero-and-does-not-equal-size2.json",
    "consistency/additional/size1-is-zero-and-size2-is-not-zero.json",
    "consistency/additional/sizes-are-equal-zero-and-proof-is-empty.json",
}


def b64(value: str) -> bytes:
    return base64.b64decode(value)


def cases(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).rglob("*.json"))


def test_the_vectors_are_all_there() -> None:
    assert len(cases("inclusion")) > 50 and len(cases("consistency")) > 80


@pytest.mark.parametrize("path", cases("inclusion"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_inclusion_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    args = (
        b64(case["leafHash"]),
        case["leafIdx"],
        case["treeSize"],
        [b64(p) for p in case["proof"] or []],
        b64(case["root"]),
    )
    if case["wantErr"]:
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(*args)
    else:
        merkle.verify_inclusion(*args)


@pytest.mark.parametrize("path", cases("consistency"), ids=lambda p: str(p.relative_to(VECTORS)))
def test_consistency_vectors(path: Path) -> None:
    case = json.loads(path.read_text())
    args = (
        case["size1"],
        case["size2"],
        [b64(p) for p in case["proof"] or []],
        b64(case["root1"]),
        b64(case["root2"]),
    )
    want_error = case["wantErr"] and str(path.relative_to(VECTORS)) not in C2SP_ACCEPTS
    if want_error:
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(*args)
    else:
        merkle.verify_consistency(*args)


def test_an_empty_first_tree_is_consistent_with_any_tree_as_c2sp_says() -> None:
    size8 = merkle.root([merkle.leaf_hash(x) for x in LEAVES])
    merkle.verify_consistency(0, 8, [], merkle.EMPTY_ROOT, size8)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(0, 8, [size8], merkle.EMPTY_ROOT, size8)


def test_root_of_the_reference_tree() -> None:
    hashes = [merkle.leaf_hash(x) for x in LEAVES]
    assert merkle.root(hashes).hex().startswith("5dc9da79")
    assert merkle.root([]) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("size", range(1, 40))
def test_generated_proofs_verify_and_tampered_ones_do_not(size: int) -> None:
    hashes = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    top = merkle.root(hashes)
    for index in range(size):
        proof = merkle.inclusion_proof(index, hashes)
        merkle.verify_inclusion(hashes[index], index, size, proof, top)
        if proof:
            bad = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
            with pytest.raises(merkle.ProofError):
                merkle.verify_inclusion(hashes[index], index, size, bad, top)
    for m in range(1, size + 1):
        proof = merkle.consistency_proof(m, hashes)
        merkle.verify_consistency(m, size, proof, merkle.root(hashes[:m]), top)


@pytest.mark.parametrize(
    ("n", "path"),
    [
        (0, "000"),
        (7, "007"),
        (999, "999"),
        (1000, "x001/000"),
        (1234067, "x001/x234/067"),
    ],
)
def test_tile_index_paths(n: int, path: str) -> None:
    assert merkle.tile_index_path(n) == path
    assert merkle.parse_tile_index(path) == n


@pytest.mark.parametrize("bad", ["1234", "x001", "001/000", "x001/00", "x000/001", "-01"])
def test_malformed_tile_paths_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        merkle.parse_tile_index(bad)


def test_tile_widths() -> None:
    assert merkle.tile_width(0, 0, 300) == 256
    assert merkle.tile_width(0, 1, 300) == 44
    assert merkle.tile_width(0, 2, 300) == 0
    assert merkle.tile_width(1, 0, 300) == 1
    assert merkle.tile_width(1, 0, 256 * 256 + 5) == 256
