"""The childcare demo (养育未来 in 宁陕): hamlets with young families clustered the way
mountain villages are, two candidate sites an officer added, and a plan of 20 centres."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

NINGSHAN = "610923"
HAMLETS = {"small": 60, "medium": 80, "large": 120}


@dataclass
class ChildcareDemo:
    plan_id: int | None = None
    villages: int = 0
    households: int = 0
    people: int = 0


def build_childcare(*, scale: str, seed: int, today: dt.date) -> ChildcareDemo:
    """Add 宁陕's hamlets and young families (once), then plan 20 centres as the operator.
    Says what the hamlets hold (the same on a re-run) and the plan's id (None when 宁陕 is
    not in this demo)."""
    import csv

    from tuopin.accounts.selectors import get_user
    from tuopin.areas import selectors as area_selectors
    from tuopin.areas import services as areas
    from tuopin.childcare import planning, services
    from tuopin.childcare.models import CandidateSite, SitingPlan
    from tuopin.registry import services as registry
    from tuopin.registry.synthetic import (
        HEADER,
        VILLAGE_WORDS,
        RowGenerator,
        VillageSpec,
        place_names,
    )

    county = area_selectors.areas_by_codes([NINGSHAN.ljust(12, "0")]).get(NINGSHAN.ljust(12, "0"))
    if county is None or county.longitude is None or county.latitude is None:
        return ChildcareDemo()
    operator = get_user("operator")
    township = f"{NINGSHAN}190000"
    if not area_selectors.areas_by_codes([township]):
        rng = random.Random(seed + 923)  # noqa: S311 - demo data, not secrets
        rows: list[tuple[str, str, Decimal | None, Decimal | None]] = [
            (township, "筒车湾镇", county.longitude, county.latitude)
        ]
        villages = []
        names = place_names(rng, HAMLETS[scale], VILLAGE_WORDS, "组")
        n = 0
        while n < len(names):
            # A cluster of one to four hamlets within about a kilometre, somewhere in the valley.
            lon = county.longitude + Decimal(str(round(rng.uniform(-0.25, 0.25), 6)))
            lat = county.latitude + Decimal(str(round(rng.uniform(-0.2, 0.2), 6)))
            for _ in range(min(rng.randint(1, 4), len(names) - n)):
                code = f"{township[:9]}{200 + n:03d}"
                rows.append(
                    (
                        code,
                        names[n],
                        lon + Decimal(str(round(rng.uniform(-0.006, 0.006), 6))),
                        lat + Decimal(str(round(rng.uniform(-0.005, 0.005), 6))),
                    )
                )
                villages.append((VillageSpec(code=code, county_code=NINGSHAN), rng.randint(2, 9)))
                n += 1
        areas.create_areas(rows=rows)
        gen = RowGenerator(seed + 923, today, first_sequence=300)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "ningshan.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(HEADER)
                for village, families in villages:
                    for serial in range(1, families + 1):
                        writer.writerows(gen.young_family(village, serial))
            report = registry.import_registry(path=path)
        if report.errors:
            first = next(
                (e for e in report.errors if e.code != "household_rejected"), report.errors[0]
            )
            raise RuntimeError(f"childcare demo rows rejected: {first.code} {first.message}")
        first_village = rows[1]
        for name, kind, dlon in (
            ("筒车湾镇中心小学", "school", "0.004"),
            ("筒车湾镇卫生院", "clinic", "-0.003"),
        ):
            services.add_candidate_site(
                by=operator,
                county_code=NINGSHAN,
                village_code=first_village[0],
                name=name,
                kind=kind,
                longitude=(first_village[2] or county.longitude) + Decimal(dlon),
                latitude=first_village[3] or county.latitude,
                floor_area_m2=75,
            )
    assert CandidateSite.objects.filter(county_code=NINGSHAN.ljust(12, "0")).exists()
    found = SitingPlan.objects.filter(county_code=NINGSHAN.ljust(12, "0"), on=today).first()
    if found is None:
        found = planning.start_plan(by=operator, county_code=NINGSHAN, centres=20, on=today)
    found.refresh_from_db()
    run_centres(found, operator=operator, staff=get_user("centre"), seed=seed, today=today)
    from tuopin.areas.models import Area
    from tuopin.registry.models import Household, Person

    prefix = township[:9]
    return ChildcareDemo(
        plan_id=found.pk,
        villages=Area.objects.filter(code__startswith=prefix, level=5).count(),
        households=Household.objects.filter(village__code__startswith=prefix).count(),
        people=Person.objects.filter(village_code__startswith=prefix).count(),
    )


def run_centres(
    plan: object, *, operator: object, staff: object, seed: int, today: dt.date
) -> None:
    """Open the plan's three largest sites as centres (once), enrol their children with their
    mothers, and two months of sessions with attendance and home visits."""
    from tuopin.accounts import roles
    from tuopin.accounts import services as accounts
    from tuopin.childcare import centres
    from tuopin.childcare.models import Centre, SitingPlan
    from tuopin.core.ages import years_before
    from tuopin.registry.models import Person

    from .services import DEMO_PASSWORD

    assert isinstance(plan, SitingPlan)
    if plan.status != "done" or Centre.objects.filter(plan_site__plan=plan).exists():
        return
    rng = random.Random(seed + 3)  # noqa: S311 - demo data, not secrets
    opened = today - dt.timedelta(days=150)
    for rank, site in enumerate(plan.sites.order_by("rank")[:3]):
        worker = (
            staff
            if rank == 0
            else accounts.create_user(
                username=f"centre{rank + 1}", role=roles.CENTRE_STAFF, password=DEMO_PASSWORD
            )
        )
        centre = centres.open_centre(
            by=operator,  # type: ignore[arg-type]
            name=f"{site.name}养育中心",
            county_code=plan.county_code,
            village_code=site.villages[0] if not site.code.isdigit() else site.code,
            opened_on=opened,
            plan_site=site,
            floor_area_m2=site.floor_area_m2,
            staff=[worker],  # type: ignore[list-item]
        )
        kids = Person.objects.filter(
            village_code__in=site.villages,
            birth_date__gt=years_before(today, 3),
            birth_date__lte=today - dt.timedelta(days=60),
            status="present",
        ).order_by("id")
        enrolled = []
        for kid in kids[:20]:
            mother = (
                Person.objects.filter(
                    household_id=kid.household_id, sex="F", birth_date__lte=years_before(today, 18)
                )
                .order_by("-birth_date")
                .first()
            )
            enrolled.append(
                centres.enrol_child(
                    by=operator,  # type: ignore[arg-type]
                    centre=centre,
                    person_id=kid.pk,
                    carer_id=mother.pk if mother else None,
                    on=max(opened, kid.birth_date + dt.timedelta(days=30)),
                )
            )
        for week in range(8):
            day = today - dt.timedelta(days=7 * week + 1)
            present = [k.pk for k in enrolled if rng.random() < 0.75 and k.enrolled_on <= day]
            centres.record_session(
                by=worker,  # type: ignore[arg-type]
                centre=centre,
                held_on=day,
                topic=rng.choice(["亲子阅读", "音乐游戏", "大运动游戏", "绘本故事", "辅食制作"]),
                present=present,
            )
        for k in enrolled[:3]:
            centres.record_visit(
                by=worker,  # type: ignore[arg-type]
                child_id=k.pk,
                visited_on=today - dt.timedelta(days=5),
                notes="入户指导：亲子共读与辅食添加。",
            )
