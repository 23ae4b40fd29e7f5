"""One run of the registry import: the passes over the file, the optional reading child, and
the batches handed to the checks and the writer.

A household is applied whole or not at all. Rows are grouped by household number in a first
pass that only counts rows per household; the second pass validates and buffers rows until a
household is complete, then writes complete households in set-based batches (one statement
per table and batch). Memory stays flat for files that list a household's members together,
as the national export does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import multiprocessing.process
import multiprocessing.queues
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.core.bulk import bulk_collection
from tuopin.core.errors import DomainError
from tuopin.core.imports import RowError
from tuopin.core.tabular import Limits, RowSpool, open_table

from ..errors import BadRegistryFile, ImportFailed
from ..models import Household, Person
from .checks import BatchChecker
from .columns import REQUIRED, column_label, header_labels, map_columns
from .report import ImportReport
from .rows import Batch, PendingHousehold, RowValidator, from_plain, to_plain
from .writing import write_households

if TYPE_CHECKING:
    from tuopin.accounts.models import User

logger = logging.getLogger(__name__)
CHUNK_HOUSEHOLDS = 4000  # households per batch and transaction
# A big file read in a child (the command line): fewer, larger transactions, which cost
# SQLite and PostgreSQL less per row (bench/README.md, issue 19), at ~50,000 people each.
BULK_CHUNK_HOUSEHOLDS = 16_000
PROCESS_THRESHOLD = 20_000  # rows; smaller files are read in the importing process
RELAY_POLL = 0.2  # seconds: how often the relay thread looks whether it should stop


def _produce(run: RegistryImport, channel: multiprocessing.queues.Queue[tuple[str, Any]]) -> None:
    """Body of the reading child: relay every batch, then ``done`` (or ``failed``)."""
    try:
        for batch in run._batches():
            channel.put(("batch", to_plain(batch)))
        channel.put(("done", None))
    except BaseException as exc:  # handed to the parent, which raises it
        channel.put(("failed", exc))


def _next_from(
    channel: multiprocessing.queues.Queue[tuple[str, Any]],
    child: multiprocessing.process.BaseProcess,
    stop: threading.Event | None = None,
) -> tuple[str, Any] | None:
    """The reading child's next message, a batch made whole again: ``failed`` if the child
    ended without a word (killed), and ``None`` once ``stop`` is set (the importer gave up)."""
    while stop is None or not stop.is_set():
        try:
            kind, payload = channel.get(timeout=RELAY_POLL)
            return (kind, from_plain(payload)) if kind == "batch" else (kind, payload)
        except queue.Empty:
            if not child.is_alive() and channel.empty():
                return ("failed", RuntimeError("the reading process ended without a word"))
    return None


def _relay(
    channel: multiprocessing.queues.Queue[tuple[str, Any]],
    ready: queue.Queue[tuple[str, Any]],
    child: multiprocessing.process.BaseProcess,
    stop: threading.Event,
) -> None:
    """Body of the relay thread: move the child's messages from the pipe to ``ready`` (and
    unpickle them on the way) until ``done`` or ``failed``, or until ``stop``. What goes wrong
    here (a broken pipe, a message that does not unpickle) reaches the writer as ``failed``."""
    while True:
        try:
            item = _next_from(channel, child, stop)
        except Exception as exc:
            item = ("failed", exc)
        if item is None:
            return
        while not stop.is_set():
            try:
                ready.put(item, timeout=RELAY_POLL)
                break
            except queue.Full:
                continue
        if item[0] != "batch":
            return


class RegistryImport:
    """One run of an import. Use :func:`tuopin.registry.services.import_registry`."""

    def __init__(
        self,
        path: str | Path,
        *,
        by: User | None = None,
        progress: Callable[[int], None] | None = None,
        parallel: bool = False,
        limits: Limits | None = None,
    ) -> None:
        self.path = Path(path)
        self.limits = limits or Limits.from_settings()
        # Fork a reading child for big files. Only where the process is ours alone (the
        # command line): never inside a multi-threaded web server.
        self.parallel = parallel
        self.by = by
        self.progress = progress or (lambda n: None)
        self.report = ImportReport()
        self.checker = BatchChecker(by)
        self.now = timezone.now()
        self.process_threshold = PROCESS_THRESHOLD
        self.counts: dict[str, int] | None = None  # rows per household number (first pass)
        self.present: set[str] = set()  # the columns the file has
        self.columns: dict[str, int] = {}  # column positions (first pass)
        self.labels: dict[str, str] = {}  # column titles as the file wrote them (first pass)
        self.total = 0
        self.rows_read = 0
        # XLSX is slow to parse: the first pass keeps its rows on disk for the second.
        self.spool: RowSpool | None = None
        self.chunk = CHUNK_HOUSEHOLDS

    # -- passes --------------------------------------------------------------------------
    def count_households(self) -> tuple[dict[str, int], int]:
        """First pass: rows per household number. Every limit of the file is met here,
        before anything is written."""
        table = open_table(self.path, self.limits)
        cols = map_columns(table.header)
        missing = [c for c in REQUIRED if c not in cols]
        if missing:
            raise BadRegistryFile(
                _("缺少必需的列：%(cols)s")
                % {
                    "cols": _("、").join(
                        _("%(a)s（%(b)s）") % {"a": column_label(c), "b": c} for c in missing
                    )
                }
            )
        i = cols["household_no"]
        counts: dict[str, int] = {}
        total = 0
        spool = RowSpool() if table.encoding == "xlsx" else None
        try:
            for line, values in table.rows:
                key = values[i] if i < len(values) else ""
                counts[key] = counts.get(key, 0) + 1
                total += 1
                if spool is not None:
                    spool.add(line, values)
        except BaseException:
            if spool is not None:
                spool.close()
            raise
        if spool is not None:
            spool.finish()
        self.spool = spool
        self.counts, self.total = counts, total
        self.present = set(cols)
        self.columns = cols
        self.labels = header_labels(table.header, cols)
        return counts, total

    def run(self) -> ImportReport:
        if self.counts is None:
            self.count_households()
        assert self.counts is not None
        total = self.total
        self.checker.fresh = not (Household.objects.exists() or Person.objects.exists())
        # Reading and validating is Python work, and so is most of writing: on a big file
        # outside a transaction, a forked child reads and validates while this process writes,
        # so that both cores work. Small files and imports inside a transaction stay in-process.
        use_child = (
            self.parallel and total >= self.process_threshold and not connection.in_atomic_block
        )
        if use_child:
            # Batches that look up what is there hold its households and people as well:
            # half the size keeps the importing process under 500 MB at a million.
            self.chunk = BULK_CHUNK_HOUSEHOLDS if self.checker.fresh else BULK_CHUNK_HOUSEHOLDS // 2
        # The command line's big import runs in a process of its own: the cycle collector set
        # for bulk work there (and so in the reading child it forks).
        collector = bulk_collection() if use_child else contextlib.nullcontext()
        try:
            with collector:
                batches = self._batches_from_child() if use_child else self._batches()
                for households, stray_errors, rows_read in batches:
                    self.report.errors.extend(stray_errors)
                    if households:
                        self.apply_chunk(households)
                    self.rows_read = rows_read
                    self.progress(rows_read)
        except Exception as exc:
            # What was committed stays committed (one transaction per batch): say what it
            # was, then the failure, instead of a bare error.
            self.report.errors.sort(key=lambda e: (e.line, e.column))
            raise self._failed(exc) from exc
        finally:
            if self.spool is not None:
                self.spool.close()
        self.progress(total)
        self.report.errors.sort(key=lambda e: (e.line, e.column))
        return self.report

    def _failed(self, exc: Exception) -> ImportFailed:
        d = self.report.as_dict()
        if isinstance(exc, DomainError):
            reason = exc.message
        else:
            logger.exception("registry import of %s failed", self.path.name)
            reason = _("内部错误（%(kind)s），已记入日志") % {"kind": type(exc).__name__}
        message = _(
            "导入中断：读到第 %(rows)s 行时失败（%(reason)s）。此前已写入 %(hc)s 户新增、"
            "%(hu)s 户更新、%(pc)s 人新增、%(pu)s 人更新；其余未导入。"
        ) % {
            "rows": self.rows_read,
            "reason": reason,
            "hc": d["households_created"],
            "hu": d["households_updated"],
            "pc": d["people_created"],
            "pu": d["people_updated"],
        }
        return ImportFailed(message, report=self.report, detail={**d, "rows_read": self.rows_read})

    def _batches(self) -> Iterator[Batch]:
        """Read and validate the file; yield complete households in batches, with the errors
        of rows that have no household number and the number of rows read so far."""
        counts = dict(self.counts or {})
        if self.spool is not None:
            source = self.spool.rows()
        else:
            table = open_table(self.path, self.limits)
            source = table.rows
        validator = RowValidator(self.columns, timezone.localdate(), self.labels)
        pending: dict[str, PendingHousehold] = {}
        ready: list[tuple[str, PendingHousehold]] = []
        stray: list[RowError] = []
        n = 0
        for n, (line, values) in enumerate(source, start=1):
            key = validator.household_no(values)
            result = validator.validate(line, values)
            if not key:
                stray.extend(result if isinstance(result, list) else [])
                continue
            hh = pending.setdefault(key, PendingHousehold([], [], []))
            hh.lines.append(line)
            if isinstance(result, list):
                hh.errors.extend(result)
            else:
                hh.rows.append(result)
            if len(hh.lines) == counts.get(key, 0):
                del counts[key]  # memory stays flat: finished households are forgotten
                ready.append((key, pending.pop(key)))
                if len(ready) >= self.chunk:
                    yield ready, stray, n
                    ready, stray = [], []
        ready.extend(pending.items())  # only if the file changed between the passes
        yield ready, stray, n

    def _batches_from_child(self) -> Iterator[Batch]:
        """Run :meth:`_batches` in a forked child and relay what it yields.

        The child never touches the database; the parent's connections are closed before the
        fork so that no socket is shared. At most two batches wait in the queue, so memory
        stays bounded when the database is the slower side.
        """
        ctx = multiprocessing.get_context("fork")
        channel: multiprocessing.queues.Queue[tuple[str, Any]] = ctx.Queue(maxsize=2)
        connections.close_all()
        child = ctx.Process(target=_produce, args=(self, channel), daemon=True)
        child.start()
        self.counts = {}  # the child has its copy; this process needs it no longer
        # PostgreSQL: a thread takes the next batch off the pipe and unpickles it while this
        # one waits for the server (psycopg lets go of the GIL meanwhile; bench/README, issue
        # 19). SQLite works inside this process: there the thread only competes for the GIL.
        relayed = connection.vendor != "sqlite"
        ready: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
        stop = threading.Event()
        relay = threading.Thread(target=_relay, args=(channel, ready, child, stop), daemon=True)
        if relayed:
            relay.start()
        try:
            while True:
                message = ready.get() if relayed else _next_from(channel, child)
                assert message is not None  # only a stopped relay returns None
                kind, payload = message
                if kind == "done":
                    break
                if kind == "failed":
                    raise payload
                yield payload
        finally:
            stop.set()
            if relayed:
                relay.join()
            if child.is_alive():
                child.terminate()
            child.join()

    def _identified(
        self, chunk: list[tuple[str, PendingHousehold]], errors: list[RowError]
    ) -> list[RowError]:
        """The checks' errors with the column as the file titled it and whose row it is."""
        if not errors:
            return errors
        wanted = {e.line for e in errors if not e.household_no}
        names: dict[int, tuple[str, str]] = {}
        for key, hh in chunk:
            if wanted.intersection(hh.lines):
                names |= {line: (key, "") for line in hh.lines}
                names |= {r.line: (key, r.name) for r in hh.rows}
        out = []
        for e in errors:
            header = e.header or (self.labels.get(e.column) or column_label(e.column)) * bool(
                e.column
            )
            key, name = names.get(e.line, (e.household_no, e.name))
            out.append(
                dataclasses.replace(
                    e, header=header, household_no=e.household_no or key, name=e.name or name
                )
            )
        return out

    def apply_chunk(self, chunk: list[tuple[str, PendingHousehold]]) -> None:
        """Check a batch of complete households and write the accepted ones, in one
        transaction: what was checked is what is written (the existing households are locked).

        Two imports creating the same new household at once: the second's insert fails on
        the unique household number; its batch is checked again, and finds the household.
        The same retry, with look-ups, catches anyone written by someone else while a first
        load into an empty registry skips its look-ups (``BatchChecker.fresh``).
        """
        for attempt in (1, 2):
            if attempt == 2:
                self.checker.fresh = False  # someone else wrote meanwhile: look everyone up
            try:
                with transaction.atomic():
                    checked = self.checker.check(chunk)
                    if checked.accepted:
                        write_households(
                            checked,
                            present=self.present,
                            by=self.by,
                            now=self.now,
                            report=self.report,
                            source=self.path.name,
                        )
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        self.report.errors.extend(self._identified(chunk, checked.errors))
        self.report.rejected_households += checked.rejected_households
