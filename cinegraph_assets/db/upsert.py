"""Upserts on natural keys, the same statement for PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, any_, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from cinegraph_assets.db.engine import tables_for


def table(conn: Connection, name: str) -> Table:
    return tables_for(conn.engine)[name]


def insert_statement(conn: Connection, t: Table):
    """INSERT for t in the connection's dialect (both support ON CONFLICT)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(t)
    return sqlite.insert(t)


def upsert(
    conn: Connection,
    table_name: str,
    values: Mapping[str, Any],
    key: Sequence[str],
    update: Sequence[str] | None = None,
) -> int | None:
    """Insert or update one row by its natural key and return its id (if it has one).

    `update` lists the columns a conflicting row takes from `values` (default: all
    non-key columns given). The row keeps its id, so repeated imports are stable.
    """
    t = table(conn, table_name)
    stmt = insert_statement(conn, t).values(dict(values))
    columns = [c for c in (update if update is not None else values) if c not in key]
    # Always "update" at least the key itself so RETURNING yields the existing row.
    set_ = {c: stmt.excluded[c] for c in columns} or {key[0]: stmt.excluded[key[0]]}
    stmt = stmt.on_conflict_do_update(index_elements=list(key), set_=set_)
    if "id" not in t.c:
        conn.execute(stmt)
        return None
    return conn.execute(stmt.returning(t.c.id)).scalar_one()


def insert_ignore(
    conn: Connection, table_name: str, rows: Sequence[Mapping[str, Any]], key: Sequence[str]
) -> None:
    """Insert rows, leaving any that already exist under the same key untouched (no row
    lock is taken on those). One compiled statement, executed for many rows."""
    if not rows:
        return
    t = table(conn, table_name)
    stmt = insert_statement(conn, t).on_conflict_do_nothing(index_elements=list(key))
    conn.execute(many_rows(stmt, t), [dict(r) for r in rows])


def many_rows(stmt, t: Table):
    """An INSERT ... ON CONFLICT for many rows, sent as multi-row VALUES statements:
    SQLAlchemy does that (insertmanyvalues) for such a statement only when it returns
    something; otherwise it sends one statement per row."""
    return stmt.returning(*t.primary_key.columns)


def is_in(conn: Connection, column, values: Iterable[Any]):
    """`column IN values` as one array parameter on PostgreSQL (a statement compiled
    once, whatever the number of values), an IN list on SQLite."""
    values = list(values)
    if conn.dialect.name == "postgresql":
        return column == any_(literal(values, ARRAY(column.type)))
    return column.in_(values)
