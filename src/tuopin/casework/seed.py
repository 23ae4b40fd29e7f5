"""The report's two field report types (贫困生上报, 乌鸡养殖统计), created or brought up to date.
Idempotent: ``tuopin casework seed`` and ``tuopin demo`` both call :func:`seed_report_types`;
an operator's later edits in the admin to other fields are kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from tuopin.accounts import approvals

from .models import FieldKind, Periodicity, ReportField, ReportType

TYPES: list[dict[str, Any]] = [
    {
        "slug": "poor-student",
        "name": "贫困生上报",
        "description": "建档立卡家庭在校学生的情况与资助需求，村—乡镇—县逐级审批，通过后可转给爱心人士。",
        "periodicity": Periodicity.ONE_OFF,
        "chain": "village,township,county",
        "forwardable": True,
        "fields": [
            ("student", "学生", FieldKind.PERSON, True, False, ""),
            ("school", "学校", FieldKind.TEXT, True, False, ""),
            (
                "grade",
                "年级",
                FieldKind.CHOICE,
                True,
                False,
                "小学\n初一\n初二\n初三\n高一\n高二\n高三\n中职\n大学",
            ),
            ("family", "家庭情况", FieldKind.TEXT, True, False, ""),
            ("need", "困难与需求", FieldKind.TEXT, True, False, ""),
            ("amount", "申请金额（元）", FieldKind.DECIMAL, True, True, ""),
            ("photos", "照片", FieldKind.PHOTOS, False, False, ""),
        ],
    },
    {
        "slug": "black-chicken",
        "name": "乌鸡养殖统计",
        "description": "略阳乌鸡养殖户每月存栏数与长势，附现场照片，村—乡镇—县逐级汇总审批。",
        "periodicity": Periodicity.MONTHLY,
        "chain": "village,township,county",
        "forwardable": False,
        "fields": [
            ("household", "养殖户", FieldKind.HOUSEHOLD, True, False, ""),
            ("birds", "存栏数（只）", FieldKind.INTEGER, True, True, ""),
            ("growth", "长势", FieldKind.CHOICE, True, False, "良好\n一般\n较差"),
            ("photo", "现场照片", FieldKind.PHOTO, True, False, ""),
        ],
    },
]


def seed_report_types() -> list[ReportType]:
    out = []
    with transaction.atomic():
        for spec in TYPES:
            approvals.parse_chain(spec["chain"])
            rt, _created = ReportType.objects.update_or_create(
                slug=spec["slug"],
                defaults={k: v for k, v in spec.items() if k not in ("slug", "fields")},
            )
            for order, (key, label, kind, required, agg, choices) in enumerate(spec["fields"]):
                ReportField.objects.update_or_create(
                    report_type=rt,
                    key=key,
                    defaults={
                        "label": label,
                        "kind": kind,
                        "required": required,
                        "aggregate": agg,
                        "choices": choices,
                        "order": order,
                        "min_value": Decimal(0) if kind in ("integer", "decimal") else None,
                    },
                )
            out.append(rt)
    return out
