"""What the upload page offers before a file is chosen: a template to fill in, and the list of
accepted columns with their Chinese and English titles."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, NamedTuple

from django.utils.translation import gettext_lazy

from tuopin.accounts import permissions

from ..choices import (
    Education,
    Health,
    HouseholdType,
    PovertyCause,
    PovertyStatus,
    Relation,
    Sex,
    StudentStatus,
)
from .columns import COLUMNS, REQUIRED

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tuopin.accounts.models import User

PERMISSION = "registry.import_registry"

# The values a code-list column takes, as the page lists them (the import accepts more
# spellings, see columns.CHOICE_TABLES).
CODE_LISTS = {
    "sex": Sex,
    "relation": Relation,
    "household_type": HouseholdType,
    "poverty_cause": PovertyCause,
    "poverty_status": PovertyStatus,
    "education": Education,
    "health": Health,
    "student_status": StudentStatus,
}

# What to write in a column that has no code list.
NOTES = {
    "household_no": gettext_lazy("同一户的成员填写相同的户编号"),
    "id_number": gettext_lazy("18 位居民身份证号码"),
    "birth_date": gettext_lazy("如 1990-01-01；可不填，取自证件号码"),
    "village_code": gettext_lazy("12 位村级区划代码"),
    "status_year": gettext_lazy("四位年份，如 2020"),
}

# Obviously invented: no region 000000 and no village 000000000000 exist, so an example row
# left in by mistake is refused by the import instead of creating a household.
EXAMPLE = {
    "household_no": "示例0001",
    "name": "张三（示例）",
    "id_number": "000000199001010000",
    "sex": str(Sex.MALE.label),
    "birth_date": "1990-01-01",
    "relation": str(Relation.HEAD.label),
    "village_code": "000000000000",
    "household_type": str(HouseholdType.GENERAL.label),
    "poverty_cause": str(PovertyCause.ILLNESS.label),
    "poverty_status": str(PovertyStatus.POOR.label),
    "status_year": "2020",
    "education": str(Education.JUNIOR.label),
    "health": str(Health.HEALTHY.label),
    "student_status": str(StudentStatus.NONE.label),
    "phone": "13800000000",
    "address": "示例村示例组1号",
}


class AcceptedColumn(NamedTuple):
    key: str  # the English title, also the stable key of errors
    chinese: str  # the usual Chinese title
    aliases: tuple[str, ...]  # other Chinese titles the import recognises
    required: bool
    values: tuple[str, ...]  # for a code list: the values to write
    note: str  # otherwise, what to write


def accepted_columns() -> list[AcceptedColumn]:
    return [
        AcceptedColumn(
            key,
            names[0],
            names[1:],
            key in REQUIRED,
            tuple(str(label) for label in CODE_LISTS[key].labels) if key in CODE_LISTS else (),
            str(NOTES.get(key, "")),
        )
        for key, names in COLUMNS.items()
    ]


def template_csv(user: User | AnonymousUser) -> bytes:
    """The template file: UTF-8 with BOM (Excel opens it right), the Chinese titles, one
    example row of invented data."""
    permissions.require(user, PERMISSION)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([names[0] for names in COLUMNS.values()])
    writer.writerow([EXAMPLE[key] for key in COLUMNS])
    return out.getvalue().encode("utf-8-sig")
