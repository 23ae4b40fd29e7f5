"""``tuopin selection``: propose with --json, a clear error for an infeasible quota set."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .test_committee import scored  # noqa: F401 - the fixture


def test_propose_prints_the_selection_as_json(programme, committee, scored):  # noqa: F811
    out = io.StringIO()
    call_command(
        "selection", "propose", programme.slug, "--user", "committee", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert sorted(data["selected"]) == sorted([scored["丙"], scored["甲"]])


def test_an_infeasible_quota_set_is_a_clear_error(programme, committee, scored):  # noqa: F811
    programme.quotas = programme.quotas + [
        {"name": "其他县至少2人", "family": "county_kind", "values": ["other"], "at_least": 2}
    ]
    programme.save()
    with pytest.raises(CommandError, match="其他县至少2人"):
        call_command("selection", "propose", programme.slug, "--user", "committee")


def test_an_unknown_certificate_is_a_clear_error(db):
    with pytest.raises(CommandError, match="不存在"):
        call_command("selection", "certificate", "NOPE")
