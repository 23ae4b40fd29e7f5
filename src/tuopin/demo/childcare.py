"""The childcare demo (养育未来 in 宁陕): hamlets with young families clustered the way
mountain villages are, two candidate sites an officer added, and a plan of 20 centres."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from decimal import Decimal
from pathlib import Path

NINGSHAN = "610923"
HAMLETS = {"small": 60, "medium": 80, "large": 120}


def build_childcare(*, scale: str, seed: int, today: dt.date) -> int | None:
    """Add 宁陕's hamlets and young families (once), then plan 20 centres as the operator.
    Returns the plan's id, or None when 宁陕 is not in this demo."""
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
        return None
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
    return found.pk
