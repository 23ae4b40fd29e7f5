"""Read the text lines of an upright-by-EXIF photo in whatever way up the paper lies.

The page's quarter turn is found from the text itself: the detector's boxes of a page lying on
its side are tall instead of wide (so we turn it by 90° and detect again), and the direction
classifier's votes over the longest lines say whether it is upside down (so we turn the boxes
and the line crops by 180°, no second detection). Every box is also given back in the stored
image's pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from tuopin.documents.recognition import engine
from tuopin.documents.recognition.layout import Read

DETECT_SIDE = 1024
"""Text is found on a copy this size (the slowest stage, and lines print large enough); it is
read from the full working image."""
MIN_SCORE = 0.45
"""Lines the recogniser is less sure of than this are dropped (stamps, pattern, noise)."""


@dataclass(frozen=True)
class Page:
    """The lines of a page in its upright frame (``width`` × ``height``) and the turn applied."""

    lines: list[Read]
    width: int
    height: int
    quarter_turns: int
    skew_degrees: float


def _sides(box: np.ndarray) -> tuple[float, float]:
    w = float(np.linalg.norm(box[1] - box[0]))
    h = float(np.linalg.norm(box[3] - box[0]))
    return w, h


def _lies_on_its_side(boxes: np.ndarray) -> bool:
    tall = wide = 0.0
    for box in boxes:
        w, h = _sides(box)
        if h > 1.5 * w:
            tall += h
        elif w > 1.5 * h:
            wide += w
    return tall > wide


def _order(box: np.ndarray) -> np.ndarray:
    """Corners clockwise from the top left (after a turn the old top left is elsewhere)."""
    s = box.sum(axis=1)
    d = np.diff(box, axis=1).ravel()
    return np.array([box[np.argmin(s)], box[np.argmin(d)], box[np.argmax(s)], box[np.argmax(d)]])


def _to_stored(points: np.ndarray, turns: int, width: int, height: int) -> np.ndarray:
    """Undo ``turns`` counter-clockwise quarter turns of a ``width`` × ``height`` image."""
    pts = points.astype(np.float64).copy()
    w, h = (height, width) if turns % 2 else (width, height)
    for _ in range(turns % 4):
        # A point (x, y) of an image turned 90° counter-clockwise came from (w' - y, x),
        # where w' is the width before that turn (the height after it).
        x, y = pts[:, 0].copy(), pts[:, 1].copy()
        pts[:, 0], pts[:, 1] = h - y, x
        w, h = h, w
    return pts


def _upside_down(crops: list[np.ndarray], boxes: np.ndarray) -> bool:
    """Majority of the direction classifier over the longest lines, weighted by its confidence."""
    widths = [_sides(b)[0] for b in boxes]
    longest = sorted(range(len(crops)), key=lambda i: -widths[i])[:40]
    sample = [crops[i] for i in longest if crops[i].shape[1] > 1.8 * crops[i].shape[0]]
    if not sample:
        return False
    _, votes, _ = engine.run("text_cls", sample)
    flipped = sum(score for label, score in votes if label == "180")
    upright = sum(score for label, score in votes if label == "0")
    return flipped > upright


def _padded(box: np.ndarray, width: int, height: int) -> np.ndarray:
    """The box grown along its line by a third of its height at each end: the detector
    sometimes clips the first or last character (新化县 read as 化县)."""
    along = box[1] - box[0]
    length = float(np.linalg.norm(along))
    if length < 1:
        return box
    pad = along / length * 0.35 * _sides(box)[1]
    grown = box.copy()
    grown[[0, 3]] -= pad
    grown[[1, 2]] += pad
    grown[:, 0] = grown[:, 0].clip(0, width - 1)
    grown[:, 1] = grown[:, 1].clip(0, height - 1)
    return grown.astype(np.float32)


def _without_red(crop: np.ndarray) -> np.ndarray | None:
    """The crop with a red seal's ink turned to paper, or None if there is hardly any red.

    Seals (公章) are stamped over the very fields we read; black print under red ink stays
    dark in every channel, the seal's ink is bright in red and dark in green and blue.
    """
    b, g, r = (crop[..., i].astype(np.int16) for i in range(3))
    red = (r > 120) & (r - np.maximum(g, b) > 50)
    if red.mean() < 0.02:
        return None
    clean = crop.copy()
    paper = np.percentile(crop.reshape(-1, 3), 90, axis=0).astype(np.uint8)
    clean[red] = paper
    return clean


def _recognise(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Text and confidence of each crop; crops under a seal are read again without its red and
    the cleaner reading kept (a red-printed title read without red comes out empty)."""
    cleaned = {i: c for i, crop in enumerate(crops) if (c := _without_red(crop)) is not None}
    texts, _ = engine.run("text_rec", crops + list(cleaned.values()))
    out = [(str(t).strip(), float(s)) for t, s in texts[: len(crops)]]
    for i, (text, score) in zip(cleaned, texts[len(crops) :], strict=True):
        if str(text).strip() and float(score) >= 0.8:
            out[i] = (str(text).strip(), float(score))
    return out


def _skew(boxes: np.ndarray) -> float:
    angles = []
    for box in boxes:
        w, h = _sides(box)
        if w > 3 * h:
            angles.append(math.degrees(math.atan2(box[1][1] - box[0][1], box[1][0] - box[0][0])))
    return float(np.median(angles)) if angles else 0.0


def _detect(bgr: np.ndarray) -> np.ndarray | None:
    """Text boxes of ``bgr`` in its own pixels, found on a copy at most DETECT_SIDE wide/high."""
    ratio = min(1.0, DETECT_SIDE / max(bgr.shape[:2]))
    small = (
        bgr
        if ratio == 1.0
        else cv2.resize(bgr, None, fx=ratio, fy=ratio, interpolation=cv2.INTER_AREA)
    )
    boxes, _ = engine.run("text_det", small)
    if boxes is None or len(boxes) == 0:
        return None
    return np.asarray(boxes, dtype=np.float32) / ratio


def read_page(image: Image.Image, scale: float) -> Page:
    """OCR ``image`` (RGB, working size); boxes in the stored image are scaled by ``scale``."""
    bgr = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    height, width = bgr.shape[:2]
    turns = 0
    boxes = _detect(bgr)
    if boxes is None:
        return Page([], width, height, 0, 0.0)
    if _lies_on_its_side(boxes):
        bgr = np.ascontiguousarray(np.rot90(bgr))
        turns = 1
        boxes = _detect(bgr)
        if boxes is None:
            return Page([], width, height, 0, 0.0)
    boxes = np.array(engine.get_engine().sorted_boxes(boxes))
    h, w = bgr.shape[:2]
    crops = engine.run("get_crop_img_list", bgr, [_padded(b, w, h) for b in boxes])
    if _upside_down(crops, boxes):
        turns += 2
        boxes = np.array([_order(np.column_stack([w - b[:, 0], h - b[:, 1]])) for b in boxes])
        crops = [cv2.rotate(c, cv2.ROTATE_180) for c in crops]
    texts = _recognise(crops)
    up_h, up_w = bgr.shape[:2]
    lines = []
    for box, (text, score) in zip(boxes, texts, strict=True):
        if not text or score < MIN_SCORE:
            continue
        stored = _to_stored(box, turns, width, height) * scale
        lines.append(Read(text, float(score), box.astype(float), stored))
    return Page(lines, up_w, up_h, turns % 4, _skew(boxes))
