"""What is shown of personal data to someone without the unmask permission.

Pure code, no Django. The rule: nothing shown together rebuilds a whole ID number. An ID
number shows its region and its check character (:func:`tuopin.core.idcard.mask`); the birth
date beside it is replaced by the age; a phone number keeps its first three and last four digits.
"""

from __future__ import annotations

import datetime as dt


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years from ``birth`` to ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def mask_phone(phone: str) -> str:
    """``139****0000``: an 11-digit mobile number keeps its carrier prefix and last four digits;
    anything shorter keeps only its last two characters."""
    phone = phone.strip()
    if not phone:
        return ""
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(len(phone) - 2, 0) + phone[-2:]
