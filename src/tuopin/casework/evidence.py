"""A submission's photos through the ``documents`` evidence store, with the three flags shown
to every reviewer (数量无法虚报): the same picture already used in another submission, an EXIF
time outside the reporting period, a GPS position far from the household's village."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tuopin.documents import evidence
from tuopin.documents.models import Photo

from . import periods
from .models import PhotoUse, ReportField, Submission

ONE_OFF_WINDOW_DAYS = 90  # a case's photos should be recent: taken within this before filing


def _window(submission: Submission) -> tuple[dt.date, dt.date]:
    kind = submission.report_type.periodicity
    if kind == "one_off":
        filed = timezone.localdate(submission.filed_at)
        return filed - dt.timedelta(days=ONE_OFF_WINDOW_DAYS), filed + dt.timedelta(days=1)
    return submission.period_start, periods.period_end(submission.period_start, kind)


def _reused_in(photo: Photo, submission: Submission) -> int | None:
    """Another submission that used this picture (the same bytes or a near duplicate)."""
    same = [photo.pk] + [n.photo.pk for n in evidence.find_near_duplicates(photo)]
    other = (
        PhotoUse.objects.filter(photo_id__in=same)
        .exclude(submission=submission)
        .order_by("submission_id")
        .values_list("submission_id", flat=True)
        .first()
    )
    return other


def _place(submission: Submission) -> tuple[float, float] | None:
    area = submission.household.village if submission.household is not None else submission.area
    if area.latitude is None or area.longitude is None:
        return None
    return float(area.latitude), float(area.longitude)


def flag(use: PhotoUse, submission: Submission) -> PhotoUse:
    """Set the three flags of ``use`` (not saved)."""
    photo = use.photo
    use.reused_in_id = _reused_in(photo, submission)
    if photo.taken_at is not None:
        start, end = _window(submission)
        taken = timezone.localtime(photo.taken_at).date()
        use.out_of_period = not start <= taken < end
    place = _place(submission)
    if place is not None and photo.latitude is not None and photo.longitude is not None:
        km = periods.distance_km(place[0], place[1], float(photo.latitude), float(photo.longitude))
        use.distance_km = round(km, 1)  # type: ignore[assignment]
        use.far = km > periods.FAR_KM
    return use


def attach_photos(
    submission: Submission, fields: dict[str, ReportField], photos: dict[str, list[bytes]]
) -> list[str]:
    """Store the photos (once per content), link them with their flags, replacing any the
    submission had; returns their SHA-256 in field order for the content hash."""
    PhotoUse.objects.filter(submission=submission).delete()
    hashes = []
    uses = []
    for key in sorted(photos):
        for position, data in enumerate(photos[key]):
            photo = evidence.store_photo(data)
            uses.append(
                flag(
                    PhotoUse(
                        submission=submission, field=fields[key], photo=photo, position=position
                    ),
                    submission,
                )
            )
            hashes.append(photo.sha256)
    PhotoUse.objects.bulk_create(uses)
    return hashes


def read(use: PhotoUse) -> Any:
    return evidence.photo_file(use.photo)
