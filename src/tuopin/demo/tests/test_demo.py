"""The demo is deterministic for a seed and built on the report's counties."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from tuopin.areas.models import Area
from tuopin.core import idcard
from tuopin.demo import services
from tuopin.registry.models import Household, Person
from tuopin.registry.synthetic import RowGenerator, VillageSpec

VILLAGES = [VillageSpec("422823101201", "422823"), VillageSpec("621102101203", "621102")]


def digest(seed: int) -> str:
    gen = RowGenerator(seed, dt.date(2018, 6, 30))
    h = hashlib.sha256()
    for v in VILLAGES:
        for row in gen.village_rows(v, 50):
            h.update("|".join(row).encode())
    return h.hexdigest()


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    assert digest(7) == digest(7)
    assert digest(7) != digest(8)


def test_generated_people_have_valid_ids_of_their_county_and_one_head() -> None:
    gen = RowGenerator(1, dt.date(2018, 6, 30))
    rows = list(gen.village_rows(VILLAGES[0], 200))
    heads: dict[str, int] = {}
    for row in rows:
        parsed = idcard.parse(row[2])
        assert parsed.area_code == "422823"
        assert parsed.birth_date.isoformat() == row[4]
        assert ("男" if parsed.sex == "M" else "女") == row[3]
        heads[row[0]] = heads.get(row[0], 0) + (row[5] == "户主")
    assert set(heads.values()) == {1}
    assert len({r[2] for r in rows}) == len(rows)


@pytest.mark.django_db
def test_small_demo_loads_the_report_counties_and_is_repeatable(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tuopin.charity.models import Campaign
    from tuopin.insurance.models import Payout, Policy
    from tuopin.insurance.selectors import campaign_funds
    from tuopin.ledger.models import Checkpoint

    settings.LEDGER_KEY_FILE = tmp_path / "ledger.key"
    first = services.build_demo(scale="small", seed=2018)
    assert first.counties == 16 and first.people == Person.objects.count()
    assert Area.objects.get(code="422823000000").deep_poverty
    assert Area.objects.get(code="532528000000").national_poor
    snapshot = list(Person.objects.order_by("id_number").values_list("id_number", "name"))
    again = services.build_demo(scale="small", seed=2018)
    assert again.people == first.people
    assert Household.objects.count() == first.households
    assert list(Person.objects.order_by("id_number").values_list("id_number", "name")) == snapshot
    assert {u for u, _r, _a in first.users} >= {"cadre", "county", "operator", "observer"}
    # The report's two programmes, paid for by their campaigns, this year.
    dlz = Policy.objects.filter(programme__slug="dingliangzhu")
    assert dlz.exists() and not dlz.filter(village_code__startswith="42").exists()  # 顶梁柱: 贵州…
    assert set(
        Policy.objects.filter(programme__slug="haobaoxian").values_list("person__sex", flat=True)
    ) == {"F"}
    assert again.insured == first.insured and sum(first.insured.values()) == Policy.objects.count()
    for campaign in Campaign.objects.all():
        assert campaign_funds(campaign)["available_fen"] >= 0
    assert Payout.objects.exists() and Checkpoint.objects.exists()
