"""Users, their area scopes, API tokens and the log of unmasked ID views."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A platform user. Roles are groups; what they may see is set by :class:`AreaScope`."""

    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AreaScope(models.Model):
    """One area (and everything below it) that a user may see. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_scopes"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("管辖范围")
        verbose_name_plural = _("管辖范围")
        constraints = [
            models.UniqueConstraint(fields=["user", "area"], name="areascope_unique_user_area")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.area_id}"


class ApiToken(models.Model):
    """A bearer token for the API. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class UnmaskLog(models.Model):
    """Every view of a whole ID number is logged: who, whose, where, when. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("对象"), max_length=64)
    context = models.CharField(_("场景"), max_length=64)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("身份证号查看记录")
        verbose_name_plural = _("身份证号查看记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} {self.subject} {self.at:%Y-%m-%d %H:%M}"
