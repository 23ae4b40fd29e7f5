"""Normalising what OCR read: dates, amounts, ID numbers, names, hospitals; label splitting."""

import pytest

from tuopin.core import idcard
from tuopin.documents.recognition import normalise
from tuopin.documents.recognition.labels import is_label_only, split


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2026年3月5日", "2026-03-05"),
        ("2026年03月05日", "2026-03-05"),
        ("2026-03-05", "2026-03-05"),
        ("2026.03.05", "2026-03-05"),
        ("2026/3/5", "2026-03-05"),
        ("20260305", "2026-03-05"),
        ("1957 年 4 月 26 日", "1957-04-26"),
        ("2025.06.0212时30分", "2025-06-02"),
        (":2O26-03-05", "2026-03-05"),
    ],
)
def test_it_normalises_dates(text, iso):
    assert normalise.date(text) == iso


@pytest.mark.parametrize("text", ["2026年2月30日", "12345678", "住院号", "2026-13-01"])
def test_it_refuses_what_is_not_a_date(text):
    assert normalise.date(text) is None


def test_it_finds_both_dates_of_a_stay():
    assert normalise.dates_in("2026年3月1日至2026年3月10日 共9天") == ["2026-03-01", "2026-03-10"]


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("¥12,345.6", "12345.60"),
        ("12345.60元", "12345.60"),
        ("￥ 12345.60", "12345.60"),
        ("4,418.95", "4418.95"),
        ("(小写)¥18412.28", "18412.28"),
        ("300", "300.00"),
        ("0.00", "0.00"),
    ],
)
def test_it_normalises_amounts(text, yuan):
    assert normalise.amount(text) == yuan


@pytest.mark.parametrize("text", ["县妇22338", "住院号", "12.34.56", "第3床"])
def test_it_refuses_a_figure_with_words_around_it(text):
    assert normalise.amount(text) is None


def test_it_validates_id_numbers_and_upper_cases_them():
    number = idcard.build("530627", __import__("datetime").date(1957, 4, 26), 519)
    assert normalise.id_number(number.lower()) == number
    assert normalise.id_number(f"公民身份号码 {number[:6]} {number[6:14]} {number[14:]}") == number
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert normalise.id_number(wrong) is None


def test_names_sex_and_hospitals_are_taken_as_printed():
    assert normalise.name("：张三") == "张三"
    assert normalise.name("欧阳娜娜") == "欧阳娜娜"
    assert normalise.name("住院号123") is None
    assert normalise.sex("男") == "男"
    assert normalise.sex("男女") is None
    assert normalise.hospital("(章):镇雄县人民医院") == "镇雄县人民医院"
    assert normalise.hospital("尔(章)宕昌县中医医院") == "宕昌县中医医院"
    assert normalise.hospital("章丘市人民医院") == "章丘市人民医院"
    assert normalise.hospital("榕江县妇幼保健院住院收费票据") == "榕江县妇幼保健院"
    assert normalise.hospital("陕西省住院医疗收费发票") is None


def test_a_line_splits_into_labels_and_their_values():
    assert split("姓名：张三 性别：男 住院号：123".replace(" ", "").replace("：", ":")) == [
        ("姓名", ":张三"),
        ("性别", ":男"),
        ("住院号", ":123"),
    ]
    # The longest label wins: 合计(大写) is not 合计.
    assert split("合计(大写)壹万元整") == [("合计(大写)", "壹万元整")]
    # NO is a label before a number or alone, not inside a word.
    assert split("NO.5893143322") == [("NO.", "5893143322")]
    assert split("NO") == [("NO", "")]
    assert split("NOTE") == [(None, "NOTE")]
    assert is_label_only("交款人") and is_label_only("金额合计(小写)")
    assert not is_label_only("交款人:张三")
