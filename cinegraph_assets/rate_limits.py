"""Request-rate budgets shared by every process and machine of the deployment.

Each run is a process of its own, so a limiter in memory is per run: two concurrent
TMDb steps at "40/s" would send 80/s. The budget of each upstream is therefore kept
in the data database (table `rate_limits`), as the constant-size state of
pyrate-limiter's GCRA algorithm. The clock is the wall clock, shared by machines
that keep NTP time. The library does the arithmetic; this module only stores it.

A request costs one statement: each process remembers the state it last read or
wrote, lets the algorithm advance that, and stores the result only if the row still
holds what it remembered (compare and set, in autocommit). Only when another process
advanced the row meanwhile does it read the row under a lock and decide again, in a
transaction. A refusal needs no statement at all: GCRA's state (the theoretical arrival
time) only moves forward, so a remembered state is at most as far along as the row,
and what it refuses the row would refuse too. Before, every request was a transaction
of four round trips (BEGIN, SELECT ... FOR UPDATE, UPDATE, COMMIT), and every refusal
while a fetcher waited its turn one of three.

If the database cannot be reached for a moment (a restart), requests fall back to a
budget in this process so work goes on, and the shared one is used again as soon as
it answers.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timezone

from pyrate_limiter import Duration, Limiter, Rate
from pyrate_limiter.abstracts.store import StateStore
from pyrate_limiter.buckets import InMemoryStateStore, StateBucket
from pyrate_limiter.clocks import WallClock
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

_SELECT = "SELECT state FROM rate_limits WHERE name = :name"
_INSERT = (
    "INSERT INTO rate_limits (name, state, updated_at) VALUES (:name, :state, :at) "
    "ON CONFLICT (name) DO NOTHING"
)
_UPDATE = "UPDATE rate_limits SET state = :state, updated_at = :at WHERE name = :name"
_COMPARE_AND_SET = _UPDATE + " AND state = :seen"


class DatabaseStateStore(StateStore):
    """pyrate-limiter state in a row of `rate_limits`, advanced atomically."""

    is_async = False
    default_clock = WallClock()

    def __init__(self, engine: Engine, name: str):
        self.engine = engine
        self.name = name
        self._fallback = InMemoryStateStore()
        self._lock_clause = " FOR UPDATE" if engine.dialect.name == "postgresql" else ""
        # The row as this process last read or wrote it: (state, the row's text).
        self._seen: tuple[tuple, str] | None = None
        # On PostgreSQL the compare and set runs in autocommit: one statement, without
        # BEGIN and COMMIT. SQLite's connections take BEGIN IMMEDIATE (db/engine.py).
        self._single = (
            engine.execution_options(isolation_level="AUTOCOMMIT").connect
            if engine.dialect.name == "postgresql"
            else engine.begin
        )

    def check(self, algorithm, rates, now, weight):
        try:
            decision = self._check_seen(algorithm, rates, now, weight)
            if decision is not None:
                return decision
            with self.engine.begin() as conn:
                state, in_row = self._locked_state(conn, algorithm, rates)
                new_state, decision = algorithm.step(rates, state, now, weight)
                if decision.allowed:
                    state, in_row = new_state, json.dumps(new_state)
                    conn.execute(text(_UPDATE), {"name": self.name, "state": in_row, "at": _now()})
                self._seen = (tuple(state), in_row)
                return decision
        except DBAPIError as exc:
            log.warning(
                f"shared rate budget {self.name!r} unavailable ({type(exc.orig).__name__}); "
                "limiting in this process until it is back"
            )
            return self._fallback.check(algorithm, rates, now, weight)

    def _check_seen(self, algorithm, rates, now, weight):
        """The decision from the remembered state (module docstring): a refusal as it
        is, an admission if the row still holds that state; None to decide on the row."""
        seen = self._seen
        if seen is None or len(seen[0]) != len(algorithm.initial(rates)):
            return None
        new_state, decision = algorithm.step(rates, seen[0], now, weight)
        if not decision.allowed:
            return decision
        stored = json.dumps(new_state)
        with self._single() as conn:
            changed = conn.execute(
                text(_COMPARE_AND_SET),
                {"name": self.name, "state": stored, "at": _now(), "seen": seen[1]},
            ).rowcount
        if changed != 1:
            return None
        self._seen = (tuple(new_state), stored)
        return decision

    def _locked_state(self, conn, algorithm, rates):
        row = conn.execute(text(_SELECT + self._lock_clause), {"name": self.name}).first()
        if row is None:
            initial = json.dumps(algorithm.initial(rates))
            conn.execute(text(_INSERT), {"name": self.name, "state": initial, "at": _now()})
            row = conn.execute(text(_SELECT + self._lock_clause), {"name": self.name}).first()
        state = tuple(json.loads(row.state))
        # A changed rate setting changes the state's shape: start that budget afresh.
        if len(state) != len(algorithm.initial(rates)):
            state = algorithm.initial(rates)
        return state, row.state

    def read(self, algorithm, rates):
        with self.engine.connect() as conn:
            row = conn.execute(text(_SELECT), {"name": self.name}).first()
        return tuple(json.loads(row.state)) if row else algorithm.initial(rates)

    def reset(self) -> None:
        self._seen = None
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM rate_limits WHERE name = :name"), {"name": self.name})


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _rate(per_second: float, burst: int | None) -> Rate:
    # GCRA spaces requests evenly; a small burst keeps the pace smoother than the
    # upstream's own bucket, which would answer 429 to a burst at its edge.
    if per_second >= 1:
        return Rate(int(per_second), Duration.SECOND, burst=burst)
    return Rate(1, int(1000 / per_second), burst=1)


_limiters: dict[tuple, Limiter] = {}
_limiters_lock = threading.Lock()


def limiter(
    name: str, per_second: float, engine: Engine | None = None, *, burst: int | None = None
) -> Limiter | None:
    """The limiter for one upstream: shared through `engine`'s database, or (without
    an engine) by the threads of this process only. None when per_second <= 0."""
    if per_second <= 0:
        return None
    if burst is None:
        burst = max(1, int(per_second // 4))
    key = (name, per_second, burst, str(engine.url) if engine is not None else None)
    with _limiters_lock:
        if key not in _limiters:
            store = DatabaseStateStore(engine, name) if engine is not None else None
            bucket = StateBucket([_rate(per_second, burst)], store=store)
            _limiters[key] = Limiter(bucket)
        return _limiters[key]
