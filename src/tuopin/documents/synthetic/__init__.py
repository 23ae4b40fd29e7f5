"""Synthetic claim documents with their ground truth, for tests, the benchmark and the demo.

Pure (no Django): :func:`render_document` draws an invoice, a discharge summary or an ID card in
one of several layouts, then (``degrade=True``) makes it look like a phone photo. It needs a CJK
font (the ``cvttf-NotoSansCJK-Regular`` wheel, or a system font); the committed fixtures under
``documents/fixtures/`` do not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tuopin.documents.synthetic import degrade as _degrade
from tuopin.documents.synthetic import invoices, papers
from tuopin.documents.synthetic.values import ETHNICITIES, fill_values, provinces
from tuopin.documents.types import DocType

LAYOUTS = {
    DocType.INPATIENT_INVOICE: invoices.NUMBER_OF_LAYOUTS,
    DocType.OUTPATIENT_INVOICE: invoices.NUMBER_OF_LAYOUTS,
    DocType.DISCHARGE_SUMMARY: papers.NUMBER_OF_LAYOUTS,
    DocType.ID_CARD: 1,
    DocType.OTHER: 1,
}


@dataclass(frozen=True)
class Rendered:
    """A rendered document: the JPEG and what it shows."""

    jpeg: bytes
    doc_type: DocType
    values: dict[str, str]
    layout: int
    quarter_turns: int


def render(
    doc_type: DocType,
    values: dict[str, str] | None = None,
    *,
    seed: int = 0,
    layout: int | None = None,
    degrade: bool = True,
    quarter_turns: int | None = None,
) -> Rendered:
    """Render one document; the values not given are made up (consistently) from ``seed``."""
    rng = random.Random(f"{doc_type}:{seed}")
    filled = fill_values(doc_type, values or {}, seed=seed) if doc_type is not DocType.OTHER else {}
    chosen = rng.randrange(LAYOUTS[doc_type]) if layout is None else layout % LAYOUTS[doc_type]
    province = rng.choice(provinces())
    if doc_type in (DocType.INPATIENT_INVOICE, DocType.OUTPATIENT_INVOICE):
        sheet = invoices.draw_invoice(
            filled,
            rng,
            inpatient=doc_type is DocType.INPATIENT_INVOICE,
            layout=chosen,
            province=province,
        )
    elif doc_type is DocType.DISCHARGE_SUMMARY:
        sheet = papers.draw_discharge(filled, rng, layout=chosen)
    elif doc_type is DocType.ID_CARD:
        sheet = papers.draw_id_card(filled, rng, ethnicity=rng.choice(ETHNICITIES))
    else:
        sheet = papers.draw_other(rng)
    image = sheet.image
    turns = 0
    if degrade:
        if sheet.stamp_spots and rng.random() < 0.8:
            _degrade.stamp(image, rng.choice(sheet.stamp_spots), rng, filled.get("hospital", ""))
        turns = rng.choice((0, 0, 1, 2, 3)) if quarter_turns is None else quarter_turns % 4
        image = _degrade.photograph(image, rng, quarter_turns=turns)
    quality = rng.randint(55, 80) if degrade else 90
    return Rendered(_degrade.jpeg(image, quality), doc_type, filled, chosen, turns)


def render_document(
    doc_type: DocType,
    values: dict[str, str],
    *,
    seed: int = 0,
    layout: int | None = None,
    degrade: bool = True,
) -> bytes:
    """JPEG bytes of a synthetic ``doc_type`` showing ``values`` (the rest made up from ``seed``).

    ``values`` uses the key-field names of :data:`tuopin.documents.types.FIELDS` (amounts as
    yuan strings ``"123.40"``, dates ``YYYY-MM-DD``); an inpatient invoice given only a total
    splits it 60/40 between 统筹支付 and 自付 so that the figures add up.
    """
    return render(doc_type, values, seed=seed, layout=layout, degrade=degrade).jpeg


__all__ = ["Rendered", "render", "render_document", "fill_values"]
