"""Flash adoptions in batches: group commit (ADR 0013, "The flash door").

:func:`adopt_many` decides a batch of adoption requests in arrival order by the rules and
with the answers of :func:`adoption.adopt`, in one transaction of a fixed number of
statements whatever the batch's size: the tokens in one read, the replays in one read, then
per project the holdings, the energy accounts and the shards locked in that order (the
order ``adopt`` takes them), every decision made in memory against the locked rows, and the
adoptions, their journal lines, the accounts, the holdings and the shards written in one
statement each. Nothing is oversold and no account goes below zero for the same reason as
in ``adopt``: every row decided on is locked (SQLite: the whole transaction is IMMEDIATE).

:class:`Batcher` is one per web process: a request thread hands its request over and
waits; the batcher's thread takes everything queued while the previous batch committed,
so batches grow with the load and an idle site answers at once. A batch that fails on a
concurrent writer (a key inserted by another process, a deadlock, SQLite busy) is tried
again whole; one that keeps failing is answered one request at a time by ``adopt``.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from tuopin.accounts import services as accounts
from tuopin.core.errors import DomainError

from . import adoption as rules
from .adoption import Adopted
from .models import (
    Adoption,
    EnergyAccount,
    EnergyEntry,
    EntryKind,
    Holding,
    Project,
    ProjectStatus,
    Shard,
)

logger = logging.getLogger(__name__)

MOST = 500  # requests in one batch
TRIES = 3  # a batch that meets a concurrent writer is tried again whole this many times


@dataclass(frozen=True)
class Ask:
    """One adoption request as it came: the caller's bearer token, not yet checked."""

    token: str
    project_slug: str
    units: int
    key: str


@dataclass(frozen=True)
class Refused:
    """A refusal, built by the requester (in its language): ``make()`` is the error."""

    make: Callable[[], DomainError]


class Unauthenticated:
    """The token names no active user: the request goes to the ordinary API (its 401)."""


class Later:
    """The same caller and key came earlier in the batch: asked again after it commits."""


UNAUTHENTICATED = Unauthenticated()
LATER = Later()
Outcome = Adopted | Refused | Unauthenticated | Later


def adopt_many(asks: Sequence[Ask], now: dt.datetime | None = None) -> list[Outcome]:
    """Decide ``asks`` in order (module docstring); one outcome for each."""
    now = now or timezone.now()
    out: list[Outcome | None] = [None] * len(asks)
    users = accounts.users_of_tokens({a.token for a in asks})
    firsts = {
        (a.user_id, a.key): a
        for a in Adoption.objects.filter(
            user_id__in=set(users.values()), key__in={a.key for a in asks}
        ).select_related("project__county")
    }
    fresh: dict[str, list[int]] = {}
    seen: set[tuple[int, str]] = set()
    for i, a in enumerate(asks):
        user_id = users.get(a.token)
        if user_id is None:
            out[i] = UNAUTHENTICATED
        elif (first := firsts.get((user_id, a.key))) is not None:
            out[i] = _replay(first, a)
        elif (user_id, a.key) in seen:
            out[i] = LATER
        else:
            seen.add((user_id, a.key))
            fresh.setdefault(a.project_slug, []).append(i)
    for slug, where in fresh.items():
        decided = _adopt_in(slug, [(asks[i], users[asks[i].token]) for i in where], now)
        for i, outcome in zip(where, decided, strict=True):
            out[i] = outcome
    return [o for o in out if o is not None]


def _replay(first: Adoption, a: Ask) -> Outcome:
    if rules.same_request(first, a.project_slug, a.units):
        return Adopted(first, created=False)
    return Refused(partial(rules.key_reused, first.key))


def _adopt_in(slug: str, asks: list[tuple[Ask, int]], now: dt.datetime) -> list[Outcome]:
    project = (
        Project.objects.filter(slug=slug)
        .exclude(status=ProjectStatus.DRAFT)
        .select_related("county")
        .first()
    )
    if project is None:
        return [Refused(partial(rules.not_found, slug))] * len(asks)
    if not rules.is_open(project, now):
        return [Refused(partial(rules.not_open, project))] * len(asks)
    cap = project.per_person_cap
    out: list[Outcome | None] = [None] * len(asks)
    wanted = []
    for i, (a, _user) in enumerate(asks):
        if cap is not None and a.units > cap:
            out[i] = Refused(partial(rules.cap_reached, project))
        else:
            wanted.append(i)
    if wanted:
        with transaction.atomic():
            decided = _take_all(project, [asks[i] for i in wanted], now)
        for i, outcome in zip(wanted, decided, strict=True):
            out[i] = outcome
    return [o for o in out if o is not None]


