"""12-digit statistical area codes (统计用区划代码, 2+2+2+3+3): levels, prefixes, parents.

Pure code, no Django. A code's *prefix* is the part that its descendants share; scoping is a
prefix match on codes (a materialized path), never a list of ids.
"""

from __future__ import annotations

PROVINCE, PREFECTURE, COUNTY, TOWNSHIP, VILLAGE = 1, 2, 3, 4, 5
PREFIX_LENGTH = {PROVINCE: 2, PREFECTURE: 4, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12}
# First two digits of the provinces, autonomous regions, municipalities and SARs (GB/T 2260).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


class AreaCodeError(ValueError):
    pass


def normalise(raw: str) -> str:
    """Accept 6-, 9- or 12-digit codes (county codes are often written with six) and pad to 12."""
    code = "".join(str(raw).split())
    if code.endswith(".0"):  # spreadsheets turn codes into floats
        code = code[:-2]
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise AreaCodeError(f"区划代码应为12位数字：{raw!r}")
    code = code.ljust(12, "0")
    if code[:2] not in PROVINCE_CODES:
        raise AreaCodeError(f"区划代码无效：{raw!r}")
    return code


def level_of(code: str) -> int:
    if code[2:] == "0" * 10:
        return PROVINCE
    if code[4:] == "0" * 8:
        return PREFECTURE
    if code[6:] == "0" * 6:
        return COUNTY
    if code[9:] == "000":
        return TOWNSHIP
    return VILLAGE


def prefix_of(code: str) -> str:
    """The prefix that the area and all areas below it share."""
    return code[: PREFIX_LENGTH[level_of(code)]]


def parent_candidates(code: str) -> list[str]:
    """Codes that may be the parent, nearest first.

    A village needs its township and a township its county; a county or prefecture may hang
    from a missing level (直辖市 counties have no prefecture of their own).
    """
    level = level_of(code)
    if level in (VILLAGE, TOWNSHIP):
        return ancestor_codes(code)[:1]
    return ancestor_codes(code)


def ancestor_codes(code: str) -> list[str]:
    """Codes of the possible ancestors, nearest first (some may not exist, e.g. 直辖市)."""
    level = level_of(code)
    out = []
    for lvl in range(level - 1, PROVINCE - 1, -1):
        out.append(code[: PREFIX_LENGTH[lvl]].ljust(12, "0"))
    return out
