"""The public append-only log: entries, their tiles, signed checkpoints, commitment openings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DONATION = "donation", _("捐赠")
    PREMIUM = "premium", _("保费")
    PAYOUT = "payout", _("赔付")
    DISBURSEMENT = "disbursement", _("拨付")
    ENROLLMENT = "enrollment", _("参保")
    DECISION = "decision", _("决定")
    PROCUREMENT = "procurement", _("采购")
    REFUND = "refund", _("退款")
    NOTE = "note", _("备注")


class Entry(models.Model):
    """One leaf of the log: the exact bytes hashed (canonical JSON). Never updated or deleted:
    database triggers refuse both."""

    index = models.BigIntegerField(_("序号"), primary_key=True)
    # No index on the kind: nothing looks entries up by it, and on PostgreSQL it was two
    # (with the pattern-ops twin) that every append maintained (ADR 0016).
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("时间"))
    data = models.BinaryField(_("内容"))
    leaf_hash = models.BinaryField(max_length=32)

    class Meta:
        verbose_name = _("账本条目")
        verbose_name_plural = _("账本条目")
        ordering = ["index"]
        constraints = [
            models.CheckConstraint(condition=models.Q(index__gte=0), name="entry_index_gte_0")
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.kind}"


class LogHead(models.Model):
    """The single row that hands out entry indexes (locked on append: no gaps, no races)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    next_index = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="loghead_single_row")]

    def __str__(self) -> str:
        return f"next {self.next_index}"


class TileVersion(models.Model):
    """A C2SP tile at one width. Full tiles never change; a partial tile gets a new row as it
    grows, so every width ever published stays servable. Never updated or deleted."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    width = models.PositiveSmallIntegerField()
    hashes = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "index", "width"], name="tile_unique_width"),
            models.CheckConstraint(
                condition=models.Q(width__gte=1, width__lte=256), name="tile_width_1_256"
            ),
        ]

    def __str__(self) -> str:
        return f"tile {self.level}/{self.index}.p/{self.width}"


class Checkpoint(models.Model):
    """A signed checkpoint (C2SP tlog-checkpoint in a signed note)."""

    size = models.BigIntegerField(unique=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检查点")
        verbose_name_plural = _("检查点")
        ordering = ["-size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Opening(models.Model):
    """The random secret that opens one commitment of an entry, kept apart from the log.

    Deleting it erases the link between a person and the entry (crypto-shredding); every
    proof stays valid, because the entry itself never changes.
    """

    entry_index = models.BigIntegerField(db_index=True)
    label = models.CharField(max_length=32)
    subject = models.CharField(max_length=64, db_index=True)  # e.g. "registry.person:123"
    opening = models.BinaryField(max_length=16)
    value = models.CharField(max_length=128)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry_index", "label"], name="opening_unique_label")
        ]

    def __str__(self) -> str:
        return f"#{self.entry_index} {self.label}"
