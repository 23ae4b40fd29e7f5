"""RFC 6962 / RFC 9162 Merkle trees: hashing, inclusion and consistency proofs, tiles.

Pure code, no Django: the ledger's models and views build on it, and anyone can check a proof
with it (or with any other RFC 6962 implementation).

Leaf hash ``SHA-256(0x00 ‖ data)``, node hash ``SHA-256(0x01 ‖ left ‖ right)``, the empty
tree's root ``SHA-256("")``. Tiles follow C2SP tlog-tiles (height 8: 256 hashes a tile).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT


class ProofError(ValueError):
    """A proof does not verify, or its parameters are impossible."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


_BLOCK = 1 << 12  # leaves hashed level by level at once: bounded memory


def _perfect(leaves: Sequence[bytes], lo: int, hi: int) -> bytes:
    """MTH of ``leaves[lo:hi]``, a power of two of them: level by level, one list
    comprehension per level (no per-node function call or stack)."""
    if hi - lo > _BLOCK:
        mid = (lo + hi) // 2
        return node_hash(_perfect(leaves, lo, mid), _perfect(leaves, mid, hi))
    row = list(leaves[lo:hi])
    sha256 = hashlib.sha256
    while len(row) > 1:
        pairs = iter(row)
        row = [
            sha256(b"\x01" + left + right).digest()
            for left, right in zip(pairs, pairs, strict=True)
        ]
    return row[0]


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH of a list of leaf hashes (RFC 9162 §2.1.1): the complete subtrees from the left
    (largest first), then joined from the right. O(n) hashes, O(log n + 4,096) memory."""
    n = len(leaves)
    if not n:
        return EMPTY_ROOT
    subtrees: list[bytes] = []
    start = 0
    while start < n:
        size = 1 << ((n - start).bit_length() - 1)
        subtrees.append(_perfect(leaves, start, start + size))
        start += size
    node = subtrees.pop()
    while subtrees:
        node = node_hash(subtrees.pop(), node)
    return node


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(index, D[n]) of RFC 9162 §2.1.3.1 over leaf hashes."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ProofError(f"index {index} outside a tree of size {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return [*inclusion_proof(index, leaves[:k]), root(leaves[k:])]
    return [*inclusion_proof(index - k, leaves[k:]), root(leaves[:k])]


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1 over leaf hashes (0 < m <= n)."""
    n = len(leaves)
    if not 0 < m <= n:
        raise ProofError(f"no consistency proof from size {m} to size {n}")
    return _subproof(m, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete), root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), root(leaves[:k])]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_: bytes
) -> None:
    """Check that ``leaf`` (a leaf hash) is at ``index`` in the tree of ``size`` with ``root_``.

    RFC 9162 §2.1.3.2. Raises :class:`ProofError` if not.
    """
    if not 0 <= index < size:
        raise ProofError(f"index {index} outside a tree of size {size}")
    _check_hashes([leaf, root_, *proof])
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            raise ProofError("proof too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("proof too short")
    if r != root_:
        raise ProofError("root mismatch")


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that the tree of ``size2`` with ``root2`` extends the tree of ``size1``/``root1``.

    RFC 9162 §2.1.4.2, with the C2SP convention that an empty first tree is consistent with
    any tree (two empty trees only with equal roots). Raises :class:`ProofError` if not.
    """
    if size1 < 0 or size2 < size1:
        raise ProofError(f"size {size1} cannot precede size {size2}")
    if size1 == 0:
        if proof:
            raise ProofError("proof must be empty for an empty first tree")
        if size2 == 0 and root1 != root2:
            raise ProofError("two empty trees with different roots")
        return
    if size1 == size2:
        if proof:
            raise ProofError("proof must be empty for equal sizes")
        if root1 != root2:
            raise ProofError("equal sizes with different roots")
        return
    _check_hashes([root1, root2, *proof])
    if not proof:
        raise ProofError("empty proof")
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # a power of two: the first tree is a complete subtree
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("proof too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("proof too short")
    if fr != root1:
        raise ProofError("first root mismatch")
    if sr != root2:
        raise ProofError("second root mismatch")


def _check_hashes(hashes: Sequence[bytes]) -> None:
    for h in hashes:
        if len(h) != HASH_SIZE:
            raise ProofError(f"a hash of {len(h)} bytes, not {HASH_SIZE}")


# -- tiles (C2SP tlog-tiles) ----------------------------------------------------------------


def tile_index_path(n: int) -> str:
    """The ``N`` of a tile path: 3-digit elements, all but the last prefixed with ``x``."""
    if n < 0:
        raise ValueError("tile index must not be negative")
    parts = []
    while True:
        parts.append(f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    parts.reverse()
    return "/".join([*("x" + p for p in parts[:-1]), parts[-1]])


def parse_tile_index(path: str) -> int:
    """Inverse of :func:`tile_index_path`; raises ValueError on any other form."""
    parts = path.split("/")
    n = 0
    for i, part in enumerate(parts):
        digits = part[1:] if i < len(parts) - 1 else part
        if (
            (i < len(parts) - 1 and not part.startswith("x"))
            or len(digits) != 3
            or not digits.isdigit()
        ):
            raise ValueError(f"bad tile index path: {path!r}")
        n = n * 1000 + int(digits)
    if tile_index_path(n) != path:
        raise ValueError(f"non-canonical tile index path: {path!r}")
    return n


def tile_width(level: int, index: int, tree_size: int) -> int:
    """How many hashes tile (level, index) holds in a tree of ``tree_size`` (0 if none)."""
    stored = tree_size >> (TILE_HEIGHT * level)  # hashes at this tile level's bottom row
    start = index * TILE_WIDTH
    return max(0, min(TILE_WIDTH, stored - start))
