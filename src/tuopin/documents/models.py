"""Photo evidence (照片证据): a stored photo addressed by its content, with what the photo says
about itself (EXIF time and place) and a perceptual hash to find the same picture again.

Generic on purpose: claims and field reports point at a :class:`Photo`; a photo knows
nothing of what it is evidence for.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Photo(models.Model):
    """One stored image, once per content (SHA-256), under ``MEDIA_ROOT/evidence/``.

    ``phash`` is the 64-bit perceptual hash (imagehash pHash) as a signed integer; ``band0``
    to ``band5`` are its six slices (11, 11, 11, 11, 10, 10 bits), each indexed: two hashes
    within Hamming distance 5 share at least one slice exactly (pigeonhole), so a
    near-duplicate search is six indexed equality look-ups and a popcount on what they find.
    """

    sha256 = models.CharField(_("内容哈希"), max_length=64)
    path = models.CharField(_("文件"), max_length=200)  # relative to MEDIA_ROOT
    media_type = models.CharField(_("类型"), max_length=20)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    phash = models.BigIntegerField(_("感知哈希"))
    band0 = models.PositiveIntegerField()
    band1 = models.PositiveIntegerField()
    band2 = models.PositiveIntegerField()
    band3 = models.PositiveIntegerField()
    band4 = models.PositiveIntegerField()
    band5 = models.PositiveIntegerField()
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    stored_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        constraints = [models.UniqueConstraint(fields=["sha256"], name="photo_unique_content")]
        indexes = [models.Index(fields=[f"band{i}"], name=f"photo_band{i}") for i in range(6)]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} {self.width}×{self.height}"
