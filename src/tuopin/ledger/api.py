"""JSON API of the public ledger: entries, inclusion and consistency proofs. No login needed."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from tuopin.core.errors import ValidationFailed

from . import selectors
from .errors import EntryNotFound
from .models import Entry

router = Router(tags=["ledger"], auth=None)


class EntryOut(Schema):
    index: int
    kind: str
    at: dt.datetime
    leaf_hash: str
    data: dict[str, Any]


class InclusionOut(Schema):
    index: int
    size: int
    leaf_hash: str
    hashes: list[str]


class ConsistencyOut(Schema):
    first: int
    second: int
    hashes: list[str]


def _b64(h: bytes) -> str:
    return base64.b64encode(h).decode()


def _published_size() -> int:
    latest = selectors.latest_checkpoint()
    return latest.size if latest else 0


@router.get("/entries/{index}", response=EntryOut, summary="One entry, decoded")
def get_entry(request: HttpRequest, index: int) -> dict[str, Any]:
    entry = Entry.objects.filter(index=index).first()
    if entry is None:
        raise EntryNotFound(_("账本条目不存在：%(i)s") % {"i": index})
    return {
        "index": entry.index,
        "kind": entry.kind,
        "at": entry.at,
        "leaf_hash": _b64(bytes(entry.leaf_hash)),
        "data": json.loads(bytes(entry.data)),
    }


@router.get("/proof/inclusion", response=InclusionOut, summary="Inclusion proof of an entry")
def inclusion(request: HttpRequest, index: int, size: int) -> dict[str, Any]:
    if not 0 <= index < size <= _published_size():
        raise ValidationFailed(
            _("需要 0 ≤ index < size ≤ 已签名的账本大小（%(n)s）") % {"n": _published_size()},
            code="bad_tree_size",
        )
    leaf = Entry.objects.values_list("leaf_hash", flat=True).get(index=index)
    return {
        "index": index,
        "size": size,
        "leaf_hash": _b64(bytes(leaf)),
        "hashes": [_b64(h) for h in selectors.inclusion_proof(index, size)],
    }


@router.get("/proof/consistency", response=ConsistencyOut, summary="Consistency proof")
def consistency(request: HttpRequest, first: int, second: int) -> dict[str, Any]:
    if not 0 < first <= second <= _published_size():
        raise ValidationFailed(
            _("需要 0 < first ≤ second ≤ 已签名的账本大小（%(n)s）") % {"n": _published_size()},
            code="bad_tree_size",
        )
    return {
        "first": first,
        "second": second,
        "hashes": [_b64(h) for h in selectors.consistency_proof(first, second)],
    }
