"""The OCR engine (RapidOCR with the PP-OCR Chinese models inside its wheel), loaded once per
process on first use, under a lock so that two threads never both load it."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rapidocr_onnxruntime import RapidOCR

_lock = threading.Lock()
_engine: RapidOCR | None = None
_run_lock = threading.Lock()


def get_engine() -> RapidOCR:
    """The process's engine; the first call loads the models (about a second)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                from rapidocr_onnxruntime import RapidOCR

                _engine = RapidOCR(print_verbose=False)
    return _engine


def run(step: str, *args: Any) -> Any:
    """Call one stage of the engine (``text_det``, ``text_cls``, ``text_rec``, ...).

    ONNX Runtime sessions are thread-safe, but each already uses every core: running two images
    at once only makes both slower, so calls are serialised.
    """
    engine = get_engine()
    with _run_lock:
        return getattr(engine, step)(*args)


def is_loaded() -> bool:
    return _engine is not None
