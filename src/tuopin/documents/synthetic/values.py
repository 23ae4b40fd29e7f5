"""Plausible field values for synthetic claim documents (pure: no Django).

Names, hospitals of several provinces, invoice numbers, stay dates, amounts that add up
(total = 统筹支付 + 自付), diagnoses and valid ID numbers. The same seed gives the same values.
"""

from __future__ import annotations

import datetime as dt
import random

from tuopin.core import idcard
from tuopin.documents.types import FIELDS, DocType
from tuopin.documents.recognition.words import yuan_in_words

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林洋坤志兴国建新春生福海山"
GIVEN_F = "芳娟敏静丽艳娜秀英华慧巧美兰霞梅琳燕玲桂凤红云莲菊萍珍翠彩琴雪婷倩玉"

# (province, counties with their 6-digit area codes)
PLACES = [
    ("云南省", [("镇雄县", "530627"), ("会泽县", "530326"), ("澜沧县", "530828")]),
    ("贵州省", [("威宁县", "520526"), ("榕江县", "522632"), ("从江县", "522633")]),
    ("甘肃省", [("东乡县", "622926"), ("岷县", "621126"), ("宕昌县", "621223")]),
    ("四川省", [("昭觉县", "513431"), ("布拖县", "513429"), ("美姑县", "513436")]),
    ("广西壮族自治区", [("都安县", "451228"), ("大化县", "451229"), ("三江县", "450226")]),
    ("河北省", [("阜平县", "130624"), ("围场县", "130828"), ("康保县", "130723")]),
    ("湖南省", [("花垣县", "433124"), ("保靖县", "433125"), ("新化县", "431322")]),
    ("陕西省", [("镇坪县", "610927"), ("紫阳县", "610924"), ("佳县", "610828")]),
]
HOSPITAL_KINDS = ["人民医院", "中医医院", "第一人民医院", "妇幼保健院", "中心卫生院", "中医院"]
TOWNS = "城关新街大坪石桥河口龙潭高山马场白水"
DIAGNOSES = [
    "2型糖尿病",
    "社区获得性肺炎",
    "高血压病3级",
    "慢性阻塞性肺疾病急性加重",
    "急性阑尾炎",
    "腰椎间盘突出症",
    "脑梗死",
    "冠状动脉粥样硬化性心脏病",
    "慢性肾功能不全",
    "胆囊结石伴慢性胆囊炎",
    "右股骨颈骨折",
    "支气管哮喘",
]
VILLAGE_WORDS = "红光明星建新胜利团结和平幸福前进联合东风向阳青松柏杨"
ETHNICITIES = ["汉", "汉", "汉", "彝", "苗", "壮", "回", "布依", "土家"]


def _name(rng: random.Random, sex: str) -> str:
    given = GIVEN_M if sex == "男" else GIVEN_F
    n = rng.choice((1, 2, 2))
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(n))


def _place(rng: random.Random) -> tuple[str, str, str]:
    province, counties = rng.choice(PLACES)
    county, code = rng.choice(counties)
    return province, county, code


def _hospital(rng: random.Random, county: str) -> str:
    kind = rng.choice(HOSPITAL_KINDS)
    if kind == "中心卫生院":
        return f"{county}{rng.choice(TOWNS)}{rng.choice('镇乡')}中心卫生院"
    return county + kind


def _fen(rng: random.Random, low: int, high: int) -> int:
    fen = rng.randint(low, high)
    # Invoices often end in whole yuan or ten fen; keep a share of each.
    return rng.choice((fen, fen - fen % 10, fen - fen % 100))


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _stay(rng: random.Random, today: dt.date) -> tuple[dt.date, dt.date]:
    start = today - dt.timedelta(days=rng.randint(20, 400))
    return start, start + dt.timedelta(days=rng.randint(2, 25))


