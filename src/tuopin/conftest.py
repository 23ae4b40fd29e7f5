"""Shared test fixtures: a small area tree and the named personas of STYLE.md.

Village A and village B lie in the same township of 巴东县; village C lies in 定西 安定区.
State is built through the real services (area import, account creation, registry import).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from tuopin.accounts import roles
from tuopin.accounts import services as accounts
from tuopin.areas import services as areas
from tuopin.core import idcard
from tuopin.registry import services as registry

VILLAGE_A = "422823101201"
VILLAGE_B = "422823101202"
VILLAGE_C = "621102100201"
TOWNSHIP = "422823101000"
COUNTY = "422823000000"

ENGLISH_HEADER = [
    "household_no",
    "name",
    "id_number",
    "sex",
    "birth_date",
    "relation",
    "village_code",
    "household_type",
    "poverty_cause",
    "poverty_status",
    "education",
    "health",
    "student_status",
    "phone",
]


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path_factory: pytest.TempPathFactory) -> None:  # type: ignore[no-untyped-def]
    """Every test stores uploads in a folder of its own, never in the checkout's var/media
    (where one run's files, or a purge, would meet another's)."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def area_tree(db: None) -> None:
    rows = [
        ("420000000000", "湖北省", Decimal("114.3"), Decimal("30.5")),
        ("422800000000", "恩施土家族苗族自治州", Decimal("109.48"), Decimal("30.27")),
        (COUNTY, "巴东县", Decimal("110.34"), Decimal("31.04")),
        (TOWNSHIP, "溪丘湾乡", Decimal("110.30"), Decimal("31.00")),
        (VILLAGE_A, "溪丘湾村", Decimal("110.31"), Decimal("31.01")),
        (VILLAGE_B, "红岩村", Decimal("110.29"), Decimal("30.99")),
        ("620000000000", "甘肃省", None, None),
        ("621100000000", "定西市", None, None),
        ("621102000000", "安定区", Decimal("104.61"), Decimal("35.58")),
        ("621102100000", "凤翔镇", None, None),
        (VILLAGE_C, "中华路村", None, None),
    ]
    areas.create_areas(rows=rows)
    areas.set_poverty_flags(code=COUNTY, national_poor=True, deep_poverty=True)


def make_id(area: str, birth: dt.date, seq: int) -> str:
    return idcard.build(area, birth, seq)


def person_row(
    household_no: str,
    name: str,
    *,
    seq: int,
    relation: str = "户主",
    village: str = VILLAGE_A,
    birth: dt.date = dt.date(1970, 5, 1),
    sex: str | None = None,
    status: str = "未脱贫",
    cause: str = "因病",
) -> list[str]:
    """A row in the English column order; ``seq`` odd = male, even = female."""
    id_number = make_id(village[:6], birth, seq)
    sex_text = sex if sex is not None else ("男" if seq % 2 else "女")
    return [
        household_no,
        name,
        id_number,
        sex_text,
        birth.isoformat(),
        relation,
        village,
        "一般贫困户",
        cause,
        status,
        "初中",
        "健康",
        "非在校生",
        "13900000000",
    ]


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def _write(
        rows: list[list[str]],
        *,
        header: list[str] | None = None,
        encoding: str = "utf-8",
        name: str = "registry.csv",
    ) -> Path:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header or ENGLISH_HEADER)
            w.writerows(rows)
        return path

    return _write


@pytest.fixture
def households(area_tree: None, write_csv: Callable[..., Path]) -> None:
    """Two households in village A, one in village B, one in village C."""
    rows = [
        person_row("A001", "唐俊", seq=12, relation="户主"),
        person_row("A001", "朱婷婷", seq=22, relation="之女", birth=dt.date(1995, 3, 3)),
        person_row("A001", "朱明", seq=31, relation="配偶", birth=dt.date(1968, 1, 9)),
        person_row("A002", "王强", seq=41, status="已脱贫", cause="缺技术"),
        person_row("B001", "李华", seq=51, village=VILLAGE_B),
        person_row("B001", "李芳", seq=62, village=VILLAGE_B, relation="配偶"),
        person_row("C001", "赵刚", seq=71, village=VILLAGE_C),
    ]
    report = registry.import_registry(path=write_csv(rows))
    assert report.errors == [], report.errors


@pytest.fixture
def cadre_a(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(
        username="cadre_a", role=roles.VILLAGE_CADRE, area_codes=[VILLAGE_A], password="pw-cadre-a"
    )


@pytest.fixture
def cadre_b(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(
        username="cadre_b", role=roles.VILLAGE_CADRE, area_codes=[VILLAGE_B], password="pw-cadre-b"
    )


@pytest.fixture
def county_officer(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(
        username="county", role=roles.COUNTY_OFFICER, area_codes=[COUNTY], password="pw-county"
    )


@pytest.fixture
def unmasking_officer(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(
        username="county_unmask",
        role=roles.COUNTY_OFFICER,
        area_codes=[COUNTY],
        password="pw-county",
        unmask=True,
    )


@pytest.fixture
def operator(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="operator", role=roles.OPERATOR, password="pw-op")


@pytest.fixture
def observer(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="observer", role=roles.OBSERVER, password="pw-obs")


@pytest.fixture
def donor(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="donor", role=roles.DONOR, password="pw-donor")


@pytest.fixture
def helper(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="helper", role=roles.HELPER, password="pw-helper")


@pytest.fixture
def adjuster(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(username="adjuster", role=roles.ADJUSTER, password="pw-adjuster")


@pytest.fixture
def township_officer(area_tree: None):  # type: ignore[no-untyped-def]
    return accounts.create_user(
        username="township", role=roles.TOWNSHIP_OFFICER, area_codes=[TOWNSHIP], password="pw-town"
    )


@pytest.fixture
def empty_the_log_afterwards():  # type: ignore[no-untyped-def]
    """A transactional test ends with a flush, which the append-only triggers refuse: empty
    the log as its owner would, with the triggers off, then put them back. A flush also
    removes the log's head row, which the migration made: make sure it is there first. (The
    head's own triggers and PostgreSQL's TRUNCATE trigger let the flush through once the log
    is empty: migration ``ledger/0004``.)"""
    from tuopin.ledger.models import LogHead

    LogHead.objects.get_or_create(pk=1)
    yield
    empty_the_log()


def empty_the_log() -> None:
    """Delete every ledger row with the append-only triggers off (tests only: before a flush)."""
    from django.db import connection

    tables = ["ledger_entry", "ledger_tileversion", "ledger_checkpoint"]
    with connection.cursor() as cur:
        for table in tables:
            if connection.vendor == "postgresql":
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
                cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            else:
                cur.execute(f"DROP TRIGGER {table}_no_delete")
                cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
                cur.execute(
                    f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only ({table})'); END"
                )


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    """Debian's chromium under Playwright, for the e2e tests (`make e2e`). A missing browser
    fails the test: `.ci/run` installs it, and a skip would hide that it did not."""
    import shutil

    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    if path is None:
        pytest.fail("e2e tests need chromium: apt-get install chromium (.ci/run does)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
