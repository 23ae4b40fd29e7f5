"""Streaming reader for the spreadsheets people actually send: CSV in UTF-8 (with or without
BOM) or GB18030/GBK, and XLSX. Rows come out one at a time with their line numbers.

Every file is read under :class:`Limits` (bytes, rows, columns, cell length, and for XLSX the
uncompressed sizes in the zip directory): a hostile or careless file is refused with a stable
code after reading no more than the limit, never after exhausting memory or a core. Nothing
here trusts what a file declares about itself (an XLSX ``dimension``).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from charset_normalizer import from_bytes
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import DomainError

SAMPLE_BYTES = 256 * 1024
# Python's csv module refuses a field past this many characters; a cell limit above it would
# never be reached, so it is also the largest cell limit the settings may ask for.
CSV_FIELD_LIMIT = 131_072
# Spreadsheet XML deflates 5–20×, at most ~100× for sheets of empty styled cells; a member
# of more than 16 MiB that deflates past 200× is a zip bomb.
BOMB_MIN_BYTES = 16 * 1024 * 1024
BOMB_RATIO = 200
EXCEL_MAX_LINES = 1_048_576  # no spreadsheet program writes more lines than this
SHARED_STRINGS = "sharedstrings.xml"  # the part openpyxl loads whole, wherever it sits


class UnreadableFile(DomainError):
    """The file cannot be read at all (missing, wrong format, undecodable)."""

    code = "unreadable_file"


class TableTooLarge(DomainError):
    """The file is past one of the :class:`Limits`; ``code`` says which."""

    code = "file_too_large"
    status = 413


@dataclass(frozen=True)
class Limits:
    """How much of a file the reader accepts. ``None`` means no limit (the command line).

    ``max_line_chars`` bounds one physical CSV line, so that a file with no line breaks is
    refused after that many characters instead of read whole into memory.
    """

    max_bytes: int | None = 64 * 1024 * 1024
    max_rows: int | None = 500_000
    max_columns: int = 256
    max_cell_chars: int = 4096
    max_line_chars: int = 1024 * 1024
    max_unzipped_bytes: int | None = 512 * 1024 * 1024
    max_shared_strings_bytes: int | None = 16 * 1024 * 1024

    @classmethod
    def from_settings(cls) -> Limits:
        """The limits for uploads, from the ``TUOPIN_UPLOAD_*``/``TUOPIN_IMPORT_*`` settings."""
        return cls(
            max_bytes=settings.TUOPIN_UPLOAD_MAX_BYTES,
            max_rows=settings.TUOPIN_IMPORT_MAX_ROWS,
            max_columns=settings.TUOPIN_IMPORT_MAX_COLUMNS,
            max_cell_chars=min(settings.TUOPIN_IMPORT_MAX_CELL_CHARS, CSV_FIELD_LIMIT),
            max_unzipped_bytes=settings.TUOPIN_IMPORT_MAX_UNZIPPED_BYTES,
            max_shared_strings_bytes=settings.TUOPIN_IMPORT_MAX_SHARED_STRINGS_BYTES,
        )

    def for_command_line(self) -> Limits:
        """The same shape limits without the size limits: the command line imports whole
        provinces, run by someone who chose the file."""
        return replace(
            self,
            max_bytes=None,
            max_rows=None,
            max_unzipped_bytes=None,
            max_shared_strings_bytes=None,
        )


@dataclass
class Table:
    """A header and a row iterator; ``rows`` yields ``(line_number, values)``. Reading every
    row releases the file; a caller that stops early calls :meth:`close`."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str
    release: Callable[[], None] | None = None  # what holds the file open, if anything

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()
        if self.release is not None:
            self.release()


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
        raise UnreadableFile(_("无法识别文件编码（请保存为 UTF-8 或 GBK）"))
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


def _check_shape(line: int, cells: list[str], limits: Limits) -> None:
    if len(cells) > limits.max_columns:
        # Trailing empty cells (a sheet formatted far to the right) do not count.
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > limits.max_columns:
            raise TableTooLarge(
                _("第 %(line)s 行有 %(n)s 列，最多 %(max)s 列")
                % {"line": line, "n": len(cells), "max": limits.max_columns},
                code="too_many_columns",
                detail={"line": line, "limit": limits.max_columns},
            )
    if cells and max(map(len, cells)) > limits.max_cell_chars:
        raise _cell_too_long(line, limits)


