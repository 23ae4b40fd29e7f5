"""The registry's code lists, with the labels of the national system's export (建档立卡)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdType(models.TextChoices):
    GENERAL = "general", _("一般贫困户")
    DIBAO = "dibao", _("低保贫困户")
    TEKUN = "tekun", _("特困供养贫困户")


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    NO_LAND = "no_land", _("缺土地")
    NO_WATER = "no_water", _("缺水")
    NO_SKILLS = "no_skills", _("缺技术")
    NO_LABOUR = "no_labour", _("缺劳力")
    NO_CAPITAL = "no_capital", _("缺资金")
    POOR_TRANSPORT = "poor_transport", _("交通条件落后")
    LOW_MOTIVATION = "low_motivation", _("自身发展动力不足")


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("未脱贫")
    LIFTED = "lifted", _("已脱贫")
    RETURNED = "returned", _("返贫")


class ClosedReason(models.TextChoices):
    """Why a household was closed (销户): its rows stay, with their history."""

    MERGED = "merged", _("并入他户")
    NO_MEMBERS = "no_members", _("无在册成员")


class MemberStatus(models.TextChoices):
    PRESENT = "present", _("在册")
    DIED = "died", _("死亡")
    MOVED_OUT = "moved_out", _("迁出")
    MERGED = "merged", _("重复已合并")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    SON = "son", _("之子")
    DAUGHTER = "daughter", _("之女")
    SON_IN_LAW = "son_in_law", _("之女婿")
    DAUGHTER_IN_LAW = "daughter_in_law", _("之儿媳")
    GRANDSON = "grandson", _("之孙子")
    GRANDDAUGHTER = "granddaughter", _("之孙女")
    FATHER = "father", _("之父")
    MOTHER = "mother", _("之母")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class Education(models.TextChoices):
    ILLITERATE = "illiterate", _("文盲或半文盲")
    PRESCHOOL = "preschool", _("学龄前儿童")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    COLLEGE = "college", _("大专及以上")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("长期慢性病")
    SERIOUS = "serious", _("患有大病")
    DISABLED = "disabled", _("残疾")


class StudentStatus(models.TextChoices):
    NONE = "none", _("非在校生")
    PRESCHOOL = "preschool", _("学前教育")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    VOCATIONAL = "vocational", _("中职")
    COLLEGE = "college", _("大专及以上")


# Allowed status transitions, as data: the one definition, read by services.change_status
# and by the importer (importing.checks), through transition_allowed.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    PovertyStatus.POOR: {PovertyStatus.LIFTED},
    PovertyStatus.LIFTED: {PovertyStatus.RETURNED},
    PovertyStatus.RETURNED: {PovertyStatus.LIFTED},
}


def transition_allowed(from_status: str, to_status: str) -> bool:
    """Whether a household may go from ``from_status`` to ``to_status``."""
    return to_status in STATUS_TRANSITIONS.get(from_status, set())


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    INTERRUPTED = "interrupted", _("已中断")
