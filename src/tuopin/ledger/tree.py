"""A Merkle tree stored as C2SP tiles: extending it, its root, and proofs. Pure code.

Level ``L`` of the tiles holds the hashes of the complete subtrees of height ``8L``: level 0
the leaf hashes, level 1 the roots of each 256 leaves, and so on; a tile holds 256 of them
(fewer at the right edge: a partial tile). Everything here reads hashes through a
:class:`HashSource`, so the same code serves tiles in a database and lists in a test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from . import merkle
from .merkle import TILE_HEIGHT, TILE_WIDTH


class HashSource(Protocol):
    def hashes(self, level: int, start: int, end: int) -> list[bytes]:
        """Stored hashes ``start..end-1`` of tile level ``level``."""
        ...


def hashes_from_tiles(tile: Callable[[int], bytes], start: int, end: int) -> list[bytes]:
    """Stored hashes ``start..end-1`` of one level, cut from whole tiles ``tile(index)``."""
    out: list[bytes] = []
    for index in range(start // TILE_WIDTH, (end - 1) // TILE_WIDTH + 1 if end > start else 0):
        blob = tile(index)
        lo = max(start, index * TILE_WIDTH) - index * TILE_WIDTH
        hi = min(end, (index + 1) * TILE_WIDTH) - index * TILE_WIDTH
        if len(blob) < hi * 32:
            raise LookupError(f"tile {index} lacks hashes {lo}..{hi}")
        out.extend(blob[i * 32 : (i + 1) * 32] for i in range(lo, hi))
    return out


def stored_count(level: int, size: int) -> int:
    """How many hashes tile level ``level`` holds in a tree of ``size`` leaves."""
    return size >> (TILE_HEIGHT * level)


def extend(
    source: HashSource, old_size: int, new_leaves: Sequence[bytes]
) -> dict[tuple[int, int], list[bytes]]:
    """The tiles that change when ``new_leaves`` are appended to a tree of ``old_size``.

    Returns ``{(level, tile index): all hashes of that tile now}`` for every new or grown tile.
    """
    new_size = old_size + len(new_leaves)
    changed: dict[tuple[int, int], list[bytes]] = {}
    fresh = list(new_leaves)  # the new stored hashes of the current level
    level = 0
    while fresh:
        first = stored_count(level, old_size)
        start_tile = first // TILE_WIDTH
        prefix = source.hashes(level, start_tile * TILE_WIDTH, first) if first % TILE_WIDTH else []
        row = prefix + fresh  # hashes from the start of start_tile to the end
        completed: list[bytes] = []
        for offset in range(0, len(row), TILE_WIDTH):
            tile = start_tile + offset // TILE_WIDTH
            hashes = row[offset : offset + TILE_WIDTH]
            changed[(level, tile)] = hashes
            if len(hashes) == TILE_WIDTH:
                completed.append(merkle.root(hashes))
        # A tile that was already complete is never in `row`, so every root here is new.
        fresh = completed
        level += 1
        if stored_count(level, new_size) == 0:
            break
    return changed


def _aligned(source: HashSource, start: int, size: int) -> bytes:
    """The hash of the complete subtree of ``size`` (a power of two) leaves from ``start``."""
    height = size.bit_length() - 1
    level, rest = divmod(height, TILE_HEIGHT)
    first = start >> (TILE_HEIGHT * level)
    shortcut = getattr(source, "aligned_root", None)  # a source may know it without hashing
    if shortcut is not None:
        return shortcut(level, first, first + (1 << rest))  # type: ignore[no-any-return]
    return merkle.root(source.hashes(level, first, first + (1 << rest)))


def range_hash(source: HashSource, start: int, end: int) -> bytes:
    """MTH of leaves ``start..end-1``, where ``start`` is aligned as in RFC 9162's recursion."""
    if end <= start:
        return merkle.EMPTY_ROOT
    chunks: list[bytes] = []
    pos = start
    while pos < end:
        size = 1 << ((end - pos).bit_length() - 1)
        while pos % size:
            size >>= 1
        chunks.append(_aligned(source, pos, size))
        pos += size
    node = chunks[-1]
    for chunk in reversed(chunks[:-1]):
        node = merkle.node_hash(chunk, node)
    return node


def tree_root(source: HashSource, size: int) -> bytes:
    return range_hash(source, 0, size)


def inclusion_proof(source: HashSource, index: int, size: int) -> list[bytes]:
    if not 0 <= index < size:
        raise merkle.ProofError(f"index {index} outside a tree of size {size}")
    return _path(source, index, 0, size)


def _path(source: HashSource, m: int, a: int, b: int) -> list[bytes]:
    if b - a == 1:
        return []
    k = 1 << ((b - a - 1).bit_length() - 1)
    if m < a + k:
        return [*_path(source, m, a, a + k), range_hash(source, a + k, b)]
    return [*_path(source, m, a + k, b), range_hash(source, a, a + k)]


def consistency_proof(source: HashSource, first: int, second: int) -> list[bytes]:
    """The proof that the tree of ``second`` leaves extends the one of ``first``; empty from
    an empty tree (C2SP: an empty tree is consistent with any tree, as ``merkle`` checks)."""
    if not 0 <= first <= second:
        raise merkle.ProofError(f"no consistency proof from size {first} to size {second}")
    if first == 0:
        return []
    return _subproof(source, first, 0, second, True)


def _subproof(source: HashSource, m: int, a: int, b: int, complete: bool) -> list[bytes]:
    if m == b - a:
        return [] if complete else [range_hash(source, a, b)]
    k = 1 << ((b - a - 1).bit_length() - 1)
    if m <= k:
        return [*_subproof(source, m, a, a + k, complete), range_hash(source, a + k, b)]
    return [*_subproof(source, m - k, a + k, b, False), range_hash(source, a, a + k)]


class MemorySource:
    """Stored hashes kept in lists: for tests and for checking a tree built elsewhere."""

    def __init__(self) -> None:
        self.levels: list[list[bytes]] = []
        self.size = 0

    def hashes(self, level: int, start: int, end: int) -> list[bytes]:
        return self.levels[level][start:end]

    def append(self, leaves: Sequence[bytes]) -> dict[tuple[int, int], list[bytes]]:
        changed = extend(self, self.size, leaves)
        for (level, tile), hashes in changed.items():
            while len(self.levels) <= level:
                self.levels.append([])
            row = self.levels[level]
            del row[tile * TILE_WIDTH :]
            row.extend(hashes)
        self.size += len(leaves)
        return changed
