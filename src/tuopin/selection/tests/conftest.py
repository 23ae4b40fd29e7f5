"""Personas and a small teacher award for the selection tests."""

from __future__ import annotations

import pytest

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.casework.tests.factories import photo
from tuopin.conftest import COUNTY, VILLAGE_A, VILLAGE_C
from tuopin.selection import services
from tuopin.selection.models import Programme


def picture(seed: int) -> bytes:
    return photo(seed)


@pytest.fixture
def programme(area_tree, operator) -> Programme:  # type: ignore[no-untyped-def]
    return services.save_programme(
        by=operator,
        programme=Programme(
            slug="teachers-2018",
            name="马云乡村教师奖",
            kind="award",
            year=2018,
            eligibility=[
                {"rule": "at_least", "field": "rural_years", "value": 3},
                {"rule": "county_kind", "values": ["poor", "provincial", "other"]},
            ],
            form_fields=[
                {
                    "name": "rural_years",
                    "label": "乡村任教年限",
                    "kind": "integer",
                    "required": True,
                },
                {"name": "story", "label": "事迹", "kind": "text"},
            ],
            evidence=["证书"],
            criteria=["师德", "教学"],
            select_count=2,
            quotas=[
                {
                    "name": "贫困县至少50%",
                    "family": "county_kind",
                    "values": ["poor"],
                    "share_at_least": 0.5,
                }
            ],
            reviewers_per_application=2,
            award_fen=10_000_000,
            instalments=3,
            support_years=3,
        ),
    )


@pytest.fixture
def applicant(area_tree):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="teacher", role=roles.DONOR)


@pytest.fixture
def committee(area_tree):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="committee", role=roles.COMMITTEE)


@pytest.fixture
def reviewers(programme, operator):  # type: ignore[no-untyped-def]
    out = []
    for i, area in enumerate([COUNTY, VILLAGE_C, "620000000000", "110000000000"]):
        u = accounts.create_user(username=f"reviewer{i}", role=roles.REVIEWER)
        services.save_reviewer(user=u, area_code=area, school=f"学校{i}", by=operator)
        programme.reviewers.add(u)
        out.append(u)
    return out


def apply(
    programme, by, *, name="李老师", area=VILLAGE_A, years=5, school="", seed=1, nominate=False
):  # type: ignore[no-untyped-def]
    return services.submit_application(
        programme=programme,
        name=name,
        area_code=area,
        answers={"rural_years": years, "story": "坚守山村"},
        evidence={"证书": [picture(seed)]},
        school=school,
        nominate=nominate,
        by=by,
    )
