"""Synthetic discharge summaries (出院记录/出院小结), ID cards and other paper (pure: no Django)."""

from __future__ import annotations

import datetime as dt
import random

from PIL import Image, ImageDraw

from tuopin.documents.synthetic.canvas import Sheet, date_text
from tuopin.documents.synthetic.fonts import font

NUMBER_OF_LAYOUTS = 2

COURSE = [
    "患者入院后完善相关检查，给予抗感染、化痰及对症支持治疗，病情好转。",
    "住院期间予以控制血糖、营养神经及健康宣教，复查指标较前好转。",
    "予以降压、改善循环、康复训练等治疗，患者症状明显缓解。",
    "完善术前准备后行手术治疗，术后恢复顺利，切口愈合良好。",
]
ADVICE = [
    "注意休息，低盐低脂饮食，按时服药。",
    "出院后一周门诊复查，如有不适及时就诊。",
    "避免劳累，定期监测血压血糖。",
]


def _wrap(sheet: Sheet, x: int, y: int, text: str, size: int, width: int) -> int:
    """Draw ``text`` wrapped to ``width`` pixels; return the y below it."""
    f = font(size, sheet.variant)
    line = ""
    for ch in text:
        if sheet.draw.textlength(line + ch, font=f) > width:
            sheet.text((x, y), line, size)
            y += int(size * 1.6)
            line = ""
        line += ch
    if line:
        sheet.text((x, y), line, size)
        y += int(size * 1.6)
    return y


def _stay_line(sheet: Sheet, v: dict[str, str], y: int) -> int:
    rng = sheet.rng
    style = rng.randrange(6)
    a, b = date_text(rng, v["admission_date"], style), date_text(rng, v["discharge_date"], style)
    if rng.random() < 0.3:
        a += f" {rng.randint(8, 17)}时{rng.choice(('00', '30'))}分"
    days = (
        dt.date.fromisoformat(v["discharge_date"]) - dt.date.fromisoformat(v["admission_date"])
    ).days
    x = sheet.text((90, y), f"{rng.choice(['入院日期', '入院时间'])}：{a}", 28)
    x = sheet.text((max(x + 70, 620), y), f"{rng.choice(['出院日期', '出院时间'])}：{b}", 28)
    if x < sheet.image.width - 300:
        sheet.text((x + 60, y), f"住院天数：{days}天", 28)
    return y + 64


def _prose(sheet: Sheet, v: dict[str, str]) -> None:
    """Free-text record: a header line of label：value pairs, then paragraphs."""
    rng = sheet.rng
    w = sheet.image.width
    sheet.centred(60, v["hospital"], 44)
    sheet.centred(130, rng.choice(["出院记录", "出院小结", "出 院 记 录"]), 40)
    y = 220
    x = sheet.text((90, y), f"{rng.choice(['姓名', '患者姓名'])}：{v['patient_name']}", 28)
    x = sheet.text((x + 60, y), f"性别：{rng.choice('男女')}", 28)
    x = sheet.text((x + 60, y), f"年龄：{rng.randint(18, 88)}岁", 28)
    sheet.text((x + 60, y), f"科室：{rng.choice(['内科', '外科', '骨科', '神经内科'])}", 28)
    y += 60
    sheet.text(
        (90, y), f"住院号：{rng.randint(10**5, 10**6 - 1)}    床号：{rng.randint(1, 60)}", 28
    )
    y = _stay_line(sheet, v, y + 60)
    sheet.line((80, y, w - 80, y))
    y += 30
    y = _wrap(
        sheet, 90, y, f"入院诊断：{rng.choice(['待查', '发热待查', v['diagnosis']])}", 28, w - 180
    )
    y = _wrap(sheet, 90, y + 10, f"诊疗经过：{rng.choice(COURSE)}", 28, w - 180)
    y = _wrap(sheet, 90, y + 10, f"出院诊断：{v['diagnosis']}", 28, w - 180)
    y = _wrap(
        sheet, 90, y + 10, f"出院情况：{rng.choice(['好转', '治愈', '症状缓解'])}", 28, w - 180
    )
    y = _wrap(sheet, 90, y + 10, f"出院医嘱：{rng.choice(ADVICE)}", 28, w - 180)
    sheet.text((w - 460, y + 80), f"医师签名：{rng.choice('王李张刘陈')}医生", 28)
    sheet.stamp_spots.append((w - 300, y + 80))


