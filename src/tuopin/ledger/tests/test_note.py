"""Signed notes and checkpoints, checked against an independent Ed25519 verification."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tuopin.ledger import note


def test_signed_checkpoint_verifies_with_the_published_key_and_by_hand() -> None:
    signer = note.Signer.generate("tuopin.example/ledger")
    body = note.Checkpoint("tuopin.example/ledger", 8, bytes(32)).body()
    signed = signer.sign(body)
    verifier = note.parse_vkey(signer.verifier.vkey())
    assert note.open_note(signed, verifier) == body
    # By hand, as any C2SP verifier would: key id, then the Ed25519 signature over the body.
    sig_line = signed.splitlines()[-1]
    assert sig_line.startswith("\u2014 tuopin.example/ledger ")
    blob = base64.b64decode(sig_line.split(" ")[2])
    name, _key_hex, key_b64 = signer.verifier.vkey().split("+", 2)
    public = base64.b64decode(key_b64)[1:]
    assert blob[:4] == hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]
    Ed25519PublicKey.from_public_bytes(public).verify(blob[4:], body.encode())
    assert note.Checkpoint.parse(body) == note.Checkpoint("tuopin.example/ledger", 8, bytes(32))


def test_a_flipped_bit_or_another_key_fails() -> None:
    signer = note.Signer.generate("log")
    signed = signer.sign(note.Checkpoint("log", 1, bytes(32)).body())
    tampered = signed.replace("\n1\n", "\n2\n", 1)
    with pytest.raises(note.NoteError):
        note.open_note(tampered, signer.verifier)
    with pytest.raises(note.NoteError):
        note.open_note(signed, note.Signer.generate("log").verifier)


def test_private_keys_round_trip_and_bad_keys_are_refused() -> None:
    signer = note.Signer.generate("log")
    again = note.Signer.from_skey(signer.skey())
    assert again.verifier == signer.verifier
    with pytest.raises(note.NoteError):
        note.parse_vkey("log+00000000+AQ==")
    with pytest.raises(note.NoteError):
        note.Signer.generate("has space")
