"""``recognise(image)``: load, read the lines whichever way up, classify, extract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tuopin.documents.recognition.classify import classify
from tuopin.documents.recognition.extract import extract
from tuopin.documents.recognition.layout import cells
from tuopin.documents.recognition.loading import load
from tuopin.documents.recognition.reading import read_page
from tuopin.documents.types import Box, DocType, Field, Line, Recognition


def _box(points: Any) -> Box:
    (a, b, c, d) = ((round(float(x), 1), round(float(y), 1)) for x, y in points)
    return (a, b, c, d)


def recognise(image: bytes | Path) -> Recognition:
    """What the photo shows: document type, key fields with confidence, every text line.

    Raises :class:`tuopin.documents.errors.BadImage` for what is not a readable image. A photo
    without a claim document on it is ``DocType.OTHER`` with no fields, not an error. The OCR
    engine is loaded on the first call in the process and kept.
    """
    loaded = load(image)
    page = read_page(loaded.image, loaded.scale)
    lines = tuple(Line(r.text, _box(r.stored), round(r.confidence, 4)) for r in page.lines)
    if not lines:
        return Recognition(DocType.OTHER, width=loaded.width, height=loaded.height)
    layout = cells(page.lines, page.skew_degrees, page.width, page.height)
    doc_type, _ = classify([r.text for r in page.lines])
    found = extract(doc_type, layout) if doc_type is not DocType.OTHER else {}
    words = found.pop("amount_in_words", None)
    fields = {
        name: Field(f.value, round(min(1.0, f.confidence), 3), lines[f.cell].box)
        for name, f in found.items()
    }
    return Recognition(
        doc_type=doc_type,
        fields=fields,
        lines=lines,
        width=loaded.width,
        height=loaded.height,
        amount_in_words=words.value if words else None,
    )
