"""What a document is, from its text (pure: no Django).

Titles decide when present (住院收费票据, 门诊收费票据, 出院记录/出院小结, the ID card's
公民身份号码); otherwise the labels printed on it vote (入院日期 + 统筹支付 make an inpatient
invoice even when the title is under a stamp).
"""

from __future__ import annotations

import re

from tuopin.documents.types import DocType

_INVOICE = r"(收费|结算)?(票据|发票|收据|专用票据)|结算单|费用清单"
TITLES: list[tuple[DocType, re.Pattern[str], float]] = [
    (DocType.DISCHARGE_SUMMARY, re.compile(r"出院(记录|小结|证明|证明书|志)|出\s*院\s*记\s*录"), 5),
    (DocType.ID_CARD, re.compile(r"公民身份号码|居民身份证|公民身份证号"), 5),
    (DocType.INPATIENT_INVOICE, re.compile(f"住院.{{0,6}}({_INVOICE})"), 5),
    (DocType.OUTPATIENT_INVOICE, re.compile(f"门(诊|急诊).{{0,6}}({_INVOICE})"), 5),
]
CLUES: list[tuple[DocType, re.Pattern[str], float]] = [
    (
        DocType.INPATIENT_INVOICE,
        re.compile(r"住院号|入院(日期|时间)|出院(日期|时间)|住院(日期|时间)"),
        1,
    ),
    (DocType.INPATIENT_INVOICE, re.compile(r"统筹|个人自付|个人支付|床位费|大写"), 1),
    (DocType.OUTPATIENT_INVOICE, re.compile(r"门诊号|就诊日期|门诊日期|挂号费|诊察费|大写"), 1),
    (DocType.INPATIENT_INVOICE, re.compile(r"票据号|发票号|收款单位|合计"), 0.5),
    (DocType.OUTPATIENT_INVOICE, re.compile(r"票据号|发票号|收款单位|合计"), 0.5),
    (
        DocType.DISCHARGE_SUMMARY,
        re.compile(r"出院诊断|入院诊断|诊疗经过|出院医嘱|出院情况|入院情况"),
        2,
    ),
    (DocType.ID_CARD, re.compile(r"民族|住址|^出生"), 1.5),
]


def classify(texts: list[str]) -> tuple[DocType, float]:
    """The document type and how sure we are (0..1); OTHER when nothing points anywhere."""
    scores = {t: 0.0 for t in DocType}
    for text in texts:
        compact = re.sub(r"\s+", "", text)
        for doc_type, pattern, weight in TITLES:
            if pattern.search(compact):
                scores[doc_type] += weight
        for doc_type, pattern, weight in CLUES:
            scores[doc_type] += weight * len(pattern.findall(compact))
    # An invoice that also mentions 出院 dates is still an invoice; a discharge summary's
    # title beats clue words.
    best = max(scores, key=lambda t: scores[t])
    total = sum(scores.values())
    if scores[best] < 2.5:
        return DocType.OTHER, 1.0 if total == 0 else 0.5
    return best, round(scores[best] / total, 3)
