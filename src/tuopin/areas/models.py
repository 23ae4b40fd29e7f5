"""The administrative tree (行政区划): province > prefecture > county > township > village."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import codes


class Level(models.IntegerChoices):
    PROVINCE = codes.PROVINCE, _("省")
    PREFECTURE = codes.PREFECTURE, _("地市")
    COUNTY = codes.COUNTY, _("县")
    TOWNSHIP = codes.TOWNSHIP, _("乡镇")
    VILLAGE = codes.VILLAGE, _("村")


class Area(models.Model):
    """An area with its 12-digit statistical code. The code is the key and the materialized path."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    national_poor = models.BooleanField(_("国家级贫困县"), default=False)
    deep_poverty = models.BooleanField(_("深度贫困县"), default=False)
    provincial_poor = models.BooleanField(_("省级贫困县"), default=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="area_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def prefix(self) -> str:
        return codes.prefix_of(self.code)

    @property
    def poverty_flags(self) -> list[str]:
        flags = []
        if self.national_poor:
            flags.append(str(_("国家级贫困县")))
        if self.deep_poverty:
            flags.append(str(_("深度贫困县")))
        if self.provincial_poor:
            flags.append(str(_("省级贫困县")))
        return flags
