"""What recognition returns (pure: no Django). The contract between the recogniser
(:mod:`tuopin.documents.recognition`) and its users (the claims checks, the CLI, the API).

Field values are normalised: dates ``YYYY-MM-DD``, amounts yuan strings with two decimals
(``"12345.60"``), names and hospitals as printed, ID numbers upper-case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

Box = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
"""Four corners (x, y) in the pixels of the image as stored (before any rotation we applied),
with its EXIF orientation applied, as a browser shows it."""


class DocType(StrEnum):
    INPATIENT_INVOICE = "inpatient_invoice"
    OUTPATIENT_INVOICE = "outpatient_invoice"
    DISCHARGE_SUMMARY = "discharge_summary"
    ID_CARD = "id_card"
    OTHER = "other"


FIELDS: dict[DocType, tuple[str, ...]] = {
    DocType.INPATIENT_INVOICE: (
        "patient_name",
        "hospital",
        "invoice_number",
        "admission_date",
        "discharge_date",
        "total_amount",
        "insurance_paid",
        "self_paid",
    ),
    DocType.OUTPATIENT_INVOICE: (
        "patient_name",
        "hospital",
        "invoice_number",
        "visit_date",
        "total_amount",
    ),
    DocType.DISCHARGE_SUMMARY: (
        "patient_name",
        "hospital",
        "admission_date",
        "discharge_date",
        "diagnosis",
    ),
    DocType.ID_CARD: ("name", "sex", "id_number", "birth_date", "address"),
    DocType.OTHER: (),
}
"""The key fields of each document type, in the order a page shows them."""


@dataclass(frozen=True)
class Line:
    """One line of text as OCR read it."""

    text: str
    box: Box
    confidence: float


@dataclass(frozen=True)
class Field:
    """One key field: its normalised value, how sure we are (0..1), where it was read."""

    value: str
    confidence: float
    box: Box | None = None


@dataclass(frozen=True)
class Recognition:
    """A document's type, its key fields and every text line."""

    doc_type: DocType
    fields: dict[str, Field] = field(default_factory=dict)
    lines: tuple[Line, ...] = ()
    width: int = 0
    height: int = 0
    amount_in_words: str | None = None
    """The upper-case total (合计大写) as read, normalised to yuan with two decimals, if any."""

    def values(self) -> dict[str, str]:
        return {name: f.value for name, f in self.fields.items()}

    def confidences(self) -> dict[str, float]:
        return {name: round(f.confidence, 3) for name, f in self.fields.items()}
