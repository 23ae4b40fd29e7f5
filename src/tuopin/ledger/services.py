"""Writes of the ledger: append an entry (inside the caller's transaction), integrate and sign.

``append_entry`` is the one function other apps call, in the same database transaction as the
change it records: the change and its entry commit together or not at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import merkle, note, tree
from .errors import BadEntry, InconsistentLog, NoSigningKey
from .models import Checkpoint, Entry, Kind, LogHead, TileVersion
from .selectors import DbHashSource, latest_checkpoint

SCHEMA_VERSION = 1
RESERVED = {"v", "kind", "at", "index"}
INTEGRATE_BATCH = 65_536


def canonical_json(obj: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the exact bytes that are hashed."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def append_entry(*, kind: str, payload: dict[str, Any]) -> Entry:
    """Append one entry. Locks the log head, so indexes are gapless under concurrency.

    Joins the caller's transaction: if that rolls back, the entry was never there.
    """
    if kind not in Kind.values:
        raise BadEntry(_("未知的账本条目类型：%(k)s") % {"k": kind})
    clash = RESERVED & set(payload)
    if clash:
        raise BadEntry(_("条目内容不能使用保留字段：%(f)s") % {"f": ", ".join(sorted(clash))})
    at = timezone.now()
    with transaction.atomic():
        head = LogHead.objects.select_for_update().get(pk=1)
        index = head.next_index
        data = canonical_json(
            {**payload, "v": SCHEMA_VERSION, "kind": kind, "at": at.isoformat(timespec="seconds")}
        )
        entry = Entry.objects.create(
            index=index, kind=kind, at=at, data=data, leaf_hash=merkle.leaf_hash(data)
        )
        LogHead.objects.filter(pk=1).update(next_index=index + 1)
    return entry


def load_signer() -> note.Signer:
    path = Path(settings.LEDGER_KEY_FILE)
    if not path.is_file():
        raise NoSigningKey(
            _("没有账本签名密钥：请先运行 tuopin ledger keygen（%(p)s）") % {"p": path}
        )
    return note.Signer.from_skey(path.read_text())


def generate_key(*, path: Path, name: str) -> note.Signer:
    """Write a new signing key to ``path``; refuses to overwrite one."""
    if path.exists():
        raise NoSigningKey(_("密钥文件已存在，拒绝覆盖：%(p)s") % {"p": path})
    signer = note.Signer.generate(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="ascii") as fh:
        fh.write(signer.skey() + "\n")
    path.chmod(0o600)
    return signer


def integrate(*, signer: note.Signer | None = None) -> Checkpoint | None:
    """Add every entry not yet in the tree to the tiles and sign a new checkpoint.

    Proves the new tree consistent with the last signed checkpoint before signing, so the log
    never signs two inconsistent views. Returns None when there is nothing new.
    """
    signer = signer or load_signer()
    with transaction.atomic():
        LogHead.objects.select_for_update().get(pk=1)  # one integration at a time
        last = latest_checkpoint()
        size = last.size if last else 0
        source = DbHashSource()
        while True:
            leaves = [
                bytes(h)
                for h in Entry.objects.filter(index__gte=size, index__lt=size + INTEGRATE_BATCH)
                .order_by("index")
                .values_list("leaf_hash", flat=True)
            ]
            if not leaves:
                break
            changed = tree.extend(source, size, leaves)
            TileVersion.objects.bulk_create(
                [
                    TileVersion(level=level, index=index, width=len(h), hashes=b"".join(h))
                    for (level, index), h in changed.items()
                ],
                ignore_conflicts=True,
            )
            source.forget()
            size += len(leaves)
        if last is not None and size == last.size:
            return None
        root = tree.tree_root(source, size)
        if last is not None:
            proof = tree.consistency_proof(source, last.size, size)
            try:
                merkle.verify_consistency(last.size, size, proof, bytes(last.root), root)
            except merkle.ProofError as exc:
                raise InconsistentLog(_("账本与上一个检查点不一致：%(e)s") % {"e": exc}) from exc
        body = note.Checkpoint(settings.LEDGER_ORIGIN, size, root).body()
        return Checkpoint.objects.create(size=size, root=root, note=signer.sign(body))
