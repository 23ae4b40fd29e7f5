"""Synthetic medical invoices (住院/门诊收费票据) in three table arrangements (pure: no Django)."""

from __future__ import annotations

import random

from tuopin.documents.synthetic.canvas import Sheet, amount_text, date_text, label

TINTS = [(250, 248, 242), (246, 250, 252), (252, 246, 246), (248, 252, 246)]
NUMBER_OF_LAYOUTS = 3


def _fen(yuan: str) -> int:
    whole, cents = yuan.split(".")
    return int(whole) * 100 + int(cents)


def _title(v: dict[str, str], rng: random.Random, inpatient: bool, province: str) -> str:
    kind = "住院" if inpatient else "门诊"
    return rng.choice(
        [
            f"{province}医疗{kind}收费票据",
            f"{province}医疗收费票据（{kind}）",
            f"{kind}收费票据（电子）",
            f"{province}{kind}医疗收费发票",
        ]
    )


def _stay_cells(v: dict[str, str], rng: random.Random) -> list[list[str]]:
    return [
        [label(rng, "admission_date"), date_text(rng, v["admission_date"])],
        [label(rng, "discharge_date"), date_text(rng, v["discharge_date"])],
    ]


def _grid(sheet: Sheet, v: dict[str, str], inpatient: bool, province: str) -> None:
    """Label | value | label | value rows in a ruled grid; the payer's details on top."""
    rng = sheet.rng
    w = sheet.image.width
    sheet.centred(40, _title(v, rng, inpatient, province), 40)
    number_label = label(rng, "invoice_number")
    sheet.text((70, 120), f"票据代码：{rng.randint(10**7, 10**8 - 1)}", 24)
    sheet.text((w - 520, 120), f"{number_label}：{v['invoice_number']}", 24)
    rows = [[label(rng, "patient_name"), v["patient_name"], "性别", rng.choice("男女")]]
    if inpatient:
        stay = _stay_cells(v, rng)
        rows.append(
            [
                "住院号",
                str(rng.randint(100000, 999999)),
                "科室",
                rng.choice(["内科", "外科", "骨科"]),
            ]
        )
        rows.append([stay[0][0], stay[0][1], stay[1][0], stay[1][1]])
    else:
        rows.append(
            [
                "门诊号",
                str(rng.randint(100000, 999999)),
                label(rng, "visit_date"),
                date_text(rng, v["visit_date"]),
            ]
        )
    items = sheet.items(rng, _fen(v["total_amount"]))
    for i in range(0, len(items), 2):
        pair = items[i : i + 2]
        rows.append(
            [c for name, amount in pair for c in (name, amount)] + ["", ""][: 4 - 2 * len(pair)]
        )
    rows.append([label(rng, "amount_in_words"), v["amount_in_words"], "", ""])
    rows.append([label(rng, "total_amount"), amount_text(rng, v["total_amount"]), "", ""])
    if inpatient:
        rows[-1][2:] = [label(rng, "insurance_paid"), amount_text(rng, v["insurance_paid"])]
        rows.append(
            [label(rng, "self_paid"), amount_text(rng, v["self_paid"]), "个人账户支付", "0.00"]
        )
    widths = [230, 470, 230, w - 140 - 930]
    bottom = sheet.grid(70, 180, widths, rows, height=rng.choice((54, 58, 62)))
    hospital_label = label(rng, "hospital")
    sheet.text((70, bottom + 36), f"{hospital_label}（章）：{v['hospital']}", 26)
    sheet.text((w - 380, bottom + 36), f"收款人：{rng.choice('王李张刘陈')}某", 26)
    sheet.stamp_spots.append((300, bottom + 50))


