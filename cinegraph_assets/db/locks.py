"""The one lock order every writer of shared rows follows (PostgreSQL).

Rows of `movies` and `people` are shared: a year links nominees and films to them,
a movie's TMDb write fills them in, merges a nominee into the TMDb person and moves
credits. Those writers touch the same rows in different orders, and unique-key
updates take FOR UPDATE row locks that conflict with the FOR KEY SHARE locks of
foreign-key inserts. So every transaction that creates, re-keys, merges or links
movies and people takes the IDENTITY advisory lock first, before any row lock:
they take turns, and their conflict checks run under it. These writes are short
(one statement per table), so the turns are short.

Collaboration pairs are shared between movies too; their writers do not take
IDENTITY (they never re-key people) and instead lock the pair rows they recount in
pair order (`movies/collaboration_store.py`); the rare rebuild of a movie written
before can still meet another writer crosswise, and is retried on deadlock.

SQLite needs none of this: a write transaction holds the database lock from BEGIN.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

# Arbitrary constants, the same in every process (migrations use 74_120_931).
IDENTITY = 74_120_932
# One process at a time refreshes planner statistics (db/statistics.py); the others
# skip rather than queue behind it.
STATISTICS = 74_120_933


def take(conn: Connection, lock: int) -> None:
    """Hold `lock` until the transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})
