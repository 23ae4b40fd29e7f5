"""The insurance services that write check their actor themselves, whoever calls them
(page, API, CLI): ending a policy, starting an enrollment run, setting up a programme."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tuopin.core.errors import PermissionDenied
from tuopin.insurance import services
from tuopin.insurance.errors import BadProgramme, PolicyNotFound
from tuopin.insurance.models import (
    CoverageItem,
    EnrollmentRun,
    Policy,
    PolicyStatus,
    Programme,
)

PERIOD = dt.date(timezone.localdate().year, 1, 1)


def programme(**kw: object) -> Programme:
    fields: dict[str, object] = {
        "slug": "dlz",
        "name": "顶梁柱",
        "sponsor": "中国扶贫基金会",
        "insurer": "某保险",
        "premium_fen": 10_000,
        "min_age": 18,
        "max_age": 60,
        "starts_on": PERIOD,
        "ends_on": PERIOD.replace(month=12, day=31),
    } | kw
    return Programme(**fields)


@pytest.fixture
def insured(households: None, operator) -> Programme:  # type: ignore[no-untyped-def]
    p = services.save_programme(
        by=operator,
        programme=programme(),
        counties=[],
        coverage=[
            CoverageItem(
                benefit="accident", per_claim_limit_fen=1_000_000, yearly_limit_fen=1_000_000
            )
        ],
    )
    services.enroll(programme_slug=p.slug, period_start=PERIOD)
    return p


def policy_no_of(name: str) -> str:
    return Policy.objects.select_related("programme").get(person__name=name).policy_no


def test_an_observer_cannot_end_a_policy(insured: Programme, observer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.exit_policy(by=observer, policy_no=policy_no_of("唐俊"), reason="moved")
    assert Policy.objects.get(person__name="唐俊").status == PolicyStatus.ACTIVE


def test_a_cadre_cannot_end_a_policy(insured: Programme, cadre_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.exit_policy(by=cadre_a, policy_no=policy_no_of("唐俊"), reason="moved")
    assert Policy.objects.get(person__name="唐俊").status == PolicyStatus.ACTIVE


def test_an_operator_ends_a_policy(insured: Programme, operator) -> None:  # type: ignore[no-untyped-def]
    services.exit_policy(by=operator, policy_no=policy_no_of("唐俊"), reason="moved")
    assert Policy.objects.get(person__name="唐俊").status == PolicyStatus.EXITED


def test_a_policy_out_of_scope_is_not_found_even_with_the_permission(
    insured: Programme,
    county_officer,  # type: ignore[no-untyped-def]
) -> None:
    # A county officer granted change_policy by hand still reaches only the county's policies.
    from django.contrib.auth.models import Permission

    from tuopin.accounts.models import User

    county_officer.user_permissions.add(Permission.objects.get(codename="change_policy"))
    officer = User.objects.get(pk=county_officer.pk)  # fresh permission cache
    Policy.objects.filter(person__name="唐俊").update(village_code="621102100201")
    with pytest.raises(PolicyNotFound):
        services.exit_policy(by=officer, policy_no=policy_no_of("唐俊"), reason="moved")


def test_a_county_officer_cannot_start_an_enrollment_run(
    insured: Programme, county_officer
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.start_run(user=county_officer, programme_slug="dlz", period_start=PERIOD)
    assert not EnrollmentRun.objects.exists()


def test_nobody_starts_a_run_without_a_user(insured: Programme) -> None:
    with pytest.raises(PermissionDenied):
        services.start_run(user=None, programme_slug="dlz", period_start=PERIOD)
    assert not EnrollmentRun.objects.exists()


def test_an_observer_cannot_set_up_a_programme(households: None, observer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.save_programme(by=observer, programme=programme(), counties=[])
    assert not Programme.objects.exists()


def test_an_observer_cannot_change_a_programme(insured: Programme, observer) -> None:  # type: ignore[no-untyped-def]
    insured.premium_fen = 1
    with pytest.raises(PermissionDenied):
        services.save_programme(by=observer, programme=insured, counties=[])
    assert Programme.objects.get().premium_fen == 10_000


def test_a_programme_keeps_its_slug(insured: Programme, operator) -> None:  # type: ignore[no-untyped-def]
    insured.slug = "other"
    with pytest.raises(BadProgramme) as exc:
        services.save_programme(by=operator, programme=insured, counties=[])
    assert exc.value.code == "slug_fixed"
    assert Programme.objects.get().slug == "dlz"


def test_a_programme_with_an_inverted_age_range_is_refused(households: None, operator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadProgramme) as exc:
        services.save_programme(
            by=operator, programme=programme(min_age=60, max_age=18), counties=[]
        )
    assert exc.value.code == "age_range_inverted"
    assert not Programme.objects.exists()


def test_the_programme_admin_writes_nothing(client, insured: Programme, operator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(operator)
    response = client.post(
        f"/admin/insurance/programme/{insured.pk}/change/", {"name": "改名", "premium_fen": 1}
    )
    assert response.status_code == 403
    assert Programme.objects.get().name == "顶梁柱"
    assert client.get("/admin/insurance/programme/add/").status_code == 403
