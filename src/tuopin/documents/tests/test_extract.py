"""Classification and field extraction from text lines and their layout (no OCR, no image)."""

import datetime as dt

import pytest

from tuopin.core import idcard
from tuopin.documents.recognition.classify import classify
from tuopin.documents.recognition.extract import extract
from tuopin.documents.recognition.layout import Cell
from tuopin.documents.types import DocType


def page(*rows: list[tuple[str, float]], row_height: float = 40, char: float = 26) -> list[Cell]:
    """Cells from rows of (text, x); each row one line height below the previous."""
    cells = []
    for r, row in enumerate(rows):
        for text, x in row:
            y = 100 + r * row_height * 1.5
            cells.append(Cell(len(cells), text, 0.99, x, y, x + char * len(text), y + row_height))
    return cells


def values(doc_type, cells):
    return {name: f.value for name, f in extract(doc_type, cells).items()}


def test_a_value_after_its_label_on_the_same_line_is_read():
    cells = page(
        [("医疗机构：镇雄县人民医院", 50), ("票据号码：0012345678", 900)],
        [("姓名：张三", 50), ("性别：男", 400), ("住院号：123456", 700)],
        [("住院日期：2026年3月1日至2026年3月10日", 50)],
        [("总金额：12,345.60元", 50), ("统筹基金支付：8000元", 500), ("个人自付：4345.6元", 1000)],
    )
    assert values(DocType.INPATIENT_INVOICE, cells) == {
        "hospital": "镇雄县人民医院",
        "invoice_number": "0012345678",
        "patient_name": "张三",
        "admission_date": "2026-03-01",
        "discharge_date": "2026-03-10",
        "total_amount": "12345.60",
        "insurance_paid": "8000.00",
        "self_paid": "4345.60",
    }


def test_a_value_in_the_cell_right_of_its_label_is_read():
    cells = page(
        [("患者姓名", 50), ("李四", 300), ("性别", 700), ("女", 900)],
        [("入院时间", 50), ("2026.03.01", 300), ("出院时间", 700), ("20260310", 900)],
        [("大写", 50), ("壹万贰仟叁佰肆拾伍元陆角整", 300)],
        [("合计(小写)", 50), ("¥12,345.60", 300), ("统筹支付", 700), ("8000.00", 900)],
        [("个人支付", 50), ("4,345.60", 300), ("个人账户支付", 700), ("0.00", 900)],
    )
    found = extract(DocType.INPATIENT_INVOICE, cells)
    assert {k: f.value for k, f in found.items()} == {
        "patient_name": "李四",
        "admission_date": "2026-03-01",
        "discharge_date": "2026-03-10",
        "total_amount": "12345.60",
        "insurance_paid": "8000.00",
        "self_paid": "4345.60",
        "amount_in_words": "12345.60",
    }
    # 大写 = 小写 and 统筹 + 自付 = 合计: the figures vouch for each other.
    assert found["total_amount"].confidence >= 0.95


def test_values_under_a_header_row_are_read_and_labels_are_not_taken_for_values():
    cells = page(
        [("交款人", 50), ("住院号", 300), ("入院日期", 600), ("出院日期", 900)],
        [("王五", 50), ("530081", 300), ("2025-07-12", 600), ("2025.07.26", 900)],
        [("合计", 50), ("医保统筹支付", 300), ("个人支付", 650)],
        [("¥18412.28", 50), ("13993.33", 300), ("4,418.95", 650)],
    )
    assert values(DocType.INPATIENT_INVOICE, cells) == {
        "patient_name": "王五",
        "admission_date": "2025-07-12",
        "discharge_date": "2025-07-26",
        "total_amount": "18412.28",
        "insurance_paid": "13993.33",
        "self_paid": "4418.95",
    }


def test_a_figure_that_disagrees_with_the_amount_in_words_is_kept_but_doubted():
    cells = page([("合计：1817.00", 50)], [("人民币(大写)：壹仟捌佰壹拾柒元整", 50)])
    agree = extract(DocType.OUTPATIENT_INVOICE, cells)
    assert agree["total_amount"].confidence >= 0.95
    cells = page([("合计：81700", 50)], [("人民币(大写)：壹仟捌佰壹拾柒元整", 50)])
    disagree = extract(DocType.OUTPATIENT_INVOICE, cells)
    assert disagree["total_amount"].value == "81700.00"
    assert disagree["amount_in_words"].value == "1817.00"
    assert disagree["total_amount"].confidence <= 0.5


