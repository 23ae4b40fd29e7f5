"""Streaming reader for the spreadsheets people actually send: CSV in UTF-8 (with or without
BOM) or GB18030/GBK, and XLSX. Rows come out one at a time with their line numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import DomainError

SAMPLE_BYTES = 256 * 1024


class UnreadableFile(DomainError):
    """The file cannot be read at all (missing, wrong format, undecodable)."""

    code = "unreadable_file"


@dataclass
class Table:
    """A header and a row iterator; ``rows`` yields ``(line_number, values)``."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig``, ``utf-8`` or ``gb18030`` (which reads GBK and GB2312 too).

    Chinese spreadsheets are UTF-8 or GBK; a generic detector guesses Korean or Japanese for
    short GBK text, so GB18030 is tried first and the detector only after it fails.
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if len(sample) >= SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # do not cut a character in two
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(sample).best()
    if best is None:
        raise UnreadableFile("无法识别文件编码（请保存为 UTF-8 或 GBK）")
    return best.encoding


def cell_text(value: object) -> str:
    """Render a spreadsheet cell as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        for values in reader:
            cells = [v.strip() for v in values]
            if any(cells):
                yield reader.line_num, cells


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        for line, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if line == 1:
                continue
            texts = [cell_text(v) for v in values]
            if any(texts):
                yield line, texts
    finally:
        wb.close()


def open_table(path: str | Path) -> Table:
    """Open a CSV or XLSX file for streaming. Raises :class:`UnreadableFile`."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"文件不存在：{path}")
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if head.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
            first = next(wb.worksheets[0].iter_rows(values_only=True, max_row=1), None)
            wb.close()
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise UnreadableFile(f"无法读取 XLSX 文件：{exc}") from exc
        if not first:
            raise UnreadableFile("文件为空，没有表头")
        return Table([cell_text(v) for v in first], _xlsx_rows(path), "xlsx")
    if b"\x00" in head[:4096]:
        raise UnreadableFile("不是 CSV 或 XLSX 文件")
    encoding = detect_encoding(head)
    try:
        with path.open(encoding=encoding, newline="") as fh:
            header = next(csv.reader(io.StringIO(fh.readline())), None)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnreadableFile(f"无法识别文件编码：{exc}") from exc
    if not header or not any(h.strip() for h in header):
        raise UnreadableFile("文件为空，没有表头")
    return Table([h.strip() for h in header], _csv_rows(path, encoding), encoding)
