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
from tuopin.core.bulk import any_of, casts, rows_of, update_column
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
    with transaction.atomic():  # one commit for the batch, the tokens' "last used" included
        _plan_by_key()
        return _adopt_many(asks, now)


def _plan_by_key() -> None:
    """Every statement of a batch finds its rows by key, and so must PostgreSQL's deferred
    foreign-key checks at its commit: one per journal line for the adoption it names. Those
    checks' plans are made once per connection; made while ``forest_adoption`` was still
    small (a new install's, or a new season's first flash, its statistics saying "empty"),
    each is a sequential scan, kept until autovacuum next analyses the table, and every
    check of the flash reads the whole growing table (measured: 535 → 45 µs of commit an
    adoption, bench README). Sequential scans off for the batch's transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")


def _adopt_many(asks: Sequence[Ask], now: dt.datetime) -> list[Outcome]:
    out: list[Outcome | None] = [None] * len(asks)
    users = accounts.users_of_tokens({a.token for a in asks})
    firsts = _firsts(set(users.values()), {a.key for a in asks})
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


def _firsts(users: set[int], keys: set[str]) -> dict[tuple[int, str], Adoption]:
    """The adoptions already made under these callers' keys (replays): one plain query,
    and the ORM only for the few it finds."""
    if not users:
        return {}
    by_user, params = any_of("user_id", users, *casts(Adoption, ["user_id"]))
    by_key, more = any_of("key", keys, *casts(Adoption, ["key"]))
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id, user_id, key FROM {Adoption._meta.db_table} "  # noqa: S608 - params
            f"WHERE {by_user} AND {by_key}",
            [*params, *more],
        )
        found = {pk: (user, key) for pk, user, key in cur.fetchall()}
    if not found:
        return {}
    return {
        (a.user_id, a.key): a
        for a in Adoption.objects.filter(pk__in=found).select_related("project__county")
    }


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
    balance = _locked_balances(users)

    def decide(left: int) -> list[Refused | None]:
        """Each request in order: ``None`` to adopt, or its refusal."""
        out: list[Refused | None] = []
        spent: dict[int, int] = {}
        took: dict[int, int] = {}
        for a, user in asks:
            cost = a.units * project.energy_per_unit_g
            if left < a.units:
                out.append(Refused(partial(rules.sold_out, project)))
            elif cap is not None and held[user].units + took.get(user, 0) + a.units > cap:
                out.append(Refused(partial(rules.cap_reached, project)))
            elif balance.get(user, 0) - spent.get(user, 0) < cost:
                out.append(Refused(partial(rules.not_enough_energy, cost)))
            else:
                left -= a.units
                spent[user] = spent.get(user, 0) + cost
                took[user] = took.get(user, 0) + a.units
                out.append(None)
        return out

    # What the batch would take with inventory enough; then as few shards as hold that.
    need = sum(a.units for (a, _u), no in zip(asks, decide(2**62), strict=True) if no is None)
    shards = _lock_shards(project, need)
    out: list[Outcome] = []
    made: list[Adoption] = []
    for (a, user), refusal in zip(asks, decide(sum(r for _pk, r in shards)), strict=True):
        if refusal is not None:
            out.append(refusal)
            continue
        adoption = Adoption(
            project=project,
            user_id=user,
            units=a.units,
            energy_g=a.units * project.energy_per_unit_g,
            key=a.key,
            created_at=now,
        )
        made.append(adoption)
        out.append(Adopted(adoption, created=True))
    if made:
        _write(project, made, balance, held, shards)
    return out


def _locked_balances(users: list[int]) -> dict[int, int]:
    """The users' balances, their account rows locked until the commit (no row: no energy)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    where, params = any_of("user_id", users, *casts(EnergyAccount, ["user_id"]))
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT user_id, balance_g FROM {EnergyAccount._meta.db_table} "  # noqa: S608 - params
            f"WHERE {where} ORDER BY user_id{lock}",
            params,
        )
        return dict(cur.fetchall())


