"""Back office: the operator edits report types and their fields; submissions are read-only
here (they change only through the approval chain's services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from tuopin.accounts import approvals

from .models import ReportField, ReportType


class ReportTypeForm(forms.ModelForm):  # type: ignore[type-arg]
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

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # submissions point at it: retire a type with "active" instead
