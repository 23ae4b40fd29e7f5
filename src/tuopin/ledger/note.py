"""C2SP signed notes and tlog checkpoints with Ed25519 keys. Pure code, no Django.

A checkpoint body is ``<origin>\\n<size>\\n<base64 root>\\n``; a signed note appends a blank
line and one line per signature: ``— <key name> <base64(key id ‖ signature)>``. The key id of
an Ed25519 key is the first four bytes of ``SHA-256(name ‖ "\\n" ‖ 0x01 ‖ public key)``. A
verifier key is written ``<name>+<hex key id>+<base64(0x01 ‖ public key)>``.
See c2sp.org/signed-note and c2sp.org/tlog-checkpoint.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED25519 = 0x01
DASH = "\u2014"  # EM DASH, as the spec requires


class NoteError(ValueError):
    """A note or key that is malformed, or a signature that does not verify."""


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise NoteError(f"bad key name: {name!r}")


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    name: str
    public: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public)

    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([ALG_ED25519]) + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str) -> Signer:
        _check_name(name)
        return cls(name, Ed25519PrivateKey.generate())

    @property
    def verifier(self) -> Verifier:
        public = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return Verifier(self.name, public)

    def skey(self) -> str:
        """The private key in the same ``PRIVATE+KEY+name+hex id+base64`` form as Go's note."""
        raw = self.private.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        encoded = base64.b64encode(bytes([ALG_ED25519]) + raw).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id.hex()}+{encoded}"

    @classmethod
    def from_skey(cls, text: str) -> Signer:
        parts = text.strip().split("+", 4)  # base64 may itself hold "+"
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a private key")
        name, id_hex, encoded = parts[2:]
        raw = base64.b64decode(encoded)
        if raw[:1] != bytes([ALG_ED25519]) or len(raw) != 33:
            raise NoteError("not an Ed25519 private key")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.verifier.key_id.hex() != id_hex:
            raise NoteError("key id does not match the key")
        return signer

    def sign(self, body: str) -> str:
        """A signed note of ``body`` (which must end with a newline)."""
        if not body.endswith("\n"):
            raise NoteError("note text must end with a newline")
        signature = self.private.sign(body.encode())
        encoded = base64.b64encode(self.verifier.key_id + signature).decode()
        return f"{body}\n{DASH} {self.name} {encoded}\n"


def parse_vkey(vkey: str) -> Verifier:
    parts = vkey.strip().split("+", 2)  # base64 may itself hold "+"
    if len(parts) != 3:
        raise NoteError("a verifier key is name+hex id+base64 key")
    name, id_hex, encoded = parts
    _check_name(name)
    try:
        raw = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise NoteError("verifier key is not base64") from exc
    if raw[:1] != bytes([ALG_ED25519]) or len(raw) != 33:
        raise NoteError("not an Ed25519 verifier key")
    verifier = Verifier(name, raw[1:])
    if verifier.key_id.hex() != id_hex:
        raise NoteError("key id does not match the key")
    return verifier


def open_note(note: str, verifier: Verifier) -> str:
    """The body of a signed note if ``verifier`` signed it; raises :class:`NoteError` if not."""
    body, sep, sigs = note.rpartition("\n\n")
    if not sep:
        raise NoteError("no signature block")
    body += "\n"
    for line in sigs.splitlines():
        if not line.startswith(DASH + " "):
            raise NoteError("malformed signature line")
        try:
            name, encoded = line[2:].split(" ")
            blob = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise NoteError("malformed signature line") from exc
        if name == verifier.name and blob[:4] == verifier.key_id:
            if verifier.verify(body.encode(), blob[4:]):
                return body
            raise NoteError("signature does not verify")
    raise NoteError("no signature by this key")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        lines = body.split("\n")
        if len(lines) < 4 or not lines[1].isdigit():
            raise NoteError("not a checkpoint")
        try:
            root = base64.b64decode(lines[2], validate=True)
        except ValueError as exc:
            raise NoteError("checkpoint root is not base64") from exc
        if len(root) != 32:
            raise NoteError("checkpoint root is not 32 bytes")
        return cls(lines[0], int(lines[1]), root)
