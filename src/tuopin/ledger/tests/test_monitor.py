"""A monitor follows the log over C2SP tiles and raises the alarm on a split view or rewrite."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tuopin.ledger import monitor, note, services
from tuopin.ledger.models import Checkpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def signer(settings, tmp_path: Path) -> note.Signer:  # type: ignore[no-untyped-def]
    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    return services.generate_key(path=settings.LEDGER_KEY_FILE, name=settings.LEDGER_ORIGIN)


def fetcher(client: Client):  # type: ignore[no-untyped-def]
    def fetch(url: str) -> bytes:  # the network is the outside boundary: a test client
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        return response.content

    return fetch


def grow(n: int, signer: note.Signer) -> None:
    for i in range(n):
        services.append_entry(kind="donation", payload={"amount_fen": i + 1})
    services.integrate(signer=signer)


def test_monitor_follows_growth_and_remembers(
    client: Client, signer: note.Signer, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    grow(300, signer)
    report = monitor.run(fetcher(client), "http://testserver/ledger", signer.verifier, state)
    assert report.endswith("size 300 (+300)")
    grow(5, signer)
    report = monitor.run(fetcher(client), "http://testserver/ledger", signer.verifier, state)
    assert report.endswith("size 305 (+5)")


def test_monitor_raises_the_alarm_on_a_split_view(client: Client, signer: note.Signer) -> None:
    grow(10, signer)
    seen, _ = monitor.check(fetcher(client), "http://testserver/ledger", signer.verifier, None)
    forged = monitor.Seen(seen.size, bytes(32), seen.note)
    with pytest.raises(monitor.MonitorAlarm, match="split view"):
        monitor.check(fetcher(client), "http://testserver/ledger", signer.verifier, forged)


def test_monitor_raises_the_alarm_on_a_rewrite_and_a_rollback(
    client: Client, signer: note.Signer
) -> None:
    grow(10, signer)
    seen, _ = monitor.check(fetcher(client), "http://testserver/ledger", signer.verifier, None)
    other = monitor.Seen(5, bytes(32), "")
    with pytest.raises(monitor.MonitorAlarm, match="rewrite"):
        monitor.check(fetcher(client), "http://testserver/ledger", signer.verifier, other)
    later = monitor.Seen(seen.size + 1, seen.root, seen.note)
    with pytest.raises(monitor.MonitorAlarm, match="rollback"):
        monitor.check(fetcher(client), "http://testserver/ledger", signer.verifier, later)


def test_monitor_refuses_a_checkpoint_signed_by_another_key(
    client: Client, signer: note.Signer
) -> None:
    grow(3, signer)
    assert Checkpoint.objects.count() == 1
    with pytest.raises(monitor.MonitorAlarm, match="signature"):
        monitor.check(
            fetcher(client),
            "http://testserver/ledger",
            note.Signer.generate(signer.name).verifier,
            None,
        )


def test_monitor_command_is_wired(signer: note.Signer, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("ledger", "monitor", "ftp://example/ledger", "--vkey", signer.verifier.vkey())
