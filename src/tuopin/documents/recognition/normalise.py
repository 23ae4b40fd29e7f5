"""Normalise what OCR read into field values (pure: no Django): dates ``YYYY-MM-DD``, amounts
as yuan with two decimals, ID numbers validated, sex 男/女, names and hospitals as printed.
Each function returns ``None`` when the text does not hold a valid value.
"""

from __future__ import annotations

import datetime as dt
import re

from tuopin.core import idcard

# Characters OCR confuses in figures.
_DIGIT_FIXES = str.maketrans(
    {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "，": ",", "。": "."}
)
_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})(?!\d)\s*日?"
)
_COMPACT_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_AMOUNT_RE = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?![\d])")
_HAN = r"\u3400-\u9fff"
_NAME_RE = re.compile(f"^[{_HAN}][{_HAN}·•]{{1,5}}$")
HOSPITAL_RE = re.compile(
    f"[{_HAN}（）()]{{2,30}}?(?:医院|卫生院|保健院|卫生服务中心|卫生服务站|医疗中心|诊所|卫生室)"
)
_ID_RE = re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx×])(?![0-9])")


def clean(text: str) -> str:
    """Unify what OCR gives for the same print: full-width brackets and colons, no spaces."""
    text = text.replace("（", "(").replace("）", ")").replace("：", ":").replace("﹕", ":")
    return re.sub(r"\s+", "", text)


def _date(year: str, month: str, day: str) -> str | None:
    try:
        d = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return d.isoformat() if 1900 <= d.year <= 2100 else None


def dates_in(text: str) -> list[str]:
    """Every date in ``text``, in order: 2026年3月5日, 2026-03-05, 2026.03.05, 20260305 …"""
    text = clean(text).translate(_DIGIT_FIXES)
    found: list[tuple[int, str]] = []
    for m in _DATE_RE.finditer(text):
        if value := _date(*m.groups()):
            found.append((m.start(), value))
    for m in _COMPACT_DATE_RE.finditer(text):
        if any(start <= m.start() < start + 10 for start, _ in found):
            continue
        if value := _date(*m.groups()):
            found.append((m.start(), value))
    return [value for _, value in sorted(found)]


def date(text: str) -> str | None:
    found = dates_in(text)
    return found[0] if found else None


def amount(text: str) -> str | None:
    """``"12345.60"`` from ¥12,345.6, 12345.60元, ￥ 12345.60 …; None if there is no figure."""
    text = clean(text).translate(_DIGIT_FIXES)
    text = re.sub(r"^[^\d]*?(?=[¥￥Y]?\d)", "", text)
    text = text.lstrip("¥￥Y")
    m = _AMOUNT_RE.match(text)
    if not m:
        return None
    rest = text[m.end() :]
    if rest and not re.fullmatch(r"(元|圆)?(整)?", rest):
        return None
    whole = int(m.group(1).replace(",", ""))
    cents = (m.group(2) or "").ljust(2, "0")
    if whole > 100_000_000:
        return None
    return f"{whole}.{cents}"


def id_number(text: str) -> str | None:
    """A valid ID number (MOD 11-2) in ``text``, upper-case."""
    digits = clean(text).translate(_DIGIT_FIXES).replace("×", "X")
    for m in _ID_RE.finditer(digits):
        try:
            return idcard.parse(m.group(1)).value
        except idcard.IdNumberError:
            continue
    return None


def sex(text: str) -> str | None:
    found = set(re.findall("[男女]", text))
    return found.pop() if len(found) == 1 else None


def name(text: str) -> str | None:
    """A person's name as printed: two to six Chinese characters."""
    text = clean(text).strip(":.,;、")
    return text if _NAME_RE.match(text) else None


def hospital(text: str) -> str | None:
    text = re.sub(r"^\(?章\)?", "", clean(text).strip(":"))
    m = HOSPITAL_RE.search(text)
    if not m:
        return None
    value = m.group(0)
    return value.lstrip("(") if len(value) >= 4 else None


def invoice_number(text: str) -> str | None:
    text = clean(text).translate(_DIGIT_FIXES).lstrip(":.")
    m = re.search(r"[A-Z]{0,2}\d{6,20}", text.upper())
    return m.group(0) if m else None


def diagnosis(text: str) -> str | None:
    text = clean(text).strip(":;；。.，,")
    if len(text) < 2 or not re.search(f"[{_HAN}]", text):
        return None
    return text


def address(text: str) -> str | None:
    text = clean(text).strip(":")
    return text if len(text) >= 4 and re.search(f"[{_HAN}]", text) else None
