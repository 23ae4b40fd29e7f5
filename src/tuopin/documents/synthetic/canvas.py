"""Drawing helpers and the printed variants of labels, dates and amounts (pure: no Django)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from tuopin.documents.synthetic.fonts import font

INK = (28, 28, 32)

LABELS = {
    "patient_name": ["姓名", "患者姓名", "病人姓名", "交款人", "患者"],
    "hospital": ["医疗机构", "收款单位", "医院名称", "开票单位", "医疗机构名称"],
    "invoice_number": ["票据号码", "发票号码", "票据号", "NO."],
    "admission_date": ["入院日期", "入院时间"],
    "discharge_date": ["出院日期", "出院时间"],
    "visit_date": ["就诊日期", "开票日期", "门诊日期", "收费日期"],
    "total_amount": ["合计", "合计金额", "总金额", "费用总额", "金额合计(小写)", "合计(小写)"],
    "insurance_paid": ["医保统筹支付", "统筹基金支付", "统筹支付", "医保基金支付"],
    "self_paid": ["个人自付", "个人支付", "个人现金支付", "自付金额"],
    "amount_in_words": ["合计(大写)", "大写", "人民币(大写)", "金额合计(大写)"],
    "diagnosis": ["出院诊断"],
}

ITEMS = [
    "床位费",
    "诊察费",
    "检查费",
    "化验费",
    "治疗费",
    "手术费",
    "护理费",
    "西药费",
    "中成药费",
    "卫生材料费",
]


def label(rng: random.Random, name: str) -> str:
    return rng.choice(LABELS[name])


def date_text(rng: random.Random, iso: str, style: int | None = None) -> str:
    d = dt.date.fromisoformat(iso)
    style = rng.randrange(6) if style is None else style
    return [
        f"{d.year}年{d.month}月{d.day}日",
        f"{d:%Y-%m-%d}",
        f"{d:%Y.%m.%d}",
        f"{d:%Y%m%d}",
        f"{d.year}年{d:%m}月{d:%d}日",
        f"{d:%Y/%m/%d}",
    ][style]


def amount_text(rng: random.Random, yuan: str) -> str:
    whole, cents = yuan.split(".")
    grouped = f"{int(whole):,}.{cents}"
    short = yuan[:-1] if cents.endswith("0") and cents != "00" else yuan
    return rng.choice([f"¥{grouped}", f"{yuan}元", yuan, f"￥{short}", f"{grouped}", f"¥{yuan}"])


@dataclass
class Sheet:
    """A page being drawn, with a few places a stamp would go."""

    image: Image.Image
    draw: ImageDraw.ImageDraw
    rng: random.Random
    variant: int = 0
    stamp_spots: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def new(cls, size: tuple[int, int], rng: random.Random, tint: tuple[int, int, int]) -> Sheet:
        image = Image.new("RGB", size, tint)
        return cls(image, ImageDraw.Draw(image), rng, variant=rng.randrange(4))

    def text(self, xy: tuple[float, float], text: str, size: int = 26, **kw: object) -> int:
        """Draw ``text``; return its right edge."""
        f = font(size, self.variant)
        self.draw.text(xy, text, font=f, fill=kw.get("fill", INK))  # type: ignore[arg-type]
        return int(xy[0] + self.draw.textlength(text, font=f))

    def centred(self, y: float, text: str, size: int, x0: int = 0, x1: int | None = None) -> None:
        x1 = self.image.width if x1 is None else x1
        width = self.draw.textlength(text, font=font(size, self.variant))
        self.text(((x0 + x1 - width) / 2, y), text, size)

    def line(self, xy: tuple[float, float, float, float], width: int = 2) -> None:
        self.draw.line(xy, fill=(90, 90, 100), width=width)

    def grid(
        self, x0: int, y0: int, widths: list[int], rows: list[list[str]], height: int = 54
    ) -> int:
        """A ruled table, one string per cell (empty cells allowed); return its bottom."""
        size = self.rng.choice((24, 25, 26))
        for r, row in enumerate(rows):
            x = x0
            y = y0 + r * height
            for w, cell in zip(widths, row, strict=False):
                self.draw.rectangle((x, y, x + w, y + height), outline=(90, 90, 100), width=2)
                if cell:
                    self.text((x + 10, y + (height - size) / 2 - 2), cell, size)
                x += w
        return y0 + len(rows) * height

    def items(self, rng: random.Random, total_fen: int) -> list[tuple[str, str]]:
        """Charge items whose amounts add up to the total (a distraction for the reader)."""
        names = rng.sample(ITEMS, rng.randint(3, 5))
        cuts = sorted(rng.randint(1, max(2, total_fen - 1)) for _ in range(len(names) - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, total_fen], strict=True)]
        return [(n, f"{p // 100}.{p % 100:02d}") for n, p in zip(names, parts, strict=True)]
