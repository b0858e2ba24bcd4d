"""Planner statistics and JIT on the data database (PostgreSQL): a table that grew past
its last analysis is analyzed at the end of a step, and only one process does it at a
time; data connections never JIT-compile."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.db.statistics import refresh_statistics


def _grow_movies(db: DatabaseResource, n: int) -> None:
    with db.transaction() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO movies (imdb_id)"
                " SELECT 'tt' || (9000000 + g) FROM generate_series(1, :n) g"
            ),
            {"n": n},
        )
    with db.transaction() as conn:
        # The inserting backend reports its counts when idle; ask for it now.
        conn.execute(sa.text("SELECT pg_stat_force_next_flush()"))


def _stale(db: DatabaseResource) -> set[str]:
    with db.transaction() as conn:
        return set(
            conn.execute(
                sa.text(
                    "SELECT relname FROM pg_stat_user_tables"
                    " WHERE n_mod_since_analyze > 1000 + 0.1 * n_live_tup"
                )
            ).scalars()
        )


def _wait_until(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.postgres
def test_a_grown_table_is_analyzed_and_then_left_alone(pg_url):
    db = DatabaseResource(url=pg_url)
    _grow_movies(db, 5000)
    assert _wait_until(lambda: "movies" in _stale(db))

    analyzed = db.transaction(refresh_statistics)

    assert "movies" in analyzed
    with db.transaction() as conn:
        estimate = conn.execute(
            sa.text("SELECT reltuples FROM pg_class WHERE relname = 'movies'")
        ).scalar()
    assert estimate >= 5000  # the planner now knows the table's size
    assert _wait_until(lambda: "movies" not in _stale(db))
    assert "movies" not in db.transaction(refresh_statistics)


@pytest.mark.postgres
def test_only_one_process_refreshes_at_a_time(pg_url):
    db = DatabaseResource(url=pg_url)
    _grow_movies(db, 5000)
    assert _wait_until(lambda: "movies" in _stale(db))
    with db.transaction() as holder:
        holder.execute(sa.text("SELECT pg_advisory_xact_lock(74120933)"))
        assert db.transaction(refresh_statistics) == []  # skipped, not queued
    assert "movies" in db.transaction(refresh_statistics)


def test_nothing_to_do_on_sqlite(sqlite_url):
    db = DatabaseResource(url=sqlite_url)
    assert db.transaction(refresh_statistics) == []


@pytest.mark.postgres
def test_data_connections_never_jit_compile(pg_url):
    db = DatabaseResource(url=pg_url)
    with db.transaction() as conn:
        assert conn.execute(sa.text("SHOW jit")).scalar() == "off"
