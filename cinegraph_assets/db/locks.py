"""The one lock order every writer of shared rows follows (PostgreSQL).

Rows of `movies` and `people` are shared: a year links nominees and films to them,
a movie's TMDb write fills them in, merges a nominee into the TMDb person and moves
credits. Those writers touch the same rows in different orders, and unique-key
updates take FOR UPDATE row locks that conflict with the FOR KEY SHARE locks of
foreign-key inserts. So every transaction that creates, re-keys, merges or links
movies and people takes the IDENTITY advisory lock first, before any row lock:
they take turns, and their conflict checks run under it.

A film's TMDb write is the exception that makes the movie phase fast: it takes IDENTITY
shared, then, in key order, the keys of the identities it changes: its IMDb id, its TMDb
film, the TMDb people it creates or claims a nominee as, the people it merges nominees
into and those nominees (movies/store.py, people_store.PeoplePlan). Writers that change
no identity in common run at once; two that do take turns on it, the second starting
after the first commits, so each reads the other's people before deciding anything.
The plan of keys is read after IDENTITY (no year writer changes anything from then on)
and read again under the keys; if another TMDb write changed these people in between,
the write takes the keys it now needs too (a rare late key, covered by PostgreSQL's
deadlock detection and the retry). People a write only credits or refreshes are not
locked: nobody deletes a person TMDb knows or changes their TMDb id, and a refresh is an
ordinary row update. The writers above keep IDENTITY exclusive, so they wait for the
TMDb writes in progress and none starts while they run. Measured on the Oscar history:
with every TMDb write holding IDENTITY alone, or the keys of every person it credits,
a third of a TMDb batch's thread time went to waiting for these locks (popular people
are in many films at once).

Collaboration pairs are shared between movies too; their writers do not take
IDENTITY (they never re-key people) and instead lock the pair rows they recount in
pair order (`movies/collaboration_store.py`); the rare rebuild of a movie written
before can still meet another writer crosswise, and is retried on deadlock.

SQLite needs none of this: a write transaction holds the database lock from BEGIN.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

# Arbitrary constants, the same in every process (migrations use 74_120_931).
IDENTITY = 74_120_932
# One process at a time refreshes planner statistics (db/statistics.py); the others
# skip rather than queue behind it.
STATISTICS = 74_120_933


# Identity keys live in the same bigint space as the constants above, each kind in a
# range of its own far above them (ids stay far below 2**40).
_KIND = 1 << 40
MOVIE_IMDB, FILM_TMDB, PERSON_TMDB, PERSON_ROW = (k * _KIND for k in range(1, 5))
# PostgreSQL's lock table is shared and sized by max_locks_per_transaction (64 a
# connection by default): the write of a film crediting more people than this takes
# IDENTITY exclusive instead, as the other writers do.
MAX_IDENTITY_KEYS = 256


def take(conn: Connection, lock: int) -> None:
    """Hold `lock` until the transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})


def take_shared(conn: Connection, lock: int) -> None:
    """Hold `lock` shared until the transaction ends: alongside other shared holders,
    never alongside an exclusive one."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock_shared(:k)"), {"k": lock})


def take_keys(conn: Connection, keys: Iterable[int]) -> None:
    """Hold every key until the transaction ends, taken in ascending order so that two
    transactions wanting some of the same keys never hold one each and wait for the
    other's."""
    if conn.dialect.name != "postgresql":
        return
    # A subquery with ORDER BY is not flattened: the outer scan calls the lock function
    # row by row in that order.
    conn.execute(
        text(
            "SELECT count(pg_advisory_xact_lock(k)) FROM ("
            "SELECT unnest(CAST(:keys AS BIGINT[])) AS k ORDER BY 1) AS wanted"
        ),
        {"keys": sorted(set(keys))},
    )
