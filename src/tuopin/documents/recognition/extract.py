"""Key fields from the lines of a page and their layout (pure: no Django).

A label (any of its printed wordings, :mod:`labels`) gives its value on the same line after it,
else in the nearest line to its right on the same row, else just below it (header-row tables).
Values must validate (:mod:`normalise`); the best-scoring candidate wins. Confidence = the
label's reliability × OCR confidence × where the value was found, raised when figures agree
(大写 = 小写, total = 统筹 + 自付) and for an ID number with a valid check digit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tuopin.core import idcard
from tuopin.documents.recognition import normalise
from tuopin.documents.recognition.labels import LABEL_WEIGHT, LABELS, is_label_only, split
from tuopin.documents.recognition.layout import Cell, below, right_of
from tuopin.documents.recognition.words import NotAmountInWords, parse_amount_in_words
from tuopin.documents.types import FIELDS, DocType


def _words(text: str) -> str | None:
    try:
        fen = parse_amount_in_words(text)
    except NotAmountInWords:
        return None
    return f"{fen // 100}.{fen % 100:02d}"


VALIDATE: dict[str, Callable[[str], str | None]] = {
    "name": normalise.name,
    "sex": normalise.sex,
    "birth_date": normalise.date,
    "address": normalise.address,
    "id_number": normalise.id_number,
    "hospital": normalise.hospital,
    "invoice_number": normalise.invoice_number,
    "admission_date": normalise.date,
    "discharge_date": normalise.date,
    "visit_date": normalise.date,
    "total_amount": normalise.amount,
    "insurance_paid": normalise.amount,
    "self_paid": normalise.amount,
    "amount_in_words": _words,
    "diagnosis": normalise.diagnosis,
}
SAME_LINE, RIGHT, BELOW, ELSEWHERE = 1.0, 0.95, 0.9, 0.8


@dataclass(frozen=True)
class Found:
    value: str
    confidence: float
    cell: int  # index of the line it was read from


def _field_name(key: str, doc_type: DocType) -> str:
    if key == "name" and doc_type is not DocType.ID_CARD:
        return "patient_name"
    return key


def _leading_value(cell: Cell) -> str:
    """A neighbour's text before any label it holds ('' if it starts with a label)."""
    pieces = split(normalise.clean(cell.text))
    return pieces[0][1] if pieces and pieces[0][0] is None else ""


class _Candidates:
    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self.best: dict[str, Found] = {}

    def offer(self, field: str, value: str | None, confidence: float, cell: int) -> bool:
        if value is None or field not in self.wanted:
            return False
        current = self.best.get(field)
        if current is None or confidence > current.confidence:
            self.best[field] = Found(value, confidence, cell)
        return True


def _neighbour_value(cell: Cell, page: list[Cell], key: str) -> tuple[str | None, float, int]:
    for neighbours, factor in ((right_of(cell, page)[:1], RIGHT), (below(cell, page)[:1], BELOW)):
        for n in neighbours:
            if is_label_only(n.text):
                continue
            text = _leading_value(n)
            if key == "stay":
                return text, factor * n.confidence, n.index
            value = VALIDATE[key](text) if text else None
            if value is not None:
                return value, factor * n.confidence, n.index
    return None, 0.0, -1


def _address(start: Cell, value: str, page: list[Cell]) -> str:
    """An ID card's address runs over two or three lines under its first."""
    parts, last = [value], start
    for _ in range(3):
        nxt = [
            c
            for c in page
            if c.y0 > last.cy
            and c.y0 - last.y1 < 1.2 * last.height
            and abs(c.x0 - last.x0) < 1.5 * last.height
            and not split(normalise.clean(c.text))[0][0]
        ]
        if not nxt:
            break
        last = min(nxt, key=lambda c: c.y0)
        parts.append(normalise.clean(last.text))
    return "".join(parts)