def test_a_missing_share_is_derived_from_the_total_with_low_confidence():
    cells = page([("合计：100.00", 50), ("统筹支付：60.00", 400), ("个人支付：", 800)])
    found = extract(DocType.INPATIENT_INVOICE, cells)
    assert found["self_paid"].value == "40.00"
    assert found["self_paid"].confidence < 0.7


def test_a_hospital_title_without_a_label_is_found_and_the_discharge_diagnosis_preferred():
    cells = page(
        [("岷县第一人民医院", 400)],
        [("出院小结", 500)],
        [("姓名：黄丽娜", 50), ("性别：女", 400)],
        [("入院日期：2025年8月16日", 50), ("出院日期：2025年8月19日", 600)],
        [("入院诊断：发热待查", 50)],
        [("出院诊断：慢性肾功能不全", 50)],
    )
    assert values(DocType.DISCHARGE_SUMMARY, cells) == {
        "hospital": "岷县第一人民医院",
        "patient_name": "黄丽娜",
        "admission_date": "2025-08-16",
        "discharge_date": "2025-08-19",
        "diagnosis": "慢性肾功能不全",
    }


def test_an_id_card_address_runs_over_lines_and_the_number_decides_birth_and_sex():
    number = idcard.build("130828", dt.date(1957, 4, 26), 519)  # odd sequence: male
    cells = page(
        [("姓名", 50), ("唐磊", 200)],
        [("性别", 50), ("女", 200), ("民族", 340), ("汉", 470)],  # misread sex
        [("出生", 50), ("1957年4月26日", 200)],
        [("住址", 50), ("河北省围场县城镇胜幸村", 200)],
        [("8组63号", 200)],
        [("公民身份号码", 50), (number, 300)],
        row_height=36,
    )
    assert values(DocType.ID_CARD, cells) == {
        "name": "唐磊",
        "sex": "男",
        "birth_date": "1957-04-26",
        "address": "河北省围场县城镇胜幸村8组63号",
        "id_number": number,
    }


@pytest.mark.parametrize(
    ("texts", "doc_type"),
    [
        (["陕西省住院医疗收费发票", "交款人", "合计"], DocType.INPATIENT_INVOICE),
        (["榕江县妇幼保健院", "住院收费专用票据", "交款人"], DocType.INPATIENT_INVOICE),
        (["云南省医疗收费票据（门诊）", "门诊号", "收费日期"], DocType.OUTPATIENT_INVOICE),
        (["门诊收费票据（电子）", "就诊日期"], DocType.OUTPATIENT_INVOICE),
        (["紫阳县中医院", "出院记录", "入院日期：2025-08-14"], DocType.DISCHARGE_SUMMARY),
        (["出院小结", "出院诊断：支气管哮喘"], DocType.DISCHARGE_SUMMARY),
        (["姓名 唐磊", "性别 男 民族 汉", "住址 河北省", "公民身份号码"], DocType.ID_CARD),
        # The title under a stamp: the labels still say what it is.
        (["住院号", "入院日期", "出院日期", "统筹基金支付", "个人自付"], DocType.INPATIENT_INVOICE),
        (["村务公开栏", "本村2026年第二季度低保名单已公示。"], DocType.OTHER),
        ([], DocType.OTHER),
    ],
)
def test_it_classifies_documents_from_their_text(texts, doc_type):
    assert classify(texts)[0] is doc_type


def test_wordings_of_electronic_invoices_are_understood():
    cells = page(
        [("医疗收费电子票据", 400)],
        [("交款人：赵六", 50), ("开票日期：2026-03-12", 700)],
        [("住院时间：2026-03-01 10:30:15至2026-03-10", 50)],
        [("金额合计(大写)：壹佰元整", 50), ("(小写)：100.00", 700)],
        [
            ("医保统筹基金支付：60.00", 50),
            ("个人账户支付：0.00", 500),
            ("个人现金支付金额：40.00", 900),
        ],
    )
    assert values(DocType.INPATIENT_INVOICE, cells) == {
        "patient_name": "赵六",
        "admission_date": "2026-03-01",
        "discharge_date": "2026-03-10",
        "total_amount": "100.00",
        "insurance_paid": "60.00",
        "self_paid": "40.00",
        "amount_in_words": "100.00",
    }