def _take_all(project: Project, asks: list[tuple[Ask, int]], now: dt.datetime) -> list[Outcome]:
    """Lock, decide, write (module docstring). Inside the caller's transaction."""
    users = sorted({user for _a, user in asks})
    cap = project.per_person_cap
    held: dict[int, Holding] = {}
    if cap is not None:
        Holding.objects.bulk_create(
            [Holding(user_id=u, project=project, units=0) for u in users], ignore_conflicts=True
        )
        held = {
            h.user_id: h
            for h in Holding.objects.select_for_update()
            .filter(project=project, user_id__in=users)
            .order_by("user_id")
        }
    energy = {
        a.pk: a
        for a in EnergyAccount.objects.select_for_update().filter(pk__in=users).order_by("pk")
    }
    shards = list(
        Shard.objects.select_for_update().filter(project=project, remaining__gt=0).order_by("no")
    )
    left = sum(s.remaining for s in shards)
    out: list[Outcome] = []
    made: list[Adoption] = []
    for a, user in asks:
        cost = a.units * project.energy_per_unit_g
        account = energy.get(user)
        if left < a.units:
            out.append(Refused(partial(rules.sold_out, project)))
        elif cap is not None and held[user].units + a.units > cap:
            out.append(Refused(partial(rules.cap_reached, project)))
        elif account is None or account.balance_g < cost:
            out.append(Refused(partial(rules.not_enough_energy, cost)))
        else:
            left -= a.units
            account.balance_g -= cost
            if cap is not None:
                held[user].units += a.units
            adopted = Adoption(
                project=project,
                user_id=user,
                units=a.units,
                energy_g=cost,
                key=a.key,
                created_at=now,
            )
            made.append(adopted)
            out.append(Adopted(adopted, created=True))
    if made:
        _write(project, made, energy, held, shards, now)
    return out


def _write(
    project: Project,
    made: list[Adoption],
    energy: dict[int, EnergyAccount],
    held: dict[int, Holding],
    shards: list[Shard],
    now: dt.datetime,
) -> None:
    Adoption.objects.bulk_create(made)
    EnergyEntry.objects.bulk_create(
        EnergyEntry(
            user_id=a.user_id, kind=EntryKind.SPENT, balance_g=-a.energy_g, adoption=a, at=now
        )
        for a in made
    )
    spenders = {a.user_id for a in made}
    EnergyAccount.objects.bulk_update([energy[u] for u in spenders], ["balance_g"])
    if held:
        Holding.objects.bulk_update([held[u] for u in spenders], ["units"])
    taking = sum(a.units for a in made)
    changed = []
    for s in shards:  # the fullest shards first would also do; any order is exact
        part = min(taking, s.remaining)
        if part:
            s.remaining -= part
            taking -= part
            changed.append(s)
    Shard.objects.bulk_update(changed, ["remaining"])


@dataclass
class _Waiting:
    ask: Ask
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome | None = None
    error: BaseException | None = None


class Batcher:
    """Group commit for one process (module docstring)."""

    def __init__(self, most: int = MOST) -> None:
        self.most = most
        self._queue: queue.SimpleQueue[_Waiting | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def adopt(self, ask: Ask, timeout: float = 120.0) -> Outcome:
        """Hand ``ask`` over and wait for its outcome (never :data:`LATER`)."""
        waiting = _Waiting(ask)
        self._ensure_running()
        self._queue.put(waiting)
        if not waiting.done.wait(timeout):
            raise TimeoutError("flash batcher did not answer")
        if waiting.error is not None:
            raise waiting.error
        assert waiting.outcome is not None
        return waiting.outcome

    def _ensure_running(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="flash", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """End the thread once what is queued before has been answered (tests, shutdown)."""
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = []
            item = self._queue.get()
            while item is not None:
                batch.append(item)
                if len(batch) >= self.most:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            stopping = item is None
            if batch:
                self._serve(batch)
        connection.close()

    def _serve(self, batch: list[_Waiting]) -> None:
        try:
            outcomes = _decide(batch)
        except BaseException as e:  # noqa: BLE001 - every waiter must hear of it
            logger.exception("flash batch of %s failed", len(batch))
            outcomes = [e] * len(batch)
        finally:
            close_old_connections()
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Later):
                self._queue.put(waiting)
                continue
            if isinstance(outcome, BaseException):
                waiting.error = outcome
            else:
                waiting.outcome = outcome
            waiting.done.set()


def _decide(batch: list[_Waiting]) -> list[Outcome | BaseException]:
    asks = [w.ask for w in batch]
    for _try in range(TRIES):
        try:
            return list(adopt_many(asks))
        except (IntegrityError, DatabaseError):
            # Another process wrote first (the same key, a row this batch waits for): the
            # transaction rolled back whole; the next try reads what it committed.
            continue
    return [_one(a) for a in asks]


def _one(a: Ask) -> Outcome | BaseException:
    """The last resort: one request in its own transaction, as ``adopt`` would."""
    try:
        return adopt_many([a])[0]
    except BaseException as e:  # noqa: BLE001
        return e


BATCHER = Batcher()
