"""DatabaseResource.transaction: one unit of work, committed whole or not at all, run
again after a deadlock (real ones, on PostgreSQL), never after a real error."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from cinegraph_assets.db import DatabaseResource, array_columns, is_in, pg_array, run_raw
from cinegraph_assets.db.resource import is_retryable


@pytest.mark.postgres
def test_a_deadlocked_unit_of_work_is_run_again(pg_url):
    db = DatabaseResource(url=pg_url)
    with db.transaction() as conn:
        conn.execute(sa.text("CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL)"))
        conn.execute(sa.text("INSERT INTO counters VALUES (1, 0), (2, 0)"))
    both_hold_one = threading.Barrier(2)
    reported: list[str] = []
    errors: list[BaseException] = []

    def unit(first: int, second: int):
        attempts = []

        def work(conn):
            attempts.append(1)
            conn.execute(sa.text("UPDATE counters SET n = n + 1 WHERE id = :i"), {"i": first})
            if len(attempts) == 1:
                both_hold_one.wait(timeout=10)  # each holds the row the other wants next
            conn.execute(sa.text("UPDATE counters SET n = n + 1 WHERE id = :i"), {"i": second})

        return work

    def run(work):
        try:
            db.transaction(work, what="counting", on_retry=reported.append)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(unit(a, b),)) for a, b in ((1, 2), (2, 1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    # PostgreSQL chose one victim; it was rolled back whole and run again.
    assert len(reported) == 1 and "DeadlockDetected" in reported[0]
    assert "counting" in reported[0] and "running it again" in reported[0]
    with db.transaction() as conn:
        assert dict(conn.execute(sa.text("SELECT id, n FROM counters")).all()) == {1: 2, 2: 2}


def test_a_real_error_is_not_retried_and_writes_nothing(db):
    with db.transaction() as conn:
        conn.execute(sa.text("CREATE TABLE things (id INT PRIMARY KEY)"))
    attempts = []

    def work(conn):
        attempts.append(1)
        conn.execute(sa.text("INSERT INTO things VALUES (1)"))
        conn.execute(sa.text("INSERT INTO things VALUES (1)"))

    with pytest.raises(IntegrityError):
        db.transaction(work)
    assert len(attempts) == 1
    with db.transaction() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM things")).scalar() == 0


def test_what_counts_as_worth_running_again():
    class Orig(Exception):
        def __init__(self, message, pgcode=None):
            super().__init__(message)
            self.pgcode = pgcode

    def error(message, pgcode=None):
        return sa.exc.OperationalError("SELECT 1", {}, Orig(message, pgcode))

    assert is_retryable(error("deadlock detected", "40P01"))
    assert is_retryable(error("could not serialize access", "40001"))
    assert is_retryable(error("server closed the connection unexpectedly"))
    assert is_retryable(error("the database system is starting up", "57P03"))
    assert is_retryable(error("database is locked"))
    assert not is_retryable(error("syntax error at or near", "42601"))
    assert not is_retryable(ValueError("not a database error"))


@pytest.mark.postgres
def test_array_literals_reach_postgresql_exactly(pg_url):
    """pg_array's literals (run_raw's unnest arrays, is_in's values) arrive as the
    values they were: quotes, backslashes, commas, braces, spaces, NULLs, big ints."""
    texts = ["plain", "two words", "a,b", "{brace}", 'quote"d', "back\\slash", "", "NULL", None]
    ints = [1, -2, 9_007_199_254_740_993, None, 0, 5, 6, 7, 8]
    db = DatabaseResource(url=pg_url)
    with db.transaction() as conn:
        ints_literal, texts_literal = array_columns(list(zip(ints, texts, strict=True)))
        rows = run_raw(
            conn,
            "SELECT i, t FROM unnest(%(i)s::bigint[], %(t)s::text[]) WITH ORDINALITY AS x (i, t, n)"
            " ORDER BY n",
            {"i": ints_literal, "t": texts_literal},
            fetch=True,
        )
        assert rows == list(zip(ints, texts, strict=True))
        conn.execute(sa.text("CREATE TABLE names (id BIGINT PRIMARY KEY, name TEXT)"))
        conn.execute(
            sa.text("INSERT INTO names VALUES (:id, :name)"),
            [{"id": n, "name": t} for n, t in enumerate(texts) if t is not None],
        )
        names = sa.table("names", sa.column("id", sa.BigInteger), sa.column("name", sa.Text))
        wanted = ["a,b", 'quote"d', "back\\slash", "NULL", "absent"]
        found = conn.execute(sa.select(names.c.name).where(is_in(conn, names.c.name, wanted)))
        assert sorted(found.scalars()) == sorted(wanted[:-1])
        by_id = conn.execute(sa.select(names.c.id).where(is_in(conn, names.c.id, [0, 2, 99])))
        assert sorted(by_id.scalars()) == [0, 2]
    with pytest.raises(TypeError, match="ints, strings and None"):
        pg_array([1.5])
