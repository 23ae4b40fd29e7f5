"""Background jobs (an enrollment run, a registry import) that a killed worker could leave
"running" for ever: which process carries a job, its heartbeat, and how start-up tells the
dead from the living.

A job records ``host:pid`` when a worker takes it and a heartbeat as it makes progress. On
the job's own host, a pid that no longer exists means the worker was killed; a job of another
host is taken for dead after :data:`STALE_AFTER` without a heartbeat.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

# A job on another host that has not reported for this long is taken for dead. Jobs report
# after each county or batch of rows, which takes well under this even nationally.
STALE_AFTER = dt.timedelta(hours=1)


class TracedJob(models.Model):
    """The fields that let start-up find a job whose process died. A job model declares its
    own ``status`` (with its choices), ``error`` and ``finished_at`` over these."""

    status = models.CharField(max_length=12)
    error = models.CharField(max_length=1000, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def take(model: type[TracedJob], pk: Any, *, queued: str, running: str) -> bool:
    """Take a queued job for this process: one conditional UPDATE, so that a task delivered
    twice runs once, and the job is "running" (so found if this process dies) from its first
    moment. False when the job was not queued."""
    taken = model._default_manager.filter(pk=pk, status=queued).update(
        status=running, worker=this_process(), heartbeat_at=timezone.now()
    )
    return taken == 1


def beat(**fields: Any) -> dict[str, Any]:
    """The fields to write when a job makes progress (plus ``fields``)."""
    return {"heartbeat_at": timezone.now(), **fields}


def _alive(worker: str, host: str) -> bool:
    worker_host, _sep, pid = worker.rpartition(":")
    if worker_host != host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def dead(
    rows: Iterable[tuple[Any, str, dt.datetime | None]], *, now: dt.datetime | None = None
) -> list[Any]:
    """The keys of the ``(pk, worker, heartbeat_at)`` rows of running jobs whose process is
    gone: on this host a pid that does not exist (or no worker recorded); on any host, no
    heartbeat for :data:`STALE_AFTER`."""
    now = now or timezone.now()
    host = socket.gethostname()
    found = []
    for pk, worker, heartbeat in rows:
        stale = heartbeat is None or now - heartbeat > STALE_AFTER
        if not worker or worker.rpartition(":")[0] == host:
            # A pid the system has since given to another process still looks alive: a
            # stale heartbeat settles it.
            if not _alive(worker, host) or (heartbeat is not None and stale):
                found.append(pk)
        elif stale:
            found.append(pk)
    return found


def mark_interrupted(
    model: type[TracedJob],
    *,
    running: str,
    interrupted: str,
    error: str,
    now: dt.datetime | None = None,
) -> int:
    """Set ``status = interrupted`` (with ``error``) on every job of ``model`` whose status is
    ``running`` and whose process is gone (:func:`dead`). Returns the count."""
    now = now or timezone.now()
    manager = model._default_manager
    rows = manager.filter(status=running).values_list("pk", "worker", "heartbeat_at")
    gone = dead(rows, now=now)
    if gone:
        manager.filter(pk__in=gone, status=running).update(
            status=interrupted, error=error, finished_at=now
        )
    return len(gone)
