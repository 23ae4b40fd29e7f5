"""Chinese resident identity numbers (居民身份证号, GB 11643-1999): normalise, validate, derive.

Pure code, no Django: 6-digit area code, 8-digit birth date, 3-digit sequence (odd = male,
even = female) and a MOD 11-2 check character (ISO 7064), which may be ``X`` for ten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from operator import mul

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_ZERO_SUM = ord("0") * sum(WEIGHTS)

# Full-width digits and letters that phones and Excel sheets produce.
_FULLWIDTH = str.maketrans("０１２３４５６７８９ＸｘX", "0123456789XXX")


class IdNumberError(ValueError):
    """An ID number that is not well formed. ``code`` is stable and machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A validated 18-character ID number with what it encodes."""

    value: str
    birth_date: dt.date
    sex: str  # "M" or "F"

    @property
    def area_code(self) -> str:
        return self.value[:6]


def normalise(raw: str) -> str:
    """Strip blanks, convert full-width characters and a lower-case x."""
    return "".join(raw.split()).translate(_FULLWIDTH).upper()


def check_char(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits (ASCII)."""
    # Weighted sum over the digits' byte values, less what the '0's contribute.
    total = sum(map(mul, first17.encode("ascii"), WEIGHTS)) - _ZERO_SUM
    return CHECK_CHARS[total % 11]


def parse(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate ``raw`` and return the ID number with its birth date and sex.

    Raises :class:`IdNumberError` with code ``id_format``, ``id_checksum`` or ``id_birth_date``.
    """
    value = normalise(raw)
    if (
        len(value) != 18
        or not value.isascii()  # str.isdigit also takes other scripts' digits
        or not value[:17].isdigit()
        or not (value[17].isdigit() or value[17] == "X")
    ):
        raise IdNumberError("id_format", "证件号码应为18位（前17位数字，末位数字或X）")
    if check_char(value[:17]) != value[17]:
        raise IdNumberError("id_checksum", "证件号码校验位错误")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdNumberError("id_birth_date", "证件号码中的出生日期无效") from None
    if birth.year < 1880 or (today is not None and birth > today):
        raise IdNumberError("id_birth_date", "证件号码中的出生日期无效")
    sex = "M" if int(value[16]) % 2 == 1 else "F"
    return IdNumber(value=value, birth_date=birth, sex=sex)


def build(area_code: str, birth_date: dt.date, sequence: int) -> str:
    """Compose a valid ID number (for demo data and tests). ``sequence`` is 0..999."""
    first17 = f"{area_code[:6]}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def mask(value: str) -> str:
    """``110101***********X``: the region (first six) and the check character stay visible.

    Hiding only the birth date is not enough: pages print the birth date (or the sex and
    age) beside the number, and the region is the village's county. With the birth date
    known to the year and the check character shown, some 16,000 numbers fit; never show the
    whole birth date next to a masked number (see ``docs/privacy.md``).
    """
    if len(value) <= 7:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 7) + value[-1:]
