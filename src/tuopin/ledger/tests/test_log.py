"""The log in the database: append in the caller's transaction, append-only rows, integration
into tiles, signed checkpoints, and the C2SP tile endpoints."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from tuopin.ledger import merkle, note, selectors, services, tree
from tuopin.ledger.models import Checkpoint, Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def signer(settings, tmp_path: Path) -> note.Signer:  # type: ignore[no-untyped-def]
    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    settings.LEDGER_ORIGIN = "tuopin.test/ledger"
    return services.generate_key(path=settings.LEDGER_KEY_FILE, name="tuopin.test/ledger")


def append(n: int, start: int = 0) -> list[Entry]:
    return [
        services.append_entry(kind="donation", payload={"amount_fen": 100 * (start + i + 1)})
        for i in range(n)
    ]


def test_entries_are_canonical_json_with_a_schema_version() -> None:
    entry = services.append_entry(kind="note", payload={"text": "银行转账 手工", "b": 1})
    data = bytes(entry.data)
    decoded = json.loads(data)
    assert decoded["v"] == 1 and decoded["kind"] == "note" and decoded["text"] == "银行转账 手工"
    assert data == services.canonical_json(decoded)
    assert b" " not in data.replace("银行转账 手工".encode(), b"")
    assert bytes(entry.leaf_hash) == merkle.leaf_hash(data)


def test_a_rolled_back_transaction_leaves_no_entry_and_no_gap() -> None:
    append(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        append(1, start=1)
        raise RuntimeError("the change failed")
    assert list(Entry.objects.values_list("index", flat=True)) == [0]
    assert append(1, start=2)[0].index == 1


def test_bad_entries_are_refused() -> None:
    with pytest.raises(Exception) as exc:
        services.append_entry(kind="gossip", payload={})
    assert getattr(exc.value, "code", "") == "bad_entry"
    with pytest.raises(Exception) as exc:
        services.append_entry(kind="note", payload={"v": 2})
    assert getattr(exc.value, "code", "") == "bad_entry"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_entry SET kind = 'note'",
        "DELETE FROM ledger_entry",
    ],
)
def test_the_database_refuses_to_change_entries(sql: str) -> None:
    append(2)
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(sql)
    assert Entry.objects.count() == 2


def test_integration_builds_the_same_tiles_as_the_pure_core(signer: note.Signer) -> None:
    entries = append(300)
    checkpoint = services.integrate(signer=signer)
    assert checkpoint is not None and checkpoint.size == 300
    reference = tree.MemorySource()
    reference.append([bytes(e.leaf_hash) for e in entries])
    assert bytes(checkpoint.root) == tree.tree_root(reference, 300)
    assert selectors.tile_bytes(0, 0, 256) == b"".join(reference.levels[0][:256])
    assert selectors.tile_bytes(0, 1, 44) == b"".join(reference.levels[0][256:300])
    assert selectors.tile_bytes(0, 1, 45) is None
    assert selectors.tile_bytes(1, 0, 1) == reference.levels[1][0]
    body = note.open_note(checkpoint.note, note.parse_vkey(signer.verifier.vkey()))
    assert note.Checkpoint.parse(body) == note.Checkpoint(
        "tuopin.test/ledger", 300, bytes(checkpoint.root)
    )


def test_each_checkpoint_extends_the_last(signer: note.Signer) -> None:
    append(5)
    first = services.integrate(signer=signer)
    assert services.integrate(signer=signer) is None  # nothing new, nothing signed
    append(400, start=5)
    second = services.integrate(signer=signer)
    assert first is not None and second is not None
    proof = selectors.consistency_proof(first.size, second.size)
    merkle.verify_consistency(first.size, second.size, proof, bytes(first.root), bytes(second.root))
    for index in (0, 4, 5, 404):
        merkle.verify_inclusion(
            bytes(Entry.objects.get(index=index).leaf_hash),
            index,
            second.size,
            selectors.inclusion_proof(index, second.size),
            bytes(second.root),
        )
    assert Checkpoint.objects.count() == 2


def test_a_checkpoint_of_the_empty_log_is_extended_later(signer: note.Signer) -> None:
    empty = services.integrate(signer=signer)  # `tuopin serve`'s signer before any entry
    append(3)
    later = services.integrate(signer=signer)
    assert empty is not None and empty.size == 0
    assert later is not None and later.size == 3


def test_tile_endpoints_speak_c2sp(client: Client, signer: note.Signer) -> None:
    entries = append(260)
    services.integrate(signer=signer)
    cp = client.get("/ledger/checkpoint")
    assert cp.status_code == 200 and cp.content.decode().startswith("tuopin.test/ledger\n260\n")
    assert "max-age" in cp["Cache-Control"]
    full = client.get("/ledger/tile/0/000")
    assert full.status_code == 200 and len(full.content) == 256 * 32
    assert "immutable" in full["Cache-Control"]
    partial = client.get("/ledger/tile/0/001.p/4")
    assert partial.content == b"".join(bytes(e.leaf_hash) for e in entries[256:260])
    bundle = client.get("/ledger/tile/entries/001.p/4").content
    sizes, pos = [], 0
    while pos < len(bundle):
        n = int.from_bytes(bundle[pos : pos + 2], "big")
        sizes.append(bytes(bundle[pos + 2 : pos + 2 + n]))
        pos += 2 + n
    assert sizes == [bytes(e.data) for e in entries[256:260]]
    for bad in (
        "/ledger/tile/0/001",
        "/ledger/tile/0/001.p/5",
        "/ledger/tile/0/1",
        "/ledger/tile/0/001.p/256",
        "/ledger/tile/0/x000/001",
        "/ledger/tile/1/000",
    ):
        assert client.get(bad).status_code == 404, bad


def test_keygen_refuses_to_overwrite_and_vkey_prints_the_key(
    signer: note.Signer,
    settings,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(CommandError):
        call_command("ledger", "keygen")
    call_command("ledger", "vkey")
    assert capsys.readouterr().out.strip() == signer.verifier.vkey()
    call_command("ledger", "append", "--kind", "note", "--payload", '{"text": "手工转账"}')
    call_command("ledger", "integrate")
    printed = capsys.readouterr().out
    assert printed.startswith("0\ntuopin.test/ledger\n1\n")
    assert note.open_note(printed.split("\n", 1)[1], signer.verifier)
    assert Checkpoint.objects.get().size == 1


def test_a_receipt_verifies_offline_and_a_flipped_bit_does_not(
    signer: note.Signer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tuopin.ledger import receipt

    append(10)
    services.integrate(signer=signer)
    text = services.receipt_for(7)
    assert text.startswith("c2sp.org/tlog-proof@v1\nextra ")
    checkpoint, entry = receipt.verify(text, signer.verifier)
    assert checkpoint.size == 10 and json.loads(entry)["amount_fen"] == 800
    path = tmp_path / "r.tlog-proof"
    path.write_text(text)
    call_command("ledger", "verify-receipt", str(path), "--vkey", signer.verifier.vkey())
    assert capsys.readouterr().out.startswith("OK")
    lines = text.split("\n")
    proof_line = lines[3]
    raw = bytearray(base64.b64decode(proof_line))
    raw[0] ^= 1
    lines[3] = base64.b64encode(bytes(raw)).decode()
    path.write_text("\n".join(lines))
    with pytest.raises(SystemExit) as exc:
        call_command("ledger", "verify-receipt", str(path), "--vkey", signer.verifier.vkey())
    assert exc.value.code == 1
    assert "inclusion proof" in capsys.readouterr().err


def test_api_serves_entries_and_proofs_and_refuses_sizes_beyond_the_tree(
    client: Client, signer: note.Signer
) -> None:
    entries = append(20)
    services.integrate(signer=signer)
    body = client.get("/api/v1/ledger/entries/3").json()
    assert body["data"]["amount_fen"] == 400 and body["kind"] == "donation"
    proof = client.get("/api/v1/ledger/proof/inclusion", {"index": 3, "size": 20}).json()
    root = bytes(Checkpoint.objects.get().root)
    merkle.verify_inclusion(
        bytes(entries[3].leaf_hash), 3, 20, [base64.b64decode(h) for h in proof["hashes"]], root
    )
    beyond = client.get("/api/v1/ledger/proof/inclusion", {"index": 3, "size": 21})
    assert beyond.status_code == 422 and beyond.json()["code"] == "bad_tree_size"
    assert (
        client.get("/api/v1/ledger/proof/consistency", {"first": 5, "second": 30}).status_code
        == 422
    )
    assert (
        client.get("/api/v1/ledger/proof/consistency", {"first": 5, "second": 20}).status_code
        == 200
    )
    assert client.get("/api/v1/ledger/entries/99").status_code == 404


def _tamper(index: int, data: bytes) -> None:
    """Change an entry behind the triggers' back, as a database owner could."""
    sql = 'UPDATE ledger_entry SET data = %s WHERE "index" = %s'
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE ledger_entry DISABLE TRIGGER USER")
            cur.execute(sql, [data, index])
            cur.execute("ALTER TABLE ledger_entry ENABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER ledger_entry_no_update")
            cur.execute(sql, [data, index])


