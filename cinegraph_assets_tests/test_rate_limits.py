"""The request budget shared through the database (rate_limits.py): one statement per
admitted request, none per refusal, and the same decisions as the row itself when
other processes draw on it too."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from pyrate_limiter import Duration, Rate
from pyrate_limiter.abstracts.algorithm import GCRA

from cinegraph_assets.db.engine import get_engine
from cinegraph_assets.rate_limits import DatabaseStateStore, limiter

pytestmark = pytest.mark.postgres

RATES = [Rate(10, Duration.SECOND, burst=2)]  # a request every 100 ms, two at once


def _statements(engine) -> list[str]:
    seen: list[str] = []
    sa.event.listen(
        engine,
        "before_cursor_execute",
        lambda *args, **kwargs: seen.append(args[2]) if "rate_limits" in args[2] else None,
    )
    return seen


def _tat(engine, name: str) -> int:
    with engine.connect() as conn:
        state = conn.execute(
            sa.text("SELECT state FROM rate_limits WHERE name = :n"), {"n": name}
        ).scalar_one()
    return int(state.strip("[]"))


def test_an_admitted_request_costs_one_statement_and_a_refusal_none(pg_url):
    engine = get_engine(pg_url)
    store, gcra = DatabaseStateStore(engine, "tmdb"), GCRA()
    statements = _statements(engine)
    start = 1_000_000_000  # ms
    assert store.check(gcra, RATES, start, 1).allowed  # reads (and creates) the row
    first = len(statements)
    # Spaced at the rate: each admitted, each one compare-and-set statement.
    for i in range(1, 6):
        assert store.check(gcra, RATES, start + 100 * i, 1).allowed
    assert len(statements) == first + 5
    assert all(s.startswith("UPDATE rate_limits") and "state =" in s for s in statements[first:])
    # A burst: two admitted, the third refused with the wait GCRA computes, and the
    # refusal sent nothing to the database.
    now = start + 1_000
    assert store.check(gcra, RATES, now, 1).allowed
    assert store.check(gcra, RATES, now, 1).allowed
    sent = len(statements)
    refused = store.check(gcra, RATES, now, 1)
    assert not refused.allowed and refused.retry_after_ms == 100
    assert len(statements) == sent
    assert _tat(engine, "tmdb") == (now + 200) * 1000


def test_another_process_drawing_on_the_budget_is_seen_before_admitting(pg_url):
    engine = get_engine(pg_url)
    mine, other, gcra = (
        DatabaseStateStore(engine, "omdb"),
        DatabaseStateStore(engine, "omdb"),
        GCRA(),
    )
    start = 2_000_000_000
    assert mine.check(gcra, RATES, start, 1).allowed
    # The other process takes the whole burst at the next instant.
    assert other.check(gcra, RATES, start + 100, 1).allowed
    assert other.check(gcra, RATES, start + 100, 1).allowed
    # What this process remembers would admit; the row does not, and decides.
    refused = mine.check(gcra, RATES, start + 100, 1)
    assert not refused.allowed and refused.retry_after_ms == 100
    assert mine.check(gcra, RATES, start + 200, 1).allowed
    assert _tat(engine, "omdb") == (start + 400) * 1000
    # Reset: both start afresh.
    mine.reset()
    assert mine.check(gcra, RATES, start, 1).allowed


def test_threads_of_two_processes_stay_within_the_rate_together(pg_url):
    """Two limiters on one row, as two run workers: four threads each, and every
    second of their admissions within the rate and its burst."""
    engine = get_engine(pg_url)
    limiters = [limiter("shared", 40, engine, burst=4)]
    other = get_engine(pg_url + "?application_name=other")
    limiters.append(limiter("shared", 40, other, burst=4))
    assert limiters[0] is not limiters[1]
    admitted: list[float] = []
    lock = threading.Lock()

    def draw(limit, n):
        for _ in range(n):
            limit.try_acquire("shared", blocking=True)
            with lock:
                admitted.append(time.monotonic())

    threads = [threading.Thread(target=draw, args=(lim, 15)) for lim in limiters for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    admitted.sort()
    assert len(admitted) == 120
    # Any one second holds at most the rate, the burst, and a little for the time
    # between an admission and its recording here.
    most = max(sum(1 for t in admitted[i:] if t - first < 1.0) for i, first in enumerate(admitted))
    assert most <= 40 + 4 + 2
