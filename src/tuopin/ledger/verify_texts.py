"""The words of the in-browser receipt check, in the page's language.

The check runs in JavaScript (static/tuopin/js/verify-receipt.js), which knows only codes:
each failure has a code, and the page hands the script these translated strings (through a
``json_script`` block), so an English page says it in English and a Chinese page in Chinese.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .display import COMMITMENT_LABELS
from .models import Kind


def texts() -> dict[str, object]:
    return {
        "ok": _("回执有效"),
        "okDetail": _("条目 {index} 在大小为 {size} 的已签名账本中。"),
        "bad": _("回执无效"),
        "nosig": _("此浏览器不支持 Ed25519，检查点的签名未在浏览器中核对。"),
        "json": _("回执中的条目原文（JSON）"),
        "labels": {
            "kind": _("类型"),
            "amount": _("金额"),
            "at": _("时间"),
            "campaign": _("募捐活动"),
            "programme": _("保险项目"),
            "index": _("条目序号"),
            "size": _("检查点大小"),
            "origin": _("账本"),
            "opened": _("已核对的承诺"),
        },
        "kinds": {value: str(label) for value, label in Kind.choices},
        "commitments": {name: str(label) for name, label in COMMITMENT_LABELS.items()},
        "errors": {
            "not_receipt": _("这不是账本回执（第一行应为 c2sp.org/tlog-proof@v1）。"),
            "malformed": _("回执格式不完整或已损坏，请完整复制后再试。"),
            "no_index": _("回执缺少条目序号。"),
            "outside": _("条目序号超出了检查点的大小。"),
            "proof_length": _("包含证明的长度不对。"),
            "root_mismatch": _(
                "条目与已签名的检查点对不上（根哈希不一致）：回执被改动过，或不属于这本账本。"
            ),
            "bad_signature": _("检查点的签名无效。"),
            "no_signature": _("检查点上没有这本账本公钥的签名：请核对验证公钥。"),
            "bad_key": _("验证公钥格式不对。"),
            "commitment": _("承诺“{label}”与回执中的信息不符。"),
        },
    }