def _labelled(doc_type: DocType, page: list[Cell], found: _Candidates) -> None:
    for cell in page:
        pieces = split(normalise.clean(cell.text))
        for position, (label, rest) in enumerate(pieces):
            key = LABELS.get(label) if label else None
            if key is None:
                continue
            field = _field_name(key, doc_type)
            weight = LABEL_WEIGHT.get(label or "", 1.0) * cell.confidence
            text = rest.strip(":.")
            source = cell
            factor = SAME_LINE
            if not text and position == len(pieces) - 1:
                text, conf, index = _neighbour_value(cell, page, key)
                if text is None:
                    continue
                factor = conf / max(cell.confidence, 1e-6)
                source = page_by_index(page, index)
            if not text:
                continue
            if key == "stay":
                dates = normalise.dates_in(text)
                if len(dates) >= 2:
                    found.offer("admission_date", dates[0], weight * factor, source.index)
                    found.offer("discharge_date", dates[1], weight * factor, source.index)
                continue
            value = VALIDATE[key](text)
            if key == "address" and value:
                value = _address(source, value, page)
            found.offer(field, value, weight * factor, source.index)


def page_by_index(page: list[Cell], index: int) -> Cell:
    return next(c for c in page if c.index == index)


def _unlabelled(doc_type: DocType, page: list[Cell], found: _Candidates) -> None:
    """Values recognisable without a label: a hospital's name in a title, an ID number, 大写."""
    top = sorted(page, key=lambda c: c.y0)
    for cell in top[:6]:
        if "hospital" not in found.best:
            found.offer(
                "hospital", normalise.hospital(cell.text), ELSEWHERE * cell.confidence, cell.index
            )
    for cell in page:
        if doc_type is DocType.ID_CARD and "id_number" not in found.best:
            found.offer(
                "id_number", normalise.id_number(cell.text), ELSEWHERE * cell.confidence, cell.index
            )
        if "amount_in_words" not in found.best and any(u in cell.text for u in "元圆整角"):
            found.offer(
                "amount_in_words", _words(cell.text), ELSEWHERE * cell.confidence, cell.index
            )


def _cross_check(doc_type: DocType, best: dict[str, Found]) -> None:
    """Raise confidence where figures agree; fill a figure the others determine."""

    def fen(name: str) -> int | None:
        f = best.get(name)
        return round(float(f.value) * 100) if f else None

    def lift(name: str, to: float) -> None:
        f = best[name]
        best[name] = Found(f.value, max(f.confidence, to), f.cell)

    total, words = fen("total_amount"), fen("amount_in_words")
    if total is not None and total == words:
        lift("total_amount", 0.97)
        lift("amount_in_words", 0.97)
    elif total is None and words is not None:
        best["total_amount"] = Found(
            best["amount_in_words"].value,
            0.75 * best["amount_in_words"].confidence,
            best["amount_in_words"].cell,
        )
        total = words
    if doc_type is DocType.INPATIENT_INVOICE:
        insured, own = fen("insurance_paid"), fen("self_paid")
        if None not in (total, insured, own) and total == insured + own:  # type: ignore[operator]
            for name in ("total_amount", "insurance_paid", "self_paid"):
                lift(name, 0.95)
        elif total is not None and insured is not None and own is None and total >= insured:
            best["self_paid"] = Found(
                f"{(total - insured) / 100:.2f}", 0.6, best["insurance_paid"].cell
            )
        elif total is not None and own is not None and insured is None and total >= own:
            best["insurance_paid"] = Found(
                f"{(total - own) / 100:.2f}", 0.6, best["self_paid"].cell
            )
    if doc_type is DocType.ID_CARD and "id_number" in best:
        parsed = idcard.parse(best["id_number"].value)
        lift("id_number", 0.98)
        sex = "男" if parsed.sex == "M" else "女"
        birth = parsed.birth_date.isoformat()
        for name, derived in (("sex", sex), ("birth_date", birth)):
            current = best.get(name)
            if current is None or current.value != derived:
                best[name] = Found(derived, 0.9, best["id_number"].cell)
            else:
                lift(name, 0.99)


def extract(doc_type: DocType, page: list[Cell]) -> dict[str, Found]:
    """The key fields of ``doc_type`` (plus ``amount_in_words`` on invoices) found on ``page``."""
    wanted = set(FIELDS[doc_type])
    if doc_type in (DocType.INPATIENT_INVOICE, DocType.OUTPATIENT_INVOICE):
        wanted.add("amount_in_words")
    found = _Candidates(wanted)
    _labelled(doc_type, page, found)
    _unlabelled(doc_type, page, found)
    best = found.best
    _cross_check(doc_type, best)
    return {name: f for name, f in best.items() if name in wanted}
