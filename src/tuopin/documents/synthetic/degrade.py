"""Make a clean rendering look like a phone photo (pure: no Django): a red stamp over the text,
the paper on a table, uneven light, a few degrees of skew, a quarter turn, blur, noise, JPEG.
"""

from __future__ import annotations

import io
import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from tuopin.documents.synthetic.fonts import font

STAMP_RED = np.array([214, 40, 40], dtype=np.float32)


def stamp(image: Image.Image, centre: tuple[int, int], rng: random.Random, words: str) -> None:
    """A round red seal (公章) blended over whatever is printed there."""
    r = rng.randint(95, 125)
    mask = Image.new("L", (2 * r + 8, 2 * r + 8), 0)
    d = ImageDraw.Draw(mask)
    d.ellipse((4, 4, 2 * r + 4, 2 * r + 4), outline=255, width=7)
    star = [
        (
            r + 4 + 30 * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
            r + 4 - 30 * math.sin(math.pi / 2 + k * 4 * math.pi / 5),
        )
        for k in range(5)
    ]
    d.polygon(star, fill=255)
    f = font(22)
    for i, ch in enumerate(words[:14]):
        angle = math.pi * (0.95 + 1.1 * i / max(1, min(len(words), 14) - 1))
        x = r + 4 + (r - 30) * math.cos(angle) - 11
        y = r + 4 + (r - 30) * math.sin(angle) - 11
        d.text((x, y), ch, font=f, fill=255)
    d.text((r - 40, r + 40), rng.choice(["收费专用章", "财务专用章", "医务处"]), font=f, fill=255)
    mask = mask.rotate(rng.uniform(-30, 30))
    alpha = np.asarray(mask, dtype=np.float32)[..., None] / 255 * rng.uniform(0.55, 0.85)
    x0, y0 = centre[0] - r - 4 + rng.randint(-30, 30), centre[1] - r - 4 + rng.randint(-20, 20)
    box = (
        max(0, x0),
        max(0, y0),
        min(image.width, x0 + mask.width),
        min(image.height, y0 + mask.height),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        return
    region = np.asarray(image.crop(box), dtype=np.float32)
    a = alpha[box[1] - y0 : box[3] - y0, box[0] - x0 : box[2] - x0]
    # Ink under a seal stays dark: multiply rather than paint over.
    blended = region * (1 - a) + np.minimum(region, STAMP_RED) * a
    image.paste(Image.fromarray(blended.clip(0, 255).astype(np.uint8)), box[:2])


def shadow(image: Image.Image, rng: random.Random) -> Image.Image:
    """Uneven light: a dark gradient from one side, as from a hand or a phone."""
    w, h = image.size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xx / w - 0.5) * math.cos(angle) + (yy / h - 0.5) * math.sin(angle)
    light = 1 - rng.uniform(0.2, 0.45) * np.clip(ramp + 0.5, 0, 1) ** 1.5
    out = np.asarray(image, dtype=np.float32) * light[..., None]
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


def photograph(
    image: Image.Image, rng: random.Random, *, quarter_turns: int | None = None
) -> Image.Image:
    """The page on a table, lit unevenly, skewed, turned, blurred and noisy."""
    table = tuple(rng.randint(60, 150) for _ in range(3))
    margin = int(min(image.size) * rng.uniform(0.03, 0.08))
    framed = Image.new("RGB", (image.width + 2 * margin, image.height + 2 * margin), table)  # type: ignore[arg-type]
    framed.paste(image, (margin, margin))
    framed = shadow(framed, rng)
    framed = framed.rotate(
        rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=table
    )  # type: ignore[arg-type]
    turns = rng.choice((0, 0, 1, 2, 3)) if quarter_turns is None else quarter_turns
    if turns:
        framed = framed.rotate(90 * turns, expand=True)
    framed = framed.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.1)))
    pixels = np.asarray(framed, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(2, 5), pixels.shape)
    framed = Image.fromarray((pixels + noise).clip(0, 255).astype(np.uint8))
    scale = rng.uniform(0.8, 1.0)
    return framed.resize(
        (int(framed.width * scale), int(framed.height * scale)), Image.Resampling.LANCZOS
    )


def jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()