def _cell_too_long(line: int, limits: Limits) -> TableTooLarge:
    return TableTooLarge(
        _("第 %(line)s 行有单元格超过 %(max)s 个字符")
        % {"line": line, "max": limits.max_cell_chars},
        code="cell_too_long",
        detail={"line": line, "limit": limits.max_cell_chars},
    )


def _too_many_rows(limits: Limits) -> TableTooLarge:
    return TableTooLarge(
        _("文件超过 %(max)s 行，请分成几个文件导入") % {"max": limits.max_rows or EXCEL_MAX_LINES},
        code="too_many_rows",
        detail={"limit": limits.max_rows or EXCEL_MAX_LINES},
    )


def _bounded_lines(fh: IO[str], limits: Limits, first_line: int) -> Iterator[str]:
    """The file's physical lines, refusing one longer than ``max_line_chars`` after reading
    only that much of it."""
    line = first_line
    while True:
        text = fh.readline(limits.max_line_chars + 1)
        if not text:
            return
        if len(text) > limits.max_line_chars:
            raise TableTooLarge(
                _("第 %(line)s 行超过 %(max)s 个字符")
                % {"line": line, "max": limits.max_line_chars},
                code="line_too_long",
                detail={"line": line, "limit": limits.max_line_chars},
            )
        line += 1
        yield text


def _csv_rows(path: Path, encoding: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding=encoding, newline="") as fh:
        reader = csv.reader(_bounded_lines(fh, limits, 1))
        rows = 0
        while True:
            try:
                values = next(reader, None)
            except csv.Error as exc:  # "field larger than field limit"
                raise _cell_too_long(reader.line_num, limits) from exc
            except UnicodeDecodeError as exc:  # the sample decoded, a later line does not
                raise UnreadableFile(
                    _("第 %(line)s 行附近的文字编码无法识别（请保存为 UTF-8 或 GBK）")
                    % {"line": reader.line_num + 1},
                    code="bad_encoding",
                ) from exc
            if values is None:
                return
            if reader.line_num == 1:
                continue  # the header
            cells = [v.strip() for v in values]
            if not any(cells):
                continue
            _check_shape(reader.line_num, cells, limits)
            rows += 1
            if limits.max_rows is not None and rows > limits.max_rows:
                raise _too_many_rows(limits)
            yield reader.line_num, cells