def _table(sheet: Sheet, v: dict[str, str]) -> None:
    """A ruled form: labels in their own cells, values to their right."""
    rng = sheet.rng
    w = sheet.image.width
    sheet.centred(60, v["hospital"], 42)
    sheet.centred(126, rng.choice(["出院小结", "出院记录", "出院证明书"]), 38)
    style = rng.randrange(6)
    rows = [
        [
            rng.choice(["姓名", "患者姓名", "病人姓名"]),
            v["patient_name"],
            "性别",
            rng.choice("男女"),
        ],
        ["年龄", f"{rng.randint(18, 88)}岁", "住院号", str(rng.randint(10**5, 10**6 - 1))],
        [
            rng.choice(["入院日期", "入院时间"]),
            date_text(rng, v["admission_date"], style),
            rng.choice(["出院日期", "出院时间"]),
            date_text(rng, v["discharge_date"], style),
        ],
    ]
    y = sheet.grid(80, 210, [200, 360, 200, w - 160 - 760], rows, height=64)
    rows = [
        ["入院诊断", rng.choice(["待查", v["diagnosis"]])],
        ["出院诊断", v["diagnosis"]],
        ["治疗结果", rng.choice(["好转", "治愈"])],
    ]
    y = sheet.grid(80, y, [200, w - 160 - 200], rows, height=64)
    y = _wrap(sheet, 90, y + 30, f"诊疗经过：{rng.choice(COURSE)}", 28, w - 180)
    y = _wrap(sheet, 90, y + 10, f"出院医嘱：{rng.choice(ADVICE)}", 28, w - 180)
    sheet.stamp_spots.append((w - 320, y + 60))


def draw_discharge(v: dict[str, str], rng: random.Random, *, layout: int) -> Sheet:
    sheet = Sheet.new((rng.choice((1240, 1300)), 1650), rng, (252, 252, 250))
    [_prose, _table][layout % NUMBER_OF_LAYOUTS](sheet, v)
    return sheet


def draw_id_card(v: dict[str, str], rng: random.Random, *, ethnicity: str) -> Sheet:
    """The front of a resident ID card lying on a table."""
    table = rng.choice([(120, 98, 80), (180, 170, 150), (70, 80, 95), (200, 200, 205)])
    sheet = Sheet.new((1300, 900), rng, table)
    card = Image.new("RGB", (1000, 630), (232, 240, 244))
    draw = ImageDraw.Draw(card)
    for i in range(0, 630, 18):  # guilloche-like pattern
        draw.arc((-300 + i, -200, 700 + i, 800), 200, 340, fill=(214, 228, 236), width=2)
    label_ink, value_ink = (60, 110, 150), (20, 20, 24)
    f_label, f_value = font(30, sheet.variant), font(36, sheet.variant)
    d = dt.date.fromisoformat(v["birth_date"])

    def pair(y: int, lab: str, value: str, x_value: int = 200) -> None:
        draw.text((60, y), lab, font=f_label, fill=label_ink)
        draw.text((x_value, y - 4), value, font=f_value, fill=value_ink)

    pair(60, "姓 名", v["name"])
    pair(140, "性 别", v["sex"])
    draw.text((340, 140), "民 族", font=f_label, fill=label_ink)
    draw.text((470, 136), ethnicity, font=f_value, fill=value_ink)
    pair(220, "出 生", f"{d.year}  年  {d.month}  月  {d.day}  日")
    address = v["address"]
    draw.text((60, 300), "住 址", font=f_label, fill=label_ink)
    for i in range(0, len(address), 11):
        draw.text((200, 296 + (i // 11) * 50), address[i : i + 11], font=f_value, fill=value_ink)
    draw.text((60, 520), "公民身份号码", font=f_label, fill=label_ink)
    draw.text(
        (300, 516),
        "  ".join([v["id_number"][:6], v["id_number"][6:14], v["id_number"][14:]])
        if rng.random() < 0.3
        else v["id_number"],
        font=font(38, sheet.variant),
        fill=value_ink,
    )
    draw.rectangle((700, 70, 930, 360), fill=(200, 205, 210))  # the photo
    draw.ellipse((765, 120, 865, 230), fill=(160, 165, 170))
    draw.ellipse((730, 240, 900, 420), fill=(160, 165, 170))
    draw.rectangle((700, 360, 930, 420), fill=(232, 240, 244))
    x, y = rng.randint(60, 240), rng.randint(60, 200)
    sheet.image.paste(card, (x, y))
    return sheet


def draw_other(rng: random.Random) -> Sheet:
    """Something that is not a claim document: a blank sheet, or a notice."""
    sheet = Sheet.new((1200, 900), rng, (rng.randint(150, 250),) * 3)  # type: ignore[arg-type]
    if rng.random() < 0.5:
        sheet.centred(80, "村务公开栏", 44)
        y = 180
        for text in [
            "本村2026年第二季度低保名单已公示。",
            "如有异议请于七日内向村委会反映。",
            "联系电话：0871-1234567",
        ]:
            sheet.text((100, y), text, 30)
            y += 70
    return sheet
