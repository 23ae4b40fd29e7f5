"""The printed labels of claim documents and the field each one introduces (pure: no Django).

Keys are compared after :func:`normalise.clean` (no spaces, ASCII brackets and colons). A label
mapped to ``None`` introduces something we do not extract; knowing it stops a neighbour's value
from being taken for ours (the 住院号 right of 姓名 in a header row is not a name).
"""

from __future__ import annotations

import re

# Generic keys: "name" is patient_name on invoices and summaries, name on an ID card;
# "stay" is 住院日期 with both dates on one line.
LABELS: dict[str, str | None] = {
    # who
    "姓名": "name",
    "患者姓名": "name",
    "病人姓名": "name",
    "病员姓名": "name",
    "交款人": "name",
    "缴款人": "name",
    "就诊人": "name",
    "患者": "name",
    "性别": "sex",
    "出生": "birth_date",
    "出生日期": "birth_date",
    "住址": "address",
    "公民身份号码": "id_number",
    "身份证号码": "id_number",
    "身份证号": "id_number",
    # where
    "医疗机构": "hospital",
    "医疗机构名称": "hospital",
    "收款单位": "hospital",
    "收款单位(章)": "hospital",
    "医疗机构(章)": "hospital",
    "医院名称": "hospital",
    "开票单位": "hospital",
    "单位名称": "hospital",
    "医疗机构类型": None,
    # which invoice
    "票据号码": "invoice_number",
    "发票号码": "invoice_number",
    "票据号": "invoice_number",
    "发票号": "invoice_number",
    "电子票据号码": "invoice_number",
    "NO.": "invoice_number",
    "NO:": "invoice_number",
    "No.": "invoice_number",
    "No:": "invoice_number",
    "NO": "invoice_number",
    "No": "invoice_number",
    "票据代码": None,
    "发票代码": None,
    "校验码": None,
    # when
    "入院日期": "admission_date",
    "入院时间": "admission_date",
    "出院日期": "discharge_date",
    "出院时间": "discharge_date",
    "住院日期": "stay",
    "住院时间": "stay",
    "住院期间": "stay",
    "就诊日期": "visit_date",
    "就诊时间": "visit_date",
    "门诊日期": "visit_date",
    "开票日期": "visit_date",
    "收费日期": "visit_date",
    "日期": "visit_date",
    # how much
    "合计": "total_amount",
    "合计金额": "total_amount",
    "总金额": "total_amount",
    "费用总额": "total_amount",
    "医疗费用总额": "total_amount",
    "费用合计": "total_amount",
    "总费用": "total_amount",
    "金额合计": "total_amount",
    "合计(小写)": "total_amount",
    "金额合计(小写)": "total_amount",
    "(小写)": "total_amount",
    "小写": "total_amount",
    "医保统筹支付": "insurance_paid",
    "统筹基金支付": "insurance_paid",
    "基本医疗保险统筹基金支付": "insurance_paid",
    "医保基金支付": "insurance_paid",
    "统筹支付": "insurance_paid",
    "医保支付": "insurance_paid",
    "基金支付": "insurance_paid",
    "个人自付": "self_paid",
    "个人支付": "self_paid",
    "个人现金支付": "self_paid",
    "自付金额": "self_paid",
    "个人负担": "self_paid",
    "现金支付": "self_paid",
    "合计(大写)": "amount_in_words",
    "合计大写": "amount_in_words",
    "金额合计(大写)": "amount_in_words",
    "人民币(大写)": "amount_in_words",
    "金额(大写)": "amount_in_words",
    "(大写)": "amount_in_words",
    "大写": "amount_in_words",
    # what
    "出院诊断": "diagnosis",
    "主要诊断": "diagnosis",
    "诊断": "diagnosis",
    # printed on the same papers, not extracted
    "入院诊断": None,
    "门诊诊断": None,
    "年龄": None,
    "科室": None,
    "住院号": None,
    "门诊号": None,
    "病案号": None,
    "床号": None,
    "民族": None,
    "项目": None,
    "金额": None,
    "个人账户支付": None,
    "个人自费": None,
    "收款人": None,
    "复核人": None,
    "住院天数": None,
    "诊疗经过": None,
    "出院情况": None,
    "出院医嘱": None,
    "治疗结果": None,
    "医师签名": None,
    "入院情况": None,
    "医保类型": None,
}

LABEL_WEIGHT: dict[str, float] = {
    "患者": 0.85,
    "日期": 0.7,
    "诊断": 0.85,
    "NO": 0.8,
    "No": 0.8,
    "小写": 0.9,
    "(小写)": 0.9,
    "基金支付": 0.85,
    "医保支付": 0.9,
    "现金支付": 0.85,
}

# Longest first, so that 入院日期 wins over 日期 and 合计(大写) over 合计.
_ALTERNATIVES = sorted(LABELS, key=len, reverse=True)
LABEL_RE = re.compile("|".join(re.escape(label) for label in _ALTERNATIVES))


def split(text: str) -> list[tuple[str | None, str]]:
    """A cleaned line as (label, text after it up to the next label) pieces.

    The text before the first label comes as ``(None, text)`` when not empty. ``NO`` only counts
    as a label before digits or a colon (not inside a word).
    """
    pieces: list[tuple[str | None, str]] = []
    last_label: str | None = None
    last_end = 0
    for m in LABEL_RE.finditer(text):
        label = m.group(0)
        if label in ("NO", "No") and not re.match(r"[.:]?\s*\d", text[m.end() :]):
            continue
        before = text[last_end : m.start()]
        if last_label is not None or before:
            pieces.append((last_label, before))
        last_label, last_end = label, m.end()
    tail = text[last_end:]
    if last_label is not None or tail:
        pieces.append((last_label, tail))
    return pieces


def is_label_only(text: str) -> bool:
    """Whether a line is nothing but labels (and punctuation)."""
    pieces = split(text)
    return bool(pieces) and all(
        label is not None and not value.strip(":.()（）章") for label, value in pieces
    )