def random_values(doc_type: DocType, rng: random.Random, today: dt.date) -> dict[str, str]:
    """A complete, consistent set of the key fields of ``doc_type`` (plus 大写 for invoices)."""
    sex = rng.choice("男女")
    province, county, code = _place(rng)
    name = _name(rng, sex)
    hospital = _hospital(rng, county)
    values: dict[str, str] = {}
    if doc_type is DocType.INPATIENT_INVOICE:
        admitted, discharged = _stay(rng, today)
        total = _fen(rng, 80_000, 6_000_000)
        insured = total * rng.randint(45, 80) // 100
        values = {
            "patient_name": name,
            "hospital": hospital,
            "invoice_number": f"{rng.randint(10**9, 10**10 - 1)}",
            "admission_date": admitted.isoformat(),
            "discharge_date": discharged.isoformat(),
            "total_amount": yuan(total),
            "insurance_paid": yuan(insured),
            "self_paid": yuan(total - insured),
        }
    elif doc_type is DocType.OUTPATIENT_INVOICE:
        visit = today - dt.timedelta(days=rng.randint(5, 300))
        values = {
            "patient_name": name,
            "hospital": hospital,
            "invoice_number": f"{rng.randint(10**7, 10**10 - 1)}",
            "visit_date": visit.isoformat(),
            "total_amount": yuan(_fen(rng, 1_000, 300_000)),
        }
    elif doc_type is DocType.DISCHARGE_SUMMARY:
        admitted, discharged = _stay(rng, today)
        values = {
            "patient_name": name,
            "hospital": hospital,
            "admission_date": admitted.isoformat(),
            "discharge_date": discharged.isoformat(),
            "diagnosis": rng.choice(DIAGNOSES),
        }
    elif doc_type is DocType.ID_CARD:
        birth = dt.date(rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28))
        sequence = rng.randrange(1, 999, 2) if sex == "男" else rng.randrange(0, 998, 2)
        village = "".join(rng.sample(VILLAGE_WORDS, 2))
        values = {
            "name": name,
            "sex": sex,
            "id_number": idcard.build(code, birth, sequence),
            "birth_date": birth.isoformat(),
            "address": f"{province}{county}{rng.choice(TOWNS)}镇{village}村{rng.randint(1, 12)}组{rng.randint(1, 99)}号",
        }
    return values


def fill_values(
    doc_type: DocType, given: dict[str, str], *, seed: int = 0, today: dt.date | None = None
) -> dict[str, str]:
    """The values a document shows: ``given`` where set, random consistent ones elsewhere.

    Invoices keep total = 统筹支付 + 自付 when only some amounts are given, and carry
    ``amount_in_words`` (合计大写) for their total unless the caller gives one.
    """
    rng = random.Random(seed)
    values = random_values(doc_type, rng, today or dt.date(2026, 6, 30))
    unknown = set(given) - set(FIELDS[doc_type]) - {"amount_in_words", "sex"}
    if unknown:
        raise ValueError(f"unknown fields for {doc_type}: {sorted(unknown)}")
    values.update({k: v for k, v in given.items() if v})
    if doc_type is DocType.INPATIENT_INVOICE and "total_amount" in given:
        total = _to_fen(values["total_amount"])
        if "self_paid" in given and "insurance_paid" not in given:
            values["insurance_paid"] = yuan(total - _to_fen(values["self_paid"]))
        elif "self_paid" not in given:
            insured = (
                _to_fen(values["insurance_paid"]) if "insurance_paid" in given else total * 6 // 10
            )
            values["insurance_paid"] = yuan(insured)
            values["self_paid"] = yuan(total - insured)
    if doc_type in (DocType.INPATIENT_INVOICE, DocType.OUTPATIENT_INVOICE):
        values.setdefault("amount_in_words", yuan_in_words(_to_fen(values["total_amount"])))
    if doc_type is DocType.ID_CARD and "sex" not in given and "id_number" in given:
        parsed = idcard.parse(values["id_number"])
        values["sex"] = "男" if parsed.sex == "M" else "女"
        values["birth_date"] = parsed.birth_date.isoformat()
    return values


def _to_fen(yuan_text: str) -> int:
    whole, _, cents = yuan_text.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def provinces() -> list[str]:
    return [p for p, _ in PLACES]


__all__ = ["fill_values", "random_values", "yuan", "provinces", "ETHNICITIES"]
