"""Reads of the ledger: tiles as a hash source, checkpoints, entries, proofs."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Max, Q

from . import tree
from .merkle import TILE_WIDTH
from .models import Checkpoint, Entry, TileVersion


class DbHashSource:
    """Stored hashes read from the widest version of each tile, cached for one use."""

    def __init__(self) -> None:
        self._tiles: dict[tuple[int, int], bytes] = {}

    def tile(self, level: int, index: int) -> bytes:
        key = (level, index)
        if key not in self._tiles:
            row = (
                TileVersion.objects.filter(level=level, index=index)
                .order_by("-width")
                .values_list("hashes", flat=True)
                .first()
            )
            self._tiles[key] = bytes(row) if row is not None else b""
        return self._tiles[key]

    def forget(self) -> None:
        self._tiles.clear()

    def prefetch(self, keys: set[tuple[int, int]]) -> None:
        """Load many tiles in one query (the widest version of each)."""
        wanted = keys - set(self._tiles)
        if not wanted:
            return
        q = Q()
        for level, index in wanted:
            q |= Q(level=level, index=index)
        for level, index, hashes in (
            TileVersion.objects.filter(q)
            .order_by("level", "index", "width")
            .values_list("level", "index", "hashes")
        ):
            self._tiles[(level, index)] = bytes(hashes)  # widest last: it wins
        for key in wanted:
            self._tiles.setdefault(key, b"")

    def hashes(self, level: int, start: int, end: int) -> list[bytes]:
        return tree.hashes_from_tiles(lambda index: self.tile(level, index), start, end)


class _Recorder:
    """A hash source that only notes which tiles a computation would read."""

    def __init__(self) -> None:
        self.tiles: set[tuple[int, int]] = set()

    def hashes(self, level: int, start: int, end: int) -> list[bytes]:
        return tree.hashes_from_tiles(lambda index: self._note(level, index), start, end)

    def _note(self, level: int, index: int) -> bytes:
        self.tiles.add((level, index))
        return bytes(32 * TILE_WIDTH)

    def aligned_root(self, level: int, start: int, end: int) -> bytes:
        self.hashes(level, start, end)
        return bytes(32)  # only which tiles matter here, not the hash


def _prefetched(compute: Callable[[tree.HashSource], list[bytes]]) -> list[bytes]:
    """Run ``compute`` once on a recorder to learn its tiles, load them in one query, then
    run it for real: a proof costs one round trip to the database, not one per tile."""
    recorder = _Recorder()
    compute(recorder)
    source = DbHashSource()
    source.prefetch(recorder.tiles)
    return compute(source)


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def tile_bytes(level: int, index: int, width: int) -> bytes | None:
    """The tile ``level/index`` at ``width`` hashes, if the log has published that many."""
    widest = (
        TileVersion.objects.filter(level=level, index=index).aggregate(w=Max("width"))["w"] or 0
    )
    if widest < width:
        return None
    return DbHashSource().tile(level, index)[: width * 32]


def entry_bundle(index: int, width: int) -> bytes | None:
    """Entries ``index*256 ..`` (``width`` of them) as uint16-length-prefixed data."""
    if tile_bytes(0, index, width) is None:  # only entries already in the published tree
        return None
    rows = (
        Entry.objects.filter(index__gte=index * TILE_WIDTH, index__lt=index * TILE_WIDTH + width)
        .order_by("index")
        .values_list("data", flat=True)
    )
    out = bytearray()
    for data in rows:
        blob = bytes(data)
        out += len(blob).to_bytes(2, "big") + blob
    return bytes(out)


def inclusion_proof(index: int, size: int) -> list[bytes]:
    return _prefetched(lambda source: tree.inclusion_proof(source, index, size))


def consistency_proof(first: int, second: int) -> list[bytes]:
    return _prefetched(lambda source: tree.consistency_proof(source, first, second))


def decoded_entries(
    *, index: int | None = None, indexes: list[int] | None = None, limit: int = 20
) -> list[dict[str, object]]:
    """Recent entries (or the one at ``index``, or those at ``indexes``) decoded for display:
    kind, time, amounts."""
    import json

    qs = Entry.objects.order_by("-index")
    if index is not None:
        qs = qs.filter(index=index)
    if indexes is not None:
        qs = qs.filter(index__in=indexes)
    out = []
    for e in qs[:limit]:
        data = json.loads(bytes(e.data))
        amount = data.get("amount_fen")
        out.append(
            {
                "index": e.index,
                "kind": e.get_kind_display(),
                "at": e.at,
                "data": data,
                "amount_fen": amount if isinstance(amount, int) else None,
            }
        )
    return out


def verifier_key() -> str | None:
    """The log's public verifier key, if a signing key is configured."""
    from django.conf import settings

    from . import note

    try:
        return note.Signer.from_skey(settings.LEDGER_KEY_FILE.read_text()).verifier.vkey()
    except (OSError, note.NoteError):
        return None
