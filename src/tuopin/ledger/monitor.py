"""Watch another instance's log over C2SP tlog-tiles: signature, growth, consistency.

Pure code apart from the fetch function it is given (HTTP in the command, a test client in
tests). It never trusts the server: every hash it uses comes from tiles it checks against the
signed root.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import merkle, note, tree
from .merkle import TILE_WIDTH

Fetch = Callable[[str], bytes]


class MonitorAlarm(Exception):
    """The log showed a split view, a rollback or a rewrite, or served bad data."""


class TileSource:
    """Stored hashes fetched from ``/tile/<L>/<N>[.p/<W>]`` for a tree of ``size``."""

    def __init__(self, fetch: Fetch, base: str, size: int) -> None:
        self.fetch, self.base, self.size = fetch, base.rstrip("/"), size
        self.cache: dict[tuple[int, int], bytes] = {}

    def tile(self, level: int, index: int) -> bytes:
        if (level, index) not in self.cache:
            width = merkle.tile_width(level, index, self.size)
            path = f"{self.base}/tile/{level}/{merkle.tile_index_path(index)}"
            if width < TILE_WIDTH:
                path += f".p/{width}"
            blob = self.fetch(path)
            if len(blob) != width * 32:
                raise MonitorAlarm(f"tile {level}/{index}: {len(blob)} bytes, want {width * 32}")
            self.cache[(level, index)] = blob
        return self.cache[(level, index)]

    def hashes(self, level: int, start: int, end: int) -> list[bytes]:
        return tree.hashes_from_tiles(lambda index: self.tile(level, index), start, end)


@dataclass
class Seen:
    size: int
    root: bytes
    note: str

    def dump(self) -> str:
        return json.dumps(
            {"size": self.size, "root": base64.b64encode(self.root).decode(), "note": self.note}
        )

    @classmethod
    def load(cls, text: str) -> Seen:
        d = json.loads(text)
        return cls(d["size"], base64.b64decode(d["root"]), d["note"])


def check(fetch: Fetch, base: str, verifier: note.Verifier, last: Seen | None) -> tuple[Seen, str]:
    """One round: fetch and verify the checkpoint, check it against the tiles and against the
    last checkpoint seen. Returns the new state and a one-line report; raises MonitorAlarm."""
    signed = fetch(base.rstrip("/") + "/checkpoint").decode()
    try:
        cp = note.Checkpoint.parse(note.open_note(signed, verifier))
    except note.NoteError as exc:
        raise MonitorAlarm(f"checkpoint signature: {exc}") from exc
    source = TileSource(fetch, base, cp.size)
    if cp.size and tree.tree_root(source, cp.size) != cp.root:
        raise MonitorAlarm(f"the tiles do not hash to the signed root at size {cp.size}")
    if last is not None:
        if cp.size < last.size:
            raise MonitorAlarm(f"rollback: size {cp.size} after {last.size} was signed")
        if cp.size == last.size and cp.root != last.root:
            raise MonitorAlarm(f"split view: two roots signed for size {cp.size}")
        if 0 < last.size < cp.size:
            proof = tree.consistency_proof(source, last.size, cp.size)
            try:
                merkle.verify_consistency(last.size, cp.size, proof, last.root, cp.root)
            except merkle.ProofError as exc:
                raise MonitorAlarm(f"rewrite: size {cp.size} does not extend {last.size}") from exc
    grown = cp.size - (last.size if last else 0)
    return Seen(cp.size, cp.root, signed), f"OK: {cp.origin} size {cp.size} (+{grown})"


def run(fetch: Fetch, base: str, verifier: note.Verifier, state: Path | None) -> str:
    last = Seen.load(state.read_text()) if state and state.exists() else None
    seen, report = check(fetch, base, verifier, last)
    if state:
        state.write_text(seen.dump())
    return report
