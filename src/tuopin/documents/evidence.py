"""Storing photo evidence and finding the same picture again.

Photos live under ``MEDIA_ROOT/evidence/<first two hex digits>/<sha256><suffix>``, outside
the folders the upload retention purges (``core.uploads.TRANSIENT_FOLDERS``); they are never
served by a public media URL, only through the access function of what they are evidence for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from . import images
from .models import Photo

FOLDER = "evidence"
NEAR = 5  # Hamming distance of pHashes at or below which two photos are the same picture


@dataclass(frozen=True)
class NearDuplicate:
    photo: Photo
    distance: int


def _path(facts: images.ImageFacts) -> str:
    return f"{FOLDER}/{facts.sha256[:2]}/{facts.sha256}{facts.suffix}"


def store_photo(data: bytes) -> Photo:
    """Check ``data`` (:func:`images.inspect`, :class:`BadImage` if refused) and store it once
    per content: the same bytes again return the photo already stored.

    The file is written before the row (under a temporary name, then renamed: never a part
    file under the real name); if the row cannot be written, a file this call created is
    removed again.
    """
    facts = images.inspect(data)
    existing = Photo.objects.filter(sha256=facts.sha256).first()
    if existing is not None:
        return existing
    relative = _path(facts)
    target = Path(settings.MEDIA_ROOT) / relative
    created = not target.exists()
    if created:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    try:
        with transaction.atomic():
            return Photo.objects.create(
                sha256=facts.sha256,
                path=relative,
                media_type=facts.media_type,
                size_bytes=facts.size_bytes,
                width=facts.width,
                height=facts.height,
                phash=facts.phash,
                **{f"band{i}": b for i, b in enumerate(facts.bands)},
                taken_at=facts.taken_at,
                latitude=facts.latitude,
                longitude=facts.longitude,
            )
    except IntegrityError:
        # Stored by someone else at the same moment: theirs is the one.
        found = Photo.objects.filter(sha256=facts.sha256).first()
        if found is None:
            if created:
                target.unlink(missing_ok=True)
            raise
        return found
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                target.unlink()
        raise


def read_photo(photo: Photo) -> bytes:
    """The photo's bytes (for the page that shows it through its access function)."""
    return (Path(settings.MEDIA_ROOT) / photo.path).read_bytes()


def photo_file(photo: Photo) -> Path:
    return Path(settings.MEDIA_ROOT) / photo.path


def find_near_duplicates(
    image: Photo | bytes | int, *, exclude: Iterable[int] = (), within: int = NEAR
) -> list[NearDuplicate]:
    """Stored photos that are the same picture as ``image`` (a photo, bytes, or a pHash):
    perceptual hashes within ``within`` bits, nearest first.

    One query: six indexed equality look-ups on the hash's slices (two hashes within five
    bits share at least one slice), then the exact distance on what they find. ``exclude``
    leaves out photos by id (the photo itself is always left out).
    """
    if within > len(images.BANDS) - 1:
        raise ValueError("the slices guarantee a match up to distance 5 only")
    skip = set(exclude)
    if isinstance(image, Photo):
        phash = image.phash
        skip.add(image.pk)
    elif isinstance(image, bytes):
        phash = images.inspect(image).phash
    else:
        phash = image
    match = Q()
    for i, band in enumerate(images.bands(phash)):
        match |= Q(**{f"band{i}": band})
    found = []
    for photo in Photo.objects.filter(match).exclude(pk__in=skip):
        d = images.distance(photo.phash, phash)
        if d <= within:
            found.append(NearDuplicate(photo, d))
    return sorted(found, key=lambda n: (n.distance, n.photo.pk))


def read_upload(upload: Any) -> bytes:
    """An uploaded photo's bytes, refused before reading past :data:`images.MAX_BYTES`."""
    size = getattr(upload, "size", None)
    if size is not None and size > images.MAX_BYTES:
        raise images.too_large(size)
    data: bytes = upload.read(images.MAX_BYTES + 1)
    if len(data) > images.MAX_BYTES:
        raise images.too_large(len(data))
    return data
