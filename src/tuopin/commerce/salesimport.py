"""Outlets' sales statements (CSV in UTF-8 or GBK, or XLSX; Chinese or English headers) into
``SalesLine`` rows: every rejected line is reported with a stable code, the rest are kept, and
the same file imported twice is refused (its SHA-256 is the statement's key).

One transaction per statement: a failure half-way leaves nothing behind, so a retry is safe.
Lookups (outlets, products, counties) are loaded once; lines are written with ``bulk_create``
in batches."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.areas import selectors as areas
from tuopin.core.imports import RowError, map_header
from tuopin.core.money import parse_yuan
from tuopin.core.tabular import Limits, UnreadableFile, open_table

from .errors import DuplicateStatement
from .models import Outlet, Product, SalesLine, SalesStatement

if TYPE_CHECKING:
    from tuopin.accounts.models import User

ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("日期", "销售日期", "sale_date", "day"),
    "outlet": ("渠道", "渠道代码", "门店", "销售渠道", "outlet_code", "channel"),
    "product": ("商品", "商品编码", "商品名称", "sku", "product_sku", "item"),
    "county": ("县", "县代码", "产地", "产地县", "county_code"),
    "quantity": ("数量", "销量", "qty"),
    "amount": ("金额", "销售额", "金额（元）", "金额(元)", "amount_yuan", "sales"),
}
REQUIRED = ("date", "outlet", "product", "quantity", "amount")
BATCH = 5000
KEEP_ERRORS = 1000  # on the statement row; the CLI writes them all with --errors


@dataclass
class SalesReport:
    statement: SalesStatement | None
    total: int = 0
    accepted: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "statement": self.statement.pk if self.statement else None,
            "lines": self.total,
            "accepted": self.accepted,
            "rejected": len(self.errors),
        }


_DATE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")


def parse_date(text: str) -> dt.date:
    m = _DATE.match(text.strip().split("T")[0].split(" ")[0])
    if not m:
        raise ValueError(text)
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def digest_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Lookups:
    """Outlets by code or name, products by SKU or (unique) name, counties by code or name."""

    def __init__(self) -> None:
        self.outlets: dict[str, int] = {}
        for pk, code, name in Outlet.objects.values_list("pk", "code", "name"):
            self.outlets[code.lower()] = pk
            self.outlets.setdefault(name.lower(), pk)
        self.products: dict[str, tuple[int, str]] = {}
        names: dict[str, list[tuple[int, str]]] = {}
        for pk, sku, name, county in Product.objects.values_list(
            "pk", "sku", "name", "county_code"
        ):
            self.products[sku.lower()] = (pk, county)
            names.setdefault(name.lower(), []).append((pk, county))
        for name, found in names.items():
            if len(found) == 1:
                self.products.setdefault(name, found[0])
        self.counties: dict[str, str] = {}
        county_names: dict[str, list[str]] = {}
        for area in areas.counties():
            self.counties[area.code] = area.code
            self.counties[area.code[:6]] = area.code
            county_names.setdefault(area.name, []).append(area.code)
        for name, codes_ in county_names.items():
            if len(codes_) == 1:
                self.counties.setdefault(name, codes_[0])


def _row_error(line: int, column: str, code: str, message: str, header: str) -> RowError:
    return RowError(line=line, column=column, code=code, message=message, header=header)


def import_sales(
    *,
    path: str | Path,
    by: User,
    filename: str = "",
    limits: Limits | None = None,
    progress: Callable[[int], None] | None = None,
) -> SalesReport:
    """Import one statement file; see the module docstring. Raises :class:`DuplicateStatement`
    for a file already imported and :class:`UnreadableFile` for a file without the columns."""
    permissions.require(by, "commerce.add_salesstatement")
    path = Path(path)
    digest = digest_of(path)
    if SalesStatement.objects.filter(digest=digest).exists():
        raise DuplicateStatement(_("这份对账单已经导入过，不会重复计入"))
    table = open_table(path, limits)
    cols = map_header(table.header, ALIASES)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        table.close()
        raise UnreadableFile(
            _("缺少必需的列：%(c)s") % {"c": "、".join(missing)}, code="missing_columns"
        )
    head = {k: table.header[i] for k, i in cols.items()}
    look = _Lookups()
    report = SalesReport(statement=None)
    try:
        with transaction.atomic():
            statement = SalesStatement.objects.create(
                digest=digest,
                filename=(filename or path.name)[:200],
                imported_at=timezone.now(),
                imported_by=by,
            )
            batch: list[SalesLine] = []
            for line_no, cells in table.rows:
                report.total += 1
                made = _line(line_no, cells, cols, head, look, statement, report.errors)
                if made is not None:
                    batch.append(made)
                if len(batch) >= BATCH:
                    SalesLine.objects.bulk_create(batch)
                    report.accepted += len(batch)
                    batch = []
                    if progress:
                        progress(report.total)
            SalesLine.objects.bulk_create(batch)
            report.accepted += len(batch)
            statement.total_lines = report.total
            statement.accepted = report.accepted
            statement.rejected = len(report.errors)
            statement.errors = [
                [e.line, e.header, e.code, e.message] for e in report.errors[:KEEP_ERRORS]
            ]
            statement.save()
    except IntegrityError:
        raise DuplicateStatement(_("这份对账单已经导入过，不会重复计入")) from None
    finally:
        table.close()
    if progress:
        progress(report.total)
    report.statement = statement
    return report


def _line(
    line_no: int,
    cells: list[str],
    cols: dict[str, int],
    head: dict[str, str],
    look: _Lookups,
    statement: SalesStatement,
    errors: list[RowError],
) -> SalesLine | None:
    def cell(key: str) -> str:
        i = cols.get(key)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    def reject(column: str, code: str, message: str) -> None:
        errors.append(_row_error(line_no, column, code, message, head.get(column, column)))

    values = {k: cell(k) for k in ALIASES}
    for key in REQUIRED:
        if not values[key]:
            reject(key, "missing_value", _("此项不能为空"))
            return None
    try:
        day = parse_date(values["date"])
    except ValueError:
        reject("date", "bad_date", _("日期无法识别：%(v)s") % {"v": values["date"][:40]})
        return None
    outlet = look.outlets.get(values["outlet"].lower())
    if outlet is None:
        reject("outlet", "unknown_outlet", _("未知的渠道：%(v)s") % {"v": values["outlet"][:40]})
        return None
    product = look.products.get(values["product"].lower())
    if product is None:
        reject("product", "unknown_product", _("未知的商品：%(v)s") % {"v": values["product"][:40]})
        return None
    product_id, product_county = product
    county = product_county
    if values["county"]:
        given = look.counties.get(values["county"]) or look.counties.get(
            values["county"].ljust(12, "0")
        )
        if given is None:
            reject("county", "unknown_county", _("未知的县：%(v)s") % {"v": values["county"][:40]})
            return None
        if given != product_county:
            reject(
                "county",
                "county_mismatch",
                _("县与商品产地不符：%(v)s") % {"v": values["county"][:40]},
            )
            return None
        county = given
    try:
        quantity = int(values["quantity"].replace(",", ""))
        if abs(quantity) > 10_000_000:
            raise ValueError
    except ValueError:
        reject(
            "quantity", "bad_quantity", _("数量应为整数：%(v)s") % {"v": values["quantity"][:40]}
        )
        return None
    try:
        amount = parse_yuan(values["amount"])
    except ValueError:
        reject("amount", "bad_amount", _("金额无法识别：%(v)s") % {"v": values["amount"][:40]})
        return None
    return SalesLine(
        statement=statement,
        line_no=line_no,
        date=day,
        outlet_id=outlet,
        product_id=product_id,
        county_code=county,
        quantity=quantity,
        amount_fen=amount,
    )
