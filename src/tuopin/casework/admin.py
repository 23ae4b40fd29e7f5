"""Back office: the operator edits report types and their fields; submissions are read-only
here (they change only through the approval chain's services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.accounts import approvals
from tuopin.areas import codes

from . import roster
from .models import Periodicity, ReportField, ReportType


class ReportTypeForm(forms.ModelForm):  # type: ignore[type-arg]
    roster = forms.CharField(
        label=gettext_lazy("应报村"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "定期上报：每行一个区划代码；村代码即该村，乡镇或县的代码即其下所有村。"
            "留空则只等已上报的审批完。"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roster"].initial = "\n".join(
                self.instance.roster.order_by("area_id").values_list("area_id", flat=True)
            )

    def clean_roster(self) -> list[str]:
        """The villages the lines name (a township or county line: all its villages)."""
        out: list[str] = []
        for line in self.cleaned_data["roster"].split():
            try:
                code = codes.normalise(line)
            except codes.AreaCodeError:
                raise forms.ValidationError(_("不是区划代码：%(code)s") % {"code": line}) from None
            found = roster.villages_under(code)
            if not found:
                raise forms.ValidationError(_("其下没有已知的村：%(code)s") % {"code": line})
            out.extend(found)
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("roster") and data.get("periodicity") == Periodicity.ONE_OFF:
            self.add_error("roster", _("只有定期上报才有应报村"))
        return data

    class Meta:
        model = ReportType
        fields = [
            "slug",
            "name",
            "description",
            "periodicity",
            "chain",
            "due_days",
            "forwardable",
            "active",
        ]

    def clean_chain(self) -> str:
        try:
            levels = approvals.parse_chain(self.cleaned_data["chain"])
        except approvals.ChainError as e:
            raise forms.ValidationError(str(e)) from None
        return approvals.chain_text(levels)


class ReportFieldInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ReportField
    extra = 1


@admin.register(ReportType)
class ReportTypeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ReportTypeForm
    list_display = ["name", "slug", "periodicity", "chain", "active"]
    inlines = [ReportFieldInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        villages = form.cleaned_data.get("roster") or []
        if form.instance.periodic or villages:
            roster.set_roster(report_type=form.instance, village_codes=villages, by=request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # submissions point at it: retire a type with "active" instead
