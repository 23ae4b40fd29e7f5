"""Forms of the supplier's pages (a cooperative's account on a phone) and of the payout run.
They check the shape of what was typed; the rules (an unverified supplier, a price of zero,
stock below what orders hold, an open or paid period) are the services', whose messages the
pages show beside the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tuopin.core.formfields import YuanField

from .models import Category
from .services import MAX_UNITS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProductForm(forms.Form):
    """A product of the supplier's county (its county of origin is the supplier's)."""

    sku = forms.CharField(
        label=gettext_lazy("商品编码"),
        max_length=32,
        help_text=gettext_lazy("渠道对账单上的编码，保存后不能再改"),
    )
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    category = forms.ChoiceField(label=gettext_lazy("类目"), choices=Category.choices)
    unit = forms.CharField(label=gettext_lazy("单位"), max_length=10, initial="件", required=False)
    weight_g = forms.IntegerField(
        label=gettext_lazy("重量（克）"),
        min_value=0,
        max_value=1_000_000,
        initial=0,
        required=False,
    )
    grade_standard = forms.CharField(label=gettext_lazy("分级标准"), max_length=200, required=False)
    story = forms.CharField(
        label=gettext_lazy("产品故事"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["sku"]

    def clean_weight_g(self) -> int:
        return self.cleaned_data.get("weight_g") or 0

    def clean_unit(self) -> str:
        return self.cleaned_data.get("unit") or "件"


class ListingForm(forms.Form):
    """One outlet's listing of the product: price, from when, published or not."""

    price = YuanField(label=gettext_lazy("价格（元）"))
    available_from = forms.DateField(label=gettext_lazy("上架日期"), required=False, widget=_DATE)
    published = forms.BooleanField(label=gettext_lazy("上架"), required=False)


class StockForm(forms.Form):
    ADD, REMOVE, COUNT = "add", "remove", "count"
    warehouse = forms.CharField(
        label=gettext_lazy("仓库"),
        max_length=100,
        widget=forms.TextInput(attrs={"list": "warehouses"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("方式"),
        choices=[
            (ADD, gettext_lazy("入库（增加）")),
            (REMOVE, gettext_lazy("出库或损耗（减少）")),
            (COUNT, gettext_lazy("盘点（设为实有数）")),
        ],
    )
    quantity = forms.IntegerField(
        label=gettext_lazy("数量"),
        min_value=0,
        max_value=MAX_UNITS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("原因"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("增减库存必须写明原因，例如“新采收入库”“运输损耗”"),
    )


def last_month() -> tuple[dt.date, dt.date]:
    first = timezone.localdate().replace(day=1)
    end = first - dt.timedelta(days=1)
    return end.replace(day=1), end


class PayoutForm(forms.Form):
    supplier = forms.TypedChoiceField(label=gettext_lazy("供应商"), coerce=int)
    start = forms.DateField(label=gettext_lazy("起始日"), widget=_DATE)
    end = forms.DateField(label=gettext_lazy("截止日"), widget=_DATE)

    def __init__(self, *args: Any, suppliers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = suppliers  # type: ignore[attr-defined]
        start, end = last_month()
        self.fields["start"].initial = start
        self.fields["end"].initial = end
