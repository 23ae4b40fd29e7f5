"""The log over HTTP exactly as C2SP tlog-tiles: checkpoint, hash tiles, entry bundles."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import display, merkle, selectors, services, verify_texts

IMMUTABLE = "public, max-age=31536000, immutable"


@require_GET
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = selectors.latest_checkpoint()
    if latest is None:
        raise Http404("no checkpoint yet")
    response = HttpResponse(latest.note, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=5"
    return response


def _parse(path: str, width: str | None) -> tuple[int, int]:
    try:
        index = merkle.parse_tile_index(path)
    except ValueError:
        raise Http404("bad tile path") from None
    if width is None:
        return index, merkle.TILE_WIDTH
    if not width.isdigit() or width != str(int(width)) or not 1 <= int(width) < merkle.TILE_WIDTH:
        raise Http404("bad partial width")
    return index, int(width)


def _send(blob: bytes | None, width: int) -> HttpResponse:
    if blob is None:
        raise Http404("tile not found")
    response = HttpResponse(blob, content_type="application/octet-stream")
    response["Cache-Control"] = IMMUTABLE if width == merkle.TILE_WIDTH else "public, max-age=60"
    return response


@require_GET
def tile(request: HttpRequest, level: str, path: str, width: str | None = None) -> HttpResponse:
    index, w = _parse(path, width)
    if level != str(int(level)) or int(level) > 63:
        raise Http404("bad level")
    return _send(selectors.tile_bytes(int(level), index, w), w)


@require_GET
def entries(request: HttpRequest, path: str, width: str | None = None) -> HttpResponse:
    index, w = _parse(path, width)
    return _send(selectors.entry_bundle(index, w), w)


def explorer(request: HttpRequest) -> HttpResponse:
    """Public explorer: the latest checkpoint, recent entries decoded, lookup by index."""
    lookup = request.GET.get("index", "").strip()
    found = None
    if lookup.isdigit():
        found = display.describe(selectors.decoded_entries(index=int(lookup)), user=request.user)
    return render(
        request,
        "ledger/explorer.html",
        {
            "checkpoint": selectors.latest_checkpoint(),
            "recent": display.describe(selectors.decoded_entries(), user=request.user),
            "lookup": lookup,
            "found": found,
            "vkey": selectors.verifier_key(),
        },
    )


def verify_page(request: HttpRequest) -> HttpResponse:
    """Paste a receipt; the check runs in the browser (Web Crypto), not on this server.

    With ``?index=N`` the public receipt of entry N (no openings) is filled in, so anyone can
    check an entry linked from a public page."""
    from tuopin.core.errors import DomainError

    lookup = request.GET.get("index", "").strip()
    prefill, problem = "", ""
    if lookup.isdigit():
        try:
            prefill = services.receipt_for(int(lookup))
        except DomainError as exc:
            problem = exc.message
    return render(
        request,
        "ledger/verify.html",
        {
            "vkey": selectors.verifier_key(),
            "prefill": prefill,
            "problem": problem,
            "texts": verify_texts.texts(),
        },
    )