def test_audit_finds_a_row_changed_behind_the_triggers_back(
    signer: note.Signer, capsys: pytest.CaptureFixture[str]
) -> None:
    append(300)
    services.integrate(signer=signer)
    call_command("ledger", "audit")
    assert capsys.readouterr().out.startswith("OK: 300 entries")
    _tamper(42, b"{}")
    with pytest.raises(SystemExit) as exc:
        call_command("ledger", "audit")
    assert exc.value.code == 1
    assert "first bad index: 42" in capsys.readouterr().err


def test_people_appear_only_as_commitments_and_can_be_shredded(signer: note.Signer) -> None:
    from tuopin.ledger import receipt
    from tuopin.ledger.models import Opening

    entry = services.append_entry(
        kind="payout",
        payload={"amount_fen": 520_000},
        commit={"insured": ("registry.person:7", "422823197005010129")},
    )
    services.append_entry(
        kind="payout", payload={"amount_fen": 1}, commit={"insured": ("registry.person:8", "x")}
    )
    services.integrate(signer=signer)
    data = bytes(entry.data)
    assert b"422823197005010129" not in data and b"registry.person" not in data
    assert len(json.loads(data)["commitments"]["insured"]) == 64
    mine = services.receipt_for(entry.index, subject="registry.person:7")
    receipt.verify(mine, signer.verifier)  # opens to the holder's value
    assert receipt.Receipt.parse(mine).openings["insured"]["value"] == "422823197005010129"
    lying = mine.replace(
        mine.split("\n")[1],
        "extra "
        + base64.b64encode(
            json.dumps(
                {
                    "entry": data.decode(),
                    "openings": {
                        "insured": {
                            "opening": receipt.Receipt.parse(mine).openings["insured"]["opening"],
                            "value": "110101199003074477",
                        }
                    },
                }
            ).encode()
        ).decode(),
    )
    with pytest.raises(receipt.ReceiptError, match="commitment"):
        receipt.verify(lying, signer.verifier)
    assert receipt.Receipt.parse(services.receipt_for(entry.index)).openings == {}
    assert services.shred(subject="registry.person:7") == 1
    assert not Opening.objects.filter(subject="registry.person:7").exists()
    after = services.receipt_for(entry.index, subject="registry.person:7")
    assert receipt.Receipt.parse(after).openings == {}
    receipt.verify(after, signer.verifier)  # the log and its proofs are untouched