def _lock_shards(project: Project, need: int) -> list[tuple[int, int]]:
    """Lock shards holding ``need`` units between them, or every shard with units left.

    First shards no other batch holds, one at a time in random order (PostgreSQL's SKIP
    LOCKED: batches of other processes take other shards, not turns); then, if those hold
    too little, every other shard with units left in order, waiting for them. SQLite has
    no row locks: its IMMEDIATE transaction holds the whole database already."""
    got: list[tuple[int, int]] = []
    free = Shard.objects.select_for_update(skip_locked=True).filter(
        project=project, remaining__gt=0
    )
    while sum(r for _pk, r in got) < need:
        row = (
            free.exclude(pk__in=[pk for pk, _r in got])
            .order_by("?")
            .values_list("pk", "remaining")[:1]
        )
        found = list(row)
        if not found:
            break
        got += found
    if sum(r for _pk, r in got) < need:
        got += list(
            Shard.objects.select_for_update()
            .filter(project=project, remaining__gt=0)
            .exclude(pk__in=[pk for pk, _r in got])
            .order_by("no")
            .values_list("pk", "remaining")
        )
    return got


def _write(
    project: Project,
    made: list[Adoption],
    balance: dict[int, int],
    held: dict[int, Holding],
    shards: list[tuple[int, int]],
) -> None:
    """The batch's writes, one statement each (raw SQL: the ORM's bulk paths cost more
    CPU per row than the database does)."""
    adoption, entry = Adoption._meta, EnergyEntry._meta
    token, at = adoption.get_field("token"), adoption.get_field("created_at")
    when = at.get_db_prep_value(made[0].created_at, connection)
    rows = [
        (
            project.pk,
            a.user_id,
            a.units,
            a.energy_g,
            a.key,
            token.get_db_prep_value(a.token, connection),
            when,
        )
        for a in made
    ]
    columns = ["project_id", "user_id", "units", "energy_g", "key", "token", "created_at"]
    source, params = rows_of(rows, casts(Adoption, columns))
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {adoption.db_table} ({', '.join(columns)}) {source} "  # noqa: S608 - params
            "RETURNING id, user_id, key",
            params,
        )
        ids = {(user, key): pk for pk, user, key in cur.fetchall()}
        for a in made:
            a.pk = ids[(a.user_id, a.key)]
        columns = ["user_id", "kind", "pending_g", "balance_g", "adoption_id", "at"]
        lines = [(a.user_id, EntryKind.SPENT.value, 0, -a.energy_g, a.pk, when) for a in made]
        source, params = rows_of(lines, casts(EnergyEntry, columns))
        cur.execute(
            f"INSERT INTO {entry.db_table} ({', '.join(columns)}) {source}",  # noqa: S608 - params
            params,
        )
        spent: dict[int, int] = {}
        for a in made:
            spent[a.user_id] = spent.get(a.user_id, 0) + a.energy_g
        update_column(
            cur,
            EnergyAccount,
            "user_id",
            "balance_g",
            {u: balance[u] - g for u, g in spent.items()},
        )
        if held:
            took: dict[int, int] = {}
            for a in made:
                took[a.user_id] = took.get(a.user_id, 0) + a.units
            units = {held[u].pk: held[u].units + n for u, n in took.items()}
            update_column(cur, Holding, "id", "units", units)
        taking, left = sum(a.units for a in made), {}
        for pk, remaining in shards:
            part = min(taking, remaining)
            if part:
                left[pk] = remaining - part
                taking -= part
        update_column(cur, Shard, "id", "remaining", left)


@dataclass
class _Waiting:
    ask: Ask
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome | None = None
    error: BaseException | None = None
    then: Callable[[Outcome | None, BaseException | None], None] | None = None


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

    def submit(
        self, ask: Ask, then: Callable[[Outcome | None, BaseException | None], None]
    ) -> None:
        """Hand ``ask`` over without waiting: ``then(outcome, error)`` is called from the
        batcher's thread once it is decided (the flash front's event loop)."""
        self._ensure_running()
        self._queue.put(_Waiting(ask, then=then))

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
            if waiting.then is not None:
                waiting.then(waiting.outcome, waiting.error)


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
