"""Roles, scopes, tokens and the accounts command line."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.accounts import scoping, services
from tuopin.accounts.errors import BadToken
from tuopin.accounts.models import ApiToken, User
from tuopin.conftest import COUNTY, VILLAGE_A, VILLAGE_B, VILLAGE_C

pytestmark = pytest.mark.usefixtures("area_tree")


def test_several_scopes_add_up_and_nested_ones_collapse() -> None:
    user = services.create_user(
        username="u", role="township_officer", area_codes=[VILLAGE_A, COUNTY, VILLAGE_C]
    )
    assert scoping.area_prefixes(user) == ["422823", VILLAGE_C]
    assert scoping.covers(user, VILLAGE_B) and scoping.covers(user, VILLAGE_C)
    assert not scoping.covers(user, "621102100202")


def test_no_scope_means_nothing_and_nationwide_roles_mean_everything(operator) -> None:  # type: ignore[no-untyped-def]
    nobody = services.create_user(username="n", role="village_cadre")
    assert scoping.area_prefixes(nobody) == []
    assert scoping.area_prefixes(operator) is None


def test_unknown_role_and_unknown_area_are_refused_whole() -> None:
    with pytest.raises(Exception) as exc:
        services.create_user(username="x", role="king")
    assert getattr(exc.value, "code", "") == "unknown_role"
    with pytest.raises(Exception) as exc:
        services.create_user(username="y", role="village_cadre", area_codes=["999999999999"])
    assert getattr(exc.value, "code", "") == "area_not_found"
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_roles_carry_their_permissions(cadre_a, county_officer, unmasking_officer) -> None:  # type: ignore[no-untyped-def]
    assert cadre_a.has_perm("registry.view_household")
    assert not cadre_a.has_perm("registry.import_registry")
    assert county_officer.has_perm("registry.import_registry")
    assert not scoping.may_unmask(county_officer)
    assert scoping.may_unmask(unmasking_officer)


def test_tokens_are_stored_as_digests_and_can_be_revoked(cadre_a) -> None:  # type: ignore[no-untyped-def]
    token = services.issue_token(username=cadre_a.username)
    row = ApiToken.objects.get(user=cadre_a)
    assert token not in row.digest and token.startswith(row.prefix)
    assert services.authenticate_token(token) == cadre_a
    row.revoked = True
    row.save()
    with pytest.raises(BadToken):
        services.authenticate_token(token)


def test_a_token_records_when_it_was_first_used(cadre_a) -> None:  # type: ignore[no-untyped-def]
    token = services.issue_token(username=cadre_a.username)
    services.authenticate_token(token)
    assert ApiToken.objects.get(user=cadre_a).last_used_at is not None


def test_a_token_records_its_use_to_the_minute(cadre_a) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    token = services.issue_token(username=cadre_a.username)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    just_now = timezone.now() - dt.timedelta(seconds=5)
    ApiToken.objects.filter(user=cadre_a).update(last_used_at=just_now)
    services.authenticate_token(token)
    assert ApiToken.objects.get(user=cadre_a).last_used_at == just_now  # no write
    ApiToken.objects.filter(user=cadre_a).update(last_used_at=long_ago)
    services.authenticate_token(token)
    assert ApiToken.objects.get(user=cadre_a).last_used_at > just_now


def test_many_tokens_name_their_active_users_at_once(cadre_a, cadre_b) -> None:  # type: ignore[no-untyped-def]
    a = services.issue_token(username=cadre_a.username)
    b = services.issue_token(username=cadre_b.username)
    ApiToken.objects.filter(user=cadre_b).update(revoked=True)
    assert services.users_of_tokens([a, b, "nonsense"]) == {a: cadre_a.pk}


def test_many_tokens_record_their_use_to_the_minute(cadre_a) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    token = services.issue_token(username=cadre_a.username)
    just_now = timezone.now() - dt.timedelta(seconds=5)
    ApiToken.objects.filter(user=cadre_a).update(last_used_at=just_now)
    services.users_of_tokens([token])
    assert ApiToken.objects.get(user=cadre_a).last_used_at == just_now  # no write
    ApiToken.objects.filter(user=cadre_a).update(last_used_at=None)
    services.users_of_tokens([token])
    assert ApiToken.objects.get(user=cadre_a).last_used_at > just_now


def test_cli_creates_users_and_prints_tokens(capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "accounts",
        "create",
        "li",
        "--role",
        "village_cadre",
        "--area",
        VILLAGE_A,
        "--password",
        "s3cret-pass",
    )
    user = User.objects.get(username="li")
    assert user.check_password("s3cret-pass")
    assert list(user.groups.values_list("name", flat=True)) == ["village_cadre"]
    capsys.readouterr()
    call_command("accounts", "token", "li")
    token = capsys.readouterr().out.strip()
    assert services.authenticate_token(token) == user
    with pytest.raises(CommandError):
        call_command("accounts", "token", "nobody")


def test_an_approval_chain_reads_as_the_levels_names() -> None:
    from tuopin.accounts import approvals

    assert approvals.chain_label("village,township,county") == "村 → 乡镇 → 县"


def test_a_chain_that_does_not_parse_is_shown_as_written() -> None:
    from tuopin.accounts import approvals

    assert approvals.chain_label("county,village") == "county,village"