def _check_zip(path: Path, limits: Limits) -> None:
    """Refuse a zip bomb by the uncompressed sizes in the zip directory, before any of it is
    inflated (reading never inflates a member past the size its entry declares)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(_("无法读取 XLSX 文件：%(e)s") % {"e": exc}) from exc
    total = sum(i.file_size for i in infos)
    if limits.max_unzipped_bytes is not None and total > limits.max_unzipped_bytes:
        raise TableTooLarge(
            _("XLSX 文件解压后过大（%(n)s 字节，最多 %(max)s）")
            % {"n": total, "max": limits.max_unzipped_bytes},
            code="xlsx_too_large",
            detail={"limit": limits.max_unzipped_bytes},
        )
    # One cell can be a whole member (an inline string), parsed into memory at once: a member
    # that inflates far more than spreadsheet XML does is a bomb, whatever the total.
    for info in infos:
        if info.file_size > BOMB_MIN_BYTES and info.file_size > BOMB_RATIO * max(
            info.compress_size, 1
        ):
            raise TableTooLarge(
                _("XLSX 文件中的 %(name)s 压缩比异常，拒绝读取") % {"name": info.filename},
                code="xlsx_too_large",
                detail={"member": info.filename},
            )
    strings = sum(i.file_size for i in infos if i.filename.lower().endswith(SHARED_STRINGS))
    # openpyxl keeps every shared string in memory for the whole read.
    if limits.max_shared_strings_bytes is not None and strings > limits.max_shared_strings_bytes:
        raise TableTooLarge(
            _("XLSX 文件的共享字符串过大（%(n)s 字节，最多 %(max)s），请另存为 CSV")
            % {"n": strings, "max": limits.max_shared_strings_bytes},
            code="shared_strings_too_large",
            detail={"limit": limits.max_shared_strings_bytes},
        )


def _xlsx_table(path: Path, limits: Limits) -> Table:
    """Open an XLSX once: the header and the rows come from the same pass over the sheet."""
    from openpyxl import load_workbook

    _check_zip(path, limits)
    wb = None
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        # The declared dimension may claim A1:XFD1048576 for a file of one cell; without it,
        # rows come as the sheet has them (never max_row/max_column/calculate_dimension).
        ws.reset_dimensions()
        source: Iterator[tuple[Any, ...]] = ws.iter_rows(values_only=True)
        first = next(source, None)
        if not first:
            raise UnreadableFile(_("文件为空，没有表头"))
        header = [cell_text(v) for v in first]
        _check_shape(1, header, limits)
    except (TableTooLarge, UnreadableFile):
        if wb is not None:  # a long-lived worker must not keep the file open
            wb.close()
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        if wb is not None:
            wb.close()
        raise UnreadableFile(_("无法读取 XLSX 文件：%(e)s") % {"e": exc}) from exc

    def rows() -> Iterator[tuple[int, list[str]]]:
        n = 0
        try:
            for line, values in enumerate(source, start=2):
                # A row numbered far below the last makes openpyxl yield every empty row
                # between: stop where no spreadsheet program goes.
                if line > EXCEL_MAX_LINES:
                    raise _too_many_rows(limits)
                if not values:
                    continue
                texts = [cell_text(v) for v in values]
                if not any(texts):
                    continue
                _check_shape(line, texts, limits)
                n += 1
                if limits.max_rows is not None and n > limits.max_rows:
                    raise _too_many_rows(limits)
                yield line, texts
        finally:
            wb.close()

    return Table(header, rows(), "xlsx", release=wb.close)


def open_table(path: str | Path, limits: Limits | None = None) -> Table:
    """Open a CSV or XLSX file for streaming under ``limits`` (default: the upload limits
    from the settings). Raises :class:`UnreadableFile` or :class:`TableTooLarge`; the rows
    iterator raises :class:`TableTooLarge` at the first row past a limit."""
    path = Path(path)
    limits = limits or Limits.from_settings()
    if not path.is_file():
        raise UnreadableFile(_("文件不存在：%(p)s") % {"p": path})
    size = path.stat().st_size
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise file_too_large(size, limits.max_bytes)
    with path.open("rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_table(path, limits)
    if b"\x00" in head[:4096]:
        raise UnreadableFile(_("不是 CSV 或 XLSX 文件"))
    encoding = detect_encoding(head)
    try:
        with path.open(encoding=encoding, newline="") as fh:
            first = next(_bounded_lines(fh, limits, 1), "")
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnreadableFile(_("无法识别文件编码：%(e)s") % {"e": exc}) from exc
    try:
        header = next(csv.reader([first]), None)
    except csv.Error as exc:
        raise _cell_too_long(1, limits) from exc
    if not header or not any(h.strip() for h in header):
        raise UnreadableFile(_("文件为空，没有表头"))
    header = [h.strip() for h in header]
    _check_shape(1, header, limits)
    return Table(header, _csv_rows(path, encoding, limits), encoding)


def file_too_large(size: int, limit: int) -> TableTooLarge:
    """The refusal of a file past the byte limit (also used when an upload is cut short)."""
    return TableTooLarge(
        _("文件过大（%(n)s MB，最多 %(max)s MB）")
        % {"n": round(size / 1048576, 1), "max": round(limit / 1048576, 1)},
        code="file_too_large",
        detail={"limit": limit},
    )


# A cell starting with one of these is run as a formula by Excel, WPS or LibreOffice (a
# leading tab or carriage return is dropped first), so a written cell never starts with one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The cell as text a spreadsheet shows rather than runs: an apostrophe before a leading
    ``= + - @``, tab or CR (OWASP CSV injection). Numbers and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row through :func:`neutralise`: call it on every row written to a CSV
    or XLSX that people will open (exports, reports of rejected rows)."""
    return [neutralise(v) for v in values]


class RowSpool:
    """Rows kept on disk after one pass over a file that is slow to parse (XLSX), so that a
    second pass reads them back instead of parsing the file again. Cells are within the
    limits already, so the CSV here never meets the csv module's field limit."""

    def __init__(self) -> None:
        self._fh = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._fh)

    def add(self, line: int, values: list[str]) -> None:
        self._writer.writerow([line, *values])

    def finish(self) -> None:
        """Flush what was written (before a fork: a child must not inherit a full buffer)."""
        self._fh.flush()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        self._fh.flush()
        self._fh.seek(0)
        for record in csv.reader(self._fh):
            yield int(record[0]), record[1:]

    def close(self) -> None:
        self._fh.close()
