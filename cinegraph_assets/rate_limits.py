"""Request-rate budgets shared by every process and machine of the deployment.

Each run is a process of its own, so a limiter in memory is per run: two concurrent
TMDb steps at "40/s" would send 80/s. The budget of each upstream is therefore kept
in the data database (table `rate_limits`), as the constant-size state of
pyrate-limiter's GCRA algorithm: one short transaction per request reads and
advances it under a row lock. The clock is the wall clock, shared by machines
that keep NTP time. The library does the arithmetic; this module only stores it.

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


class DatabaseStateStore(StateStore):
    """pyrate-limiter state in a row of `rate_limits`, advanced atomically."""

    is_async = False
    default_clock = WallClock()

    def __init__(self, engine: Engine, name: str):
        self.engine = engine
        self.name = name
        self._fallback = InMemoryStateStore()
        self._lock_clause = " FOR UPDATE" if engine.dialect.name == "postgresql" else ""

    def check(self, algorithm, rates, now, weight):
        try:
            with self.engine.begin() as conn:
                state = self._locked_state(conn, algorithm, rates)
                new_state, decision = algorithm.step(rates, state, now, weight)
                if decision.allowed:
                    conn.execute(
                        text(_UPDATE),
                        {"name": self.name, "state": json.dumps(new_state), "at": _now()},
                    )
                return decision
        except DBAPIError as exc:
            log.warning(
                f"shared rate budget {self.name!r} unavailable ({type(exc.orig).__name__}); "
                "limiting in this process until it is back"
            )
            return self._fallback.check(algorithm, rates, now, weight)

    def _locked_state(self, conn, algorithm, rates):
        row = conn.execute(text(_SELECT + self._lock_clause), {"name": self.name}).first()
        if row is None:
            initial = json.dumps(algorithm.initial(rates))
            conn.execute(text(_INSERT), {"name": self.name, "state": initial, "at": _now()})
            row = conn.execute(text(_SELECT + self._lock_clause), {"name": self.name}).first()
        state = tuple(json.loads(row.state))
        # A changed rate setting changes the state's shape: start that budget afresh.
        return state if len(state) == len(algorithm.initial(rates)) else algorithm.initial(rates)

    def read(self, algorithm, rates):
        with self.engine.connect() as conn:
            row = conn.execute(text(_SELECT), {"name": self.name}).first()
        return tuple(json.loads(row.state)) if row else algorithm.initial(rates)

    def reset(self) -> None:
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
