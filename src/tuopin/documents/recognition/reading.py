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


def _skew(boxes: np.ndarray) -> float:
    angles = []
    for box in boxes:
        w, h = _sides(box)
        if w > 3 * h:
            angles.append(math.degrees(math.atan2(box[1][1] - box[0][1], box[1][0] - box[0][0])))
    return float(np.median(angles)) if angles else 0.0


def read_page(image: Image.Image, scale: float) -> Page:
    """OCR ``image`` (RGB, working size); boxes in the stored image are scaled by ``scale``."""
    bgr = cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)
    height, width = bgr.shape[:2]
    turns = 0
    boxes, _ = engine.run("text_det", bgr)
    if boxes is None or len(boxes) == 0:
        return Page([], width, height, 0, 0.0)
    if _lies_on_its_side(boxes):
        bgr = np.ascontiguousarray(np.rot90(bgr))
        turns = 1
        boxes, _ = engine.run("text_det", bgr)
        if boxes is None or len(boxes) == 0:
            return Page([], width, height, 0, 0.0)
    boxes = np.array(engine.get_engine().sorted_boxes(boxes))
    crops = engine.run("get_crop_img_list", bgr, boxes)
    if _upside_down(crops, boxes):
        turns += 2
        h, w = bgr.shape[:2]
        boxes = np.array([_order(np.column_stack([w - b[:, 0], h - b[:, 1]])) for b in boxes])
        crops = [cv2.rotate(c, cv2.ROTATE_180) for c in crops]
    texts, _ = engine.run("text_rec", crops)
    up_h, up_w = bgr.shape[:2]
    lines = []
    for box, (text, score) in zip(boxes, texts, strict=True):
        text = text.strip()
        if not text or score < MIN_SCORE:
            continue
        stored = _to_stored(box, turns, width, height) * scale
        lines.append(Read(text, float(score), box.astype(float), stored))
    return Page(lines, up_w, up_h, turns % 4, _skew(boxes))