def _header_row(sheet: Sheet, v: dict[str, str], inpatient: bool, province: str) -> None:
    """The hospital as the title; labels in a header row with the values in the row below."""
    rng = sheet.rng
    w = sheet.image.width
    sheet.centred(36, v["hospital"], 40)
    sheet.centred(
        96,
        ("住院" if inpatient else "门诊")
        + rng.choice(["收费票据", "收费专用票据", "医疗费用结算票据"]),
        32,
    )
    sheet.text(
        (w - 420, 150),
        f"NO. {v['invoice_number']}"
        if rng.random() < 0.5
        else f"{label(rng, 'invoice_number')} {v['invoice_number']}",
        26,
    )
    if inpatient:
        header = [
            label(rng, "patient_name"),
            "住院号",
            label(rng, "admission_date"),
            label(rng, "discharge_date"),
        ]
        stay = [date_text(rng, v["admission_date"]), date_text(rng, v["discharge_date"])]
        values = [v["patient_name"], str(rng.randint(100000, 999999)), *stay]
    else:
        header = [label(rng, "patient_name"), "性别", "门诊号", label(rng, "visit_date")]
        values = [
            v["patient_name"],
            rng.choice("男女"),
            str(rng.randint(10**5, 10**6 - 1)),
            date_text(rng, v["visit_date"]),
        ]
    widths = [260, 260, 340, w - 140 - 860]
    y = sheet.grid(70, 200, widths, [header, values], height=58)
    items = sheet.items(rng, _fen(v["total_amount"]))
    y = sheet.grid(70, y + 20, [300, 260], [["项目", "金额"], *[list(i) for i in items]], height=46)
    words = f"{label(rng, 'amount_in_words')}：{v['amount_in_words']}"
    x = sheet.text((70, y + 26), words, 26)
    sheet.text((max(x + 60, w - 520), y + 26), f"(小写) {amount_text(rng, v['total_amount'])}", 26)
    y += 80
    if inpatient:
        header = [label(rng, "total_amount"), label(rng, "insurance_paid"), label(rng, "self_paid")]
        values = [amount_text(rng, v[k]) for k in ("total_amount", "insurance_paid", "self_paid")]
        y = sheet.grid(70, y, [300, 320, 300], [header, values], height=54)
    else:
        sheet.text(
            (70, y), f"{label(rng, 'total_amount')}：{amount_text(rng, v['total_amount'])}", 26
        )
        y += 50
    sheet.text((70, y + 30), f"{label(rng, 'hospital')}：{v['hospital']}", 26)
    sheet.stamp_spots.append((w - 300, 90))


def _inline(sheet: Sheet, v: dict[str, str], inpatient: bool, province: str) -> None:
    """Label：value pairs spread along the lines, no ruling; a date range for the stay."""
    rng = sheet.rng
    w = sheet.image.width
    sheet.centred(40, _title(v, rng, inpatient, province), 38)
    y = 130
    sheet.text((80, y), f"{label(rng, 'hospital')}：{v['hospital']}", 26)
    sheet.text((w - 560, y), f"{label(rng, 'invoice_number')}：{v['invoice_number']}", 26)
    y += 70
    x = sheet.text((80, y), f"{label(rng, 'patient_name')}：{v['patient_name']}", 26)
    x = sheet.text((x + 120, y), f"性别：{rng.choice('男女')}", 26)
    sheet.text(
        (x + 120, y), f"{'住院号' if inpatient else '门诊号'}：{rng.randint(10**5, 10**6 - 1)}", 26
    )
    y += 70
    if inpatient:
        style = rng.randrange(6)
        a, b = (
            date_text(rng, v["admission_date"], style),
            date_text(rng, v["discharge_date"], style),
        )
        if rng.random() < 0.5:
            sheet.text((80, y), f"住院日期：{a} 至 {b}", 26)
        else:
            x = sheet.text((80, y), f"{label(rng, 'admission_date')}：{a}", 26)
            sheet.text((x + 140, y), f"{label(rng, 'discharge_date')}：{b}", 26)
    else:
        sheet.text((80, y), f"{label(rng, 'visit_date')}：{date_text(rng, v['visit_date'])}", 26)
    y += 60
    sheet.line((70, y, w - 70, y))
    for name, amount in sheet.items(rng, _fen(v["total_amount"])):
        y += 48
        sheet.text((120, y), name, 24)
        sheet.text((520, y), amount, 24)
    y += 70
    sheet.line((70, y - 10, w - 70, y - 10))
    x = sheet.text(
        (80, y + 10), f"{label(rng, 'total_amount')}：{amount_text(rng, v['total_amount'])}", 26
    )
    if inpatient:
        x = sheet.text(
            (x + 90, y + 10),
            f"{label(rng, 'insurance_paid')}：{amount_text(rng, v['insurance_paid'])}",
            26,
        )
        sheet.text(
            (x + 90, y + 10), f"{label(rng, 'self_paid')}：{amount_text(rng, v['self_paid'])}", 26
        )
    sheet.text((80, y + 76), f"{label(rng, 'amount_in_words')}：{v['amount_in_words']}", 26)
    sheet.stamp_spots.append((w - 330, y + 60))


LAYOUTS = [_grid, _header_row, _inline]


def draw_invoice(
    v: dict[str, str], rng: random.Random, *, inpatient: bool, layout: int, province: str
) -> Sheet:
    width = rng.choice((1400, 1440, 1500))
    sheet = Sheet.new((width, 1000 if inpatient else 900), rng, rng.choice(TINTS))
    LAYOUTS[layout % NUMBER_OF_LAYOUTS](sheet, v, inpatient, province)
    return sheet