def test_batch_appends_are_gapless_and_byte_identical_in_form(signer: note.Signer) -> None:
    single = services.append_entry(kind="premium", payload={"amount_fen": 1})
    batch = services.append_entries(kind="premium", payloads=[{"amount_fen": i} for i in range(3)])
    assert list(batch) == [1, 2, 3]
    stored = Entry.objects.get(index=3)
    assert bytes(stored.leaf_hash) == merkle.leaf_hash(bytes(stored.data))
    assert json.loads(bytes(stored.data))["amount_fen"] == 2
    assert stored.at.tzinfo is not None and single.index == 0
    services.integrate(signer=signer)
    assert services.audit().problems == []


def test_batch_appends_with_commitments_give_verifiable_receipts(signer: note.Signer) -> None:
    from tuopin.ledger import receipt

    batch = services.append_entries(
        kind="decision",
        payloads=[{"decision": "x", "n": i} for i in range(3)],
        commits=[{"holder": (f"s:{i}", str(i))} for i in range(3)],
    )
    services.integrate(signer=signer)
    text = services.receipt_for(batch[1], subject="s:1")
    _checkpoint, data = receipt.verify(text, signer.verifier)
    assert json.loads(data)["n"] == 1
    assert receipt.Receipt.parse(text).openings["holder"]["value"] == "1"
    assert services.audit().problems == []


def test_the_explorer_shows_amounts_in_yuan_and_finds_an_entry(
    client: Client, signer: note.Signer
) -> None:
    append(3)
    services.integrate(signer=signer)
    page = client.get("/ledger/").content.decode()
    assert "3.00" in page and "tuopin.test/ledger" in page
    found = client.get("/ledger/", {"index": "1"}).content.decode()
    assert "2.00" in found
    assert client.get("/en/ledger/").status_code == 200


def test_audit_checks_checkpoint_signatures_with_the_log_key(signer: note.Signer) -> None:
    append(3)
    services.integrate(signer=signer)
    assert services.audit().problems == []
    other = note.Signer.generate(signer.name)
    cp = Checkpoint.objects.get()
    forged = other.sign(note.Checkpoint("tuopin.test/ledger", 3, bytes(cp.root)).body())
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE ledger_checkpoint DISABLE TRIGGER USER")
            cur.execute("UPDATE ledger_checkpoint SET note = %s", [forged])
            cur.execute("ALTER TABLE ledger_checkpoint ENABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER ledger_checkpoint_no_update")
            cur.execute("UPDATE ledger_checkpoint SET note = %s", [forged])
    assert any("no signature by this key" in p for p in services.audit().problems)
