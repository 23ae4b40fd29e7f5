"""The three photo flags every reviewer sees: reused, out of period, out of place."""

from __future__ import annotations

import datetime as dt

from tuopin.casework.models import PhotoUse

from .factories import A_LAT, A_LON, IN_JUNE, SHANGHAI, chicken, photo


def _use(s):  # type: ignore[no-untyped-def]
    return PhotoUse.objects.get(submission=s)


def test_a_photo_taken_in_the_period_at_the_village_is_not_flagged(
    types, households, cadre_a
) -> None:  # type: ignore[no-untyped-def]
    use = _use(chicken(types, cadre_a))
    assert not use.flagged
    assert use.distance_km is not None and use.distance_km < 2
    assert use.photo.taken_at is not None


def test_the_same_picture_in_another_submission_is_flagged_as_reused(
    types,
    households,
    cadre_a,
) -> None:  # type: ignore[no-untyped-def]
    first = chicken(types, cadre_a, seed=7)
    again = chicken(types, cadre_a, seed=7, household="A002")  # the very same bytes
    assert _use(again).reused_in_id == first.pk
    assert not _use(first).flagged


def test_a_recompressed_copy_is_found_by_its_perceptual_hash(types, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    import io

    from PIL import Image

    first = chicken(types, cadre_a, seed=8)
    original = Image.open(io.BytesIO(photo(8, taken=IN_JUNE)))
    out = io.BytesIO()
    original.resize((400, 300)).save(out, "JPEG", quality=60)
    from tuopin.casework import services

    again = services.file_submission(
        report_type=types["black-chicken"],
        village=first.area_id,
        values={"household": "A002", "birds": "10", "growth": "一般"},
        photos={"photo": [out.getvalue()]},
        period=first.period_start,
        by=cadre_a,
    )
    use = _use(again)
    assert use.photo_id != _use(first).photo_id and use.reused_in_id == first.pk


def test_a_photo_taken_outside_the_month_is_flagged(types, households, cadre_a) -> None:  # type: ignore[no-untyped-def]
    may = dt.datetime(2018, 5, 20, 10, 0, tzinfo=SHANGHAI)
    assert _use(chicken(types, cadre_a, taken=may)).out_of_period
    last_moment = dt.datetime(2018, 6, 30, 23, 59, tzinfo=SHANGHAI)
    assert not _use(chicken(types, cadre_a, taken=last_moment, seed=3)).out_of_period


def test_a_photo_taken_far_from_the_village_is_flagged_with_its_distance(
    types,
    households,
    cadre_a,
) -> None:  # type: ignore[no-untyped-def]
    from tuopin.casework import services

    s = services.file_submission(
        report_type=types["black-chicken"],
        village=first_village(),
        values={"household": "A001", "birds": "10", "growth": "一般"},
        photos={"photo": [photo(9, taken=IN_JUNE, lat=A_LAT + 0.5, lon=A_LON)]},
        period=dt.date(2018, 6, 1),
        by=cadre_a,
    )
    use = _use(s)
    assert use.far and 50 < use.distance_km < 60


def first_village() -> str:
    from tuopin.conftest import VILLAGE_A

    return VILLAGE_A
