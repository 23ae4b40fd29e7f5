"""An import writes the history of what it registers and changes (source: the import), set-based,
and the household's timeline shows it."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tuopin.conftest import VILLAGE_B, person_row
from tuopin.registry import services
from tuopin.registry.models import HistoryEvent, Household, Person
from tuopin.registry.upkeep.selectors import history_for


def test_it_records_each_registered_household(area_tree, write_csv, county_officer) -> None:
    rows = [
        person_row("A001", "唐俊", seq=12),
        person_row("A001", "朱婷婷", seq=22, relation="之女", birth=dt.date(1995, 3, 3)),
        person_row("B001", "李华", seq=51, village=VILLAGE_B),
    ]
    services.import_registry(path=write_csv(rows, name="县里.csv"), by=county_officer)
    events = HistoryEvent.objects.order_by("household_no")
    assert [(e.household_no, e.what, e.source, e.changes) for e in events] == [
        ("A001", "import", "import", {"member_count": 2}),
        ("B001", "import", "import", {"member_count": 1}),
    ]
    assert events[0].by == county_officer and "县里.csv" in events[0].reason


def test_the_timeline_shows_the_import(households, county_officer) -> None:
    household = Household.objects.get(household_no="A001")
    timeline = history_for(county_officer, household)
    imports = [t for t in timeline if t.what == "import"]
    assert len(imports) == 1 and imports[0].source == "import"
    assert imports[0].lines == ["人数: 3"]


def test_a_reimport_records_changed_and_added_members(households, write_csv) -> None:
    rows = [
        person_row("A001", "唐俊", seq=12),
        person_row("A001", "朱婷婷", seq=22, relation="之女", birth=dt.date(1995, 3, 3)),
        person_row("A001", "朱明", seq=31, relation="配偶", birth=dt.date(1968, 1, 9)),
        person_row("A001", "唐小", seq=81, relation="之子", birth=dt.date(2015, 6, 1)),
    ]
    rows[0][13] = "13800000000"  # 唐俊's phone changes
    services.import_registry(path=write_csv(rows, name="again.csv"))
    events = HistoryEvent.objects.filter(household_no="A001").exclude(what="import")
    got = {(e.what, e.person_name): e.changes for e in events}
    assert got == {
        ("correct_person", "唐俊"): {"phone": ["13900000000", "13800000000"]},
        ("add_member", "唐小"): {},
    }
    added = events.get(what="add_member")
    assert added.person == Person.objects.get(name="唐小") and added.source == "import"


def test_a_reimport_of_the_same_file_records_nothing_new(households, write_csv) -> None:
    before = HistoryEvent.objects.count()
    rows = [person_row("C001", "赵刚", seq=71, village="621102100201")]
    services.import_registry(path=write_csv(rows, name="same.csv"))
    assert HistoryEvent.objects.count() == before


def _history_inserts(write_csv, households: int, name: str) -> int:
    rows = [person_row(f"N{i:03d}", "王强", seq=100 + 2 * i + 1) for i in range(households)]
    with CaptureQueriesContext(connection) as ctx:
        services.import_registry(path=write_csv(rows, name=name))
    assert HistoryEvent.objects.filter(household_no__startswith="N").count() >= households
    return sum("registry_historyevent" in q["sql"] for q in ctx.captured_queries)


def test_the_history_is_written_set_based(area_tree, write_csv) -> None:
    assert _history_inserts(write_csv, 3, "few.csv") == _history_inserts(write_csv, 40, "more.csv")
