"""The programme set-up form: the rule, the covered counties and the coverage items.

People type yuan and percent; the models keep fen and basis points (``core.formfields``
converts exactly at this edge). ``services.save_programme`` bounds the amounts again, so a
write that skips this form is held to the same limits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.accounts import roles
from tuopin.areas.models import Area, Level
from tuopin.core.formfields import PercentField, YuanField

from .models import MAX_PREMIUM_FEN, CoverageItem, Programme


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "slug",
            "name",
            "sponsor",
            "insurer",
            "campaign",
            "starts_on",
            "ends_on",
            "min_age",
            "max_age",
            "sex",
            "household_statuses",
            "require_national_poor",
            "require_deep_poverty",
            "counties",
            "adjusters",
        ]
        labels = {"slug": gettext_lazy("项目代码（字母、数字、短横线，创建后不能修改）")}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # Rendered by the template as a searchable list of checkboxes by province.
            "counties": forms.CheckboxSelectMultiple,
            "adjusters": forms.CheckboxSelectMultiple,
        }

    premium_yuan = YuanField(label=gettext_lazy("每人每年保费（元）"), max_fen=MAX_PREMIUM_FEN)
    audit_percent = PercentField(
        label=gettext_lazy("理赔抽检比例（%）"),
        initial=1_000,
        required=False,
        help_text=gettext_lazy("系统建议赔付的理赔中，随机转人工审核的比例"),
    )
    household_statuses = forms.MultipleChoiceField(
        label=gettext_lazy("户状态（不选为全部）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from tuopin.registry.choices import PovertyStatus

        super().__init__(*args, **kwargs)
        # The premium sits after the insurer, where the model puts it.
        self.order_fields([*self.Meta.fields[:5], "premium_yuan"])
        self.fields["household_statuses"].choices = PovertyStatus.choices  # type: ignore[attr-defined]
        self.fields["counties"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            level=Level.COUNTY, national_poor=True
        ).order_by("code")
        self.fields["counties"].required = False
        self.fields["adjusters"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(groups__name=roles.ADJUSTER).order_by("username")
        )
        self.fields["adjusters"].required = False
        for name in ("min_age", "max_age"):
            self.fields[name].widget.attrs.update(min="0", max="150")
        if self.instance.pk:
            self.fields["slug"].disabled = True
            self.initial.setdefault("premium_yuan", self.instance.premium_fen)
            self.initial.setdefault("audit_percent", self.instance.claim_audit_bp)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lo, hi = data.get("min_age"), data.get("max_age")
        if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
            self.add_error("max_age", _("年龄范围颠倒：最高年龄不能小于最低年龄"))
        a, b = data.get("starts_on"), data.get("ends_on")
        if isinstance(a, dt.date) and isinstance(b, dt.date) and a > b:
            self.add_error("ends_on", _("结束日期早于开始日期"))
        if data.get("premium_yuan") is not None:
            self.instance.premium_fen = data["premium_yuan"]
        if data.get("audit_percent") is not None:
            self.instance.claim_audit_bp = data["audit_percent"]
        return data

    def county_groups(self) -> list[CountyGroup]:
        """The county checkboxes by province (one query for the provinces' names)."""
        boxes = list(self["counties"])
        codes = [str(box.data["value"]) for box in boxes]
        provinces = dict(
            Area.objects.filter(
                level=Level.PROVINCE, code__in={c[:2] + "0" * 10 for c in codes}
            ).values_list("code", "name")
        )
        groups: dict[str, CountyGroup] = {}
        for code, box in zip(codes, boxes, strict=True):
            key = code[:2] + "0" * 10
            group = groups.setdefault(key, CountyGroup(provinces.get(key, key), []))
            group.boxes.append(box)
        return list(groups.values())


@dataclass
class CountyGroup:
    province: str
    boxes: list[Any]

    @property
    def chosen(self) -> int:
        return sum(1 for box in self.boxes if box.data["selected"])


class CoverageForm(forms.ModelForm):
    class Meta:
        model = CoverageItem
        fields = ["benefit", "waiting_days"]

    per_claim_limit_yuan = YuanField(label=gettext_lazy("单次限额（元）"))
    yearly_limit_yuan = YuanField(label=gettext_lazy("年度限额（元）"))
    deductible_yuan = YuanField(label=gettext_lazy("免赔额（元）"), initial=0)
    reimbursement_percent = PercentField(label=gettext_lazy("赔付比例（%）"), initial=10_000)

    AMOUNTS = {
        "per_claim_limit_yuan": "per_claim_limit_fen",
        "yearly_limit_yuan": "yearly_limit_fen",
        "deductible_yuan": "deductible_fen",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["benefit", *self.AMOUNTS, "reimbursement_percent", "waiting_days"])
        self.fields["waiting_days"].widget.attrs.update(min="0")
        if self.instance.pk:
            for field, attr in self.AMOUNTS.items():
                self.initial.setdefault(field, getattr(self.instance, attr))
            self.initial.setdefault("reimbursement_percent", self.instance.reimbursement_bp)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, attr in self.AMOUNTS.items():
            if data.get(field) is not None:
                setattr(self.instance, attr, data[field])
        if data.get("reimbursement_percent") is not None:
            self.instance.reimbursement_bp = data["reimbursement_percent"]
        lo, hi = data.get("per_claim_limit_yuan"), data.get("yearly_limit_yuan")
        if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
            self.add_error("yearly_limit_yuan", _("单次限额不能高于年度限额"))
        return data


CoverageFormSet = forms.inlineformset_factory(
    Programme, CoverageItem, form=CoverageForm, extra=2, can_delete=True
)
