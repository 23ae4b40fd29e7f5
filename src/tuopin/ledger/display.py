"""An entry's public content as labelled fields for the explorer: what the JSON says, in words.

Entries hold no personal data (people appear only as salted commitments), so nothing here joins
people. The ledger sits below charity and insurance in the app map: it names their pages by URL
name only, and labels the few coded values they write (channel, benefit, exit reason, decision)
with the same message strings as their models, so both read alike in every language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tuopin.accounts import permissions
from tuopin.areas import codes as area_codes
from tuopin.areas import selectors as areas
from tuopin.core import money

# Shown in their own columns (kind, time, amount) or of no interest to a reader (the schema
# version), so the content cell leaves them out.
_OWN_COLUMN = {"v", "kind", "at", "amount_fen"}

_LABELS = {  # also the order in which fields are shown
    "decision": gettext_lazy("决定"),
    "campaign": gettext_lazy("募捐活动"),
    "programme": pgettext_lazy("ledger field", "保险项目"),
    "period_start": gettext_lazy("保障期起"),
    "county": gettext_lazy("县"),
    "people": gettext_lazy("人数"),
    "benefit": gettext_lazy("保障责任"),
    "channel": gettext_lazy("渠道"),
    "reason": gettext_lazy("原因"),
    "exits": gettext_lazy("退出人数"),
    "donation": gettext_lazy("原捐赠条目"),
    "override": gettext_lazy("超出善款"),
    "reasons": gettext_lazy("理由代码"),
}
_ORDER = {key: i for i, key in enumerate(_LABELS)}

_VALUES = {
    "channel": {
        "online": gettext_lazy("互联网公益平台"),
        "enterprise": gettext_lazy("企业"),
        "government": gettext_lazy("政府"),
        "social_org": gettext_lazy("社会组织"),
    },
    "benefit": {
        "hospitalisation": gettext_lazy("住院医疗"),
        "critical_illness": gettext_lazy("重大疾病"),
        "accident": gettext_lazy("意外伤害"),
        "accidental_death": gettext_lazy("意外身故"),
        "education": gettext_lazy("教育"),
        "childbirth": gettext_lazy("生育"),
        "health": gettext_lazy("健康保障"),
    },
    "reason": {
        "died": gettext_lazy("死亡"),
        "moved": gettext_lazy("迁出"),
        "ineligible": gettext_lazy("不再符合条件"),
    },
    "decision": {
        "policy_exit": gettext_lazy("保单退出"),
        "policy_exits": gettext_lazy("保单批量退出"),
        "claim_approved": gettext_lazy("理赔同意"),
        "claim_rejected": gettext_lazy("理赔拒绝"),
    },
}
_VALUES["exits"] = _VALUES["reason"]

COMMITMENT_LABELS = {
    "donor": gettext_lazy("捐赠人"),
    "insured": gettext_lazy("被保险人"),
    "members": gettext_lazy("参保名单"),
}

SHORT_HASH = 8  # hex digits shown of a commitment; the full value is in the title


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    url: str = ""
    full: str = ""  # a commitment's whole hash (the value is its first digits)


def _yuan(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return "¥" + money.yuan_digits(value)
    return str(value)


def _plain(key: str, value: Any) -> str:
    """A value in words: a known code by its label, yuan for ``*_fen``, else as written."""
    known = _VALUES.get(key, {})
    if isinstance(value, dict):
        return _("，").join(f"{known.get(k, k)} {_plain('', v)}" for k, v in value.items())
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return _("、").join(_plain(key, v) for v in value)
    if key.endswith("_fen"):
        return _yuan(value)
    if isinstance(value, str):
        return str(known.get(value, value))
    return json.dumps(value, ensure_ascii=False)


def _county_code(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return area_codes.normalise(value)
    except area_codes.AreaCodeError:
        return None


class _Links:
    """URL prefixes computed once per page (one reverse each, not one per entry)."""

    def __init__(self, user: Any) -> None:
        self.campaign = self._prefix("campaign")
        can_see = user is not None and permissions.has(user, "insurance.view_progress")
        self.programme = self._prefix("insurance:programme") if can_see else ""

    @staticmethod
    def _prefix(name: str) -> str:
        try:
            return reverse(name, args=["x"])[: -len("x/")]
        except NoReverseMatch:
            return ""

    def to(self, prefix: str, slug: object) -> str:
        return f"{prefix}{slug}/" if prefix and isinstance(slug, str) and slug else ""


def describe(rows: list[dict[str, Any]], *, user: Any) -> list[dict[str, Any]]:
    """Add ``fields`` (labelled, linked) to decoded entries; county names in one query."""
    wanted = {c for r in rows if (c := _county_code(r["data"].get("county")))}
    names = {code: a.name for code, a in areas.areas_by_codes(sorted(wanted)).items()}
    links = _Links(user)
    return [{**r, "fields": _fields(r["data"], names, links)} for r in rows]


def _fields(data: dict[str, Any], names: dict[str, str], links: _Links) -> list[Field]:
    out: list[Field] = []
    for key, value in sorted(data.items(), key=lambda kv: (_ORDER.get(kv[0], len(_ORDER)), kv[0])):
        if key in _OWN_COLUMN or key == "commitments" or value is None:
            continue
        label = str(_LABELS.get(key, key))
        if key == "campaign":
            out.append(Field(label, str(value), links.to(links.campaign, value)))
        elif key == "programme":
            out.append(Field(label, str(value), links.to(links.programme, value)))
        elif key == "county":
            code = _county_code(value)
            name = names.get(code or "", "")
            shown = (
                _("%(name)s（%(code)s）") % {"name": name, "code": value} if name else str(value)
            )
            out.append(Field(label, shown))
        elif key == "donation" and isinstance(value, int):
            out.append(Field(label, f"#{value}", f"?index={value}"))
        else:
            out.append(Field(label, _plain(key, value)))
    commitments = data.get("commitments")
    if isinstance(commitments, dict):
        for name, digest in commitments.items():
            text = str(digest)
            label = _("%(who)s（承诺）") % {"who": COMMITMENT_LABELS.get(name, name)}
            out.append(Field(label, text[:SHORT_HASH], full=text))
    return out
