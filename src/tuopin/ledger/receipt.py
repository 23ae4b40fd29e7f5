"""Receipts in c2sp.org/tlog-proof@v1 form, made and checked offline. Pure code, no Django.

::

    c2sp.org/tlog-proof@v1
    extra <base64 of the entry's exact bytes>
    index <N>
    <base64 inclusion proof hash>
    ...
    <blank line>
    <signed checkpoint>

The ``extra`` line carries base64 of a small JSON object: ``entry`` (the entry's exact
bytes, as text) and ``openings`` (for the receipt's holder: label → opening and value of the
commitments that concern them). So a receipt is checked with nothing but the log's verifier
key: hash the entry as a leaf, walk the inclusion proof to the checkpoint's root, check the
checkpoint's signature, and recompute each commitment from its opening.

A commitment is ``HMAC-SHA256(key=origin, msg=opening ‖ label ‖ 0x00 ‖ value)``: the key is
the log's public origin (domain separation); the random 16-byte opening hides the value.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass

from . import merkle, note

HEADER = "c2sp.org/tlog-proof@v1"


class ReceiptError(ValueError):
    """The receipt is malformed or does not verify; the message says why."""


def commitment(origin: str, opening: bytes, label: str, value: str) -> str:
    msg = opening + label.encode() + b"\x00" + value.encode()
    return hmac.new(origin.encode(), msg, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Receipt:
    index: int
    proof: list[bytes]
    checkpoint_note: str
    entry: bytes
    openings: dict[str, dict[str, str]] | None = None  # label → {"opening": hex, "value": …}

    def text(self) -> str:
        extra = json.dumps(
            {"entry": self.entry.decode(), "openings": self.openings or {}},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
        lines = [HEADER, f"extra {base64.b64encode(extra).decode()}", f"index {self.index}"]
        lines += [base64.b64encode(h).decode() for h in self.proof]
        return "\n".join(lines) + "\n\n" + self.checkpoint_note

    @classmethod
    def parse(cls, text: str) -> Receipt:
        head, sep, checkpoint_note = text.partition("\n\n")
        lines = head.split("\n")
        if not sep or lines[0] != HEADER:
            raise ReceiptError(f"not a {HEADER} receipt")
        pos, entry = 1, b""
        openings: dict[str, dict[str, str]] = {}
        try:
            if len(lines) > pos and lines[pos].startswith("extra "):
                extra = json.loads(base64.b64decode(lines[pos][6:], validate=True))
                entry, openings = extra["entry"].encode(), extra.get("openings") or {}
                pos += 1
            if len(lines) <= pos or not lines[pos].startswith("index "):
                raise ReceiptError("the index line is missing")
            index = int(lines[pos][6:])
            proof = [base64.b64decode(h, validate=True) for h in lines[pos + 1 :]]
        except (ValueError, binascii.Error, KeyError, TypeError, AttributeError) as exc:
            if isinstance(exc, ReceiptError):
                raise
            raise ReceiptError(f"malformed receipt: {exc}") from exc
        return cls(index, proof, checkpoint_note, entry, openings)


def verify(text: str, verifier: note.Verifier) -> tuple[note.Checkpoint, bytes]:
    """Check a receipt offline; returns the checkpoint and the entry, or raises ReceiptError."""
    receipt = Receipt.parse(text)
    try:
        body = note.open_note(receipt.checkpoint_note, verifier)
        checkpoint = note.Checkpoint.parse(body)
    except note.NoteError as exc:
        raise ReceiptError(f"checkpoint: {exc}") from exc
    if not receipt.entry:
        raise ReceiptError("the receipt carries no entry to check")
    try:
        merkle.verify_inclusion(
            merkle.leaf_hash(receipt.entry),
            receipt.index,
            checkpoint.size,
            receipt.proof,
            checkpoint.root,
        )
    except merkle.ProofError as exc:
        raise ReceiptError(f"inclusion proof: {exc}") from exc
    committed = json.loads(receipt.entry).get("commitments", {})
    for label, opened in (receipt.openings or {}).items():
        want = commitment(
            checkpoint.origin, bytes.fromhex(opened["opening"]), label, opened["value"]
        )
        if committed.get(label) != want:
            raise ReceiptError(f"commitment {label!r} does not open to the given value")
    return checkpoint, receipt.entry
