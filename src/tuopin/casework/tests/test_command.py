"""``tuopin casework seed|retally``."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from tuopin.casework.models import ReportField, ReportType


def test_seed_is_idempotent_and_retally_runs(db: None) -> None:
    out = StringIO()
    call_command("casework", "seed", stdout=out)
    call_command("casework", "seed", stdout=out)
    assert ReportType.objects.count() == 2
    assert ReportField.objects.filter(report_type__slug="black-chicken").count() == 4
    call_command("casework", "retally", stdout=out)
    assert "0 tally rows" in out.getvalue()
