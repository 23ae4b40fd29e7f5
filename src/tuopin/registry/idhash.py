"""The keyed hash that finds a person by ID number without a LIKE over ID numbers."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def id_hash(id_number: str) -> str:
    """HMAC-SHA256 of a normalised ID number under ``settings.ID_HASH_KEY``, as hex."""
    key = settings.ID_HASH_KEY.encode()
    return hmac.new(key, id_number.encode(), hashlib.sha256).hexdigest()
