"""A CJK font for the synthetic documents: the Noto Sans CJK wheel we depend on, else the system's.

Only the renderer needs one; recognition and the tests read the committed JPEGs.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import subprocess
from pathlib import Path

from PIL import ImageFont

SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


class FontMissing(RuntimeError):
    """No font with Chinese glyphs is installed."""


def _packaged() -> list[Path]:
    spec = importlib.util.find_spec("cvttf_NotoSansCJK_Regular")
    if spec is None or not spec.submodule_search_locations:
        return []
    return sorted(
        p for loc in spec.submodule_search_locations for p in Path(loc).glob("*.[ot]t[fc]")
    )


def _fontconfig() -> list[Path]:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return []
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [fc_match, "-f", "%{file}", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [Path(out)] if out and "DejaVu" not in out else []


@functools.cache
def font_files() -> tuple[Path, ...]:
    """Every CJK font found, the packaged Noto Sans CJK first."""
    found = [*_packaged(), *_fontconfig(), *(Path(p) for p in SYSTEM_FONTS)]
    unique = list(dict.fromkeys(p for p in found if p.is_file()))
    if not unique:
        raise FontMissing(
            "no CJK font: pip install cvttf-NotoSansCJK-Regular or fonts-wqy-microhei"
        )
    return tuple(unique)


@functools.cache
def font(size: int, variant: int = 0) -> ImageFont.FreeTypeFont:
    files = font_files()
    return ImageFont.truetype(str(files[variant % len(files)]), size)
