"""Upserts on natural keys, the same statement for PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from cinegraph_assets.db.engine import tables_for


def chunks(items: Sequence, size: int = 500) -> Iterable[Sequence]:
    """Slices of at most `size` items, for IN lists that must stay a sane length."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ids_by(conn: Connection, table_name: str, key: str, values: Sequence) -> dict[Any, int]:
    """{value: id} of the rows of `table_name` whose unique column `key` holds one of
    `values` (a missing value is absent from the result)."""
    query = _ids_by_query(table(conn, table_name), key)
    out: dict[Any, int] = {}
    for chunk in chunks(values):
        out.update(conn.execute(query, {"values": list(chunk)}).all())
    return out


@lru_cache(maxsize=256)
def _ids_by_query(t: Table, key: str):
    """One statement object per table and key: SQLAlchemy computes a statement's cache
    key once per object, and building it anew cost more than the query (three lookups
    a film, one of them in the section every TMDb write waits for)."""
    return select(t.c[key], t.c.id).where(t.c[key].in_(bindparam("values", expanding=True)))


def bound(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values under update_by's parameter names ("b_" + column)."""
    return {f"b_{k}": v for k, v in values.items()}


@lru_cache(maxsize=64)
def update_by(t: Table, key: str, columns: tuple[str, ...]):
    """UPDATE t SET <column> = :b_<column>, ... WHERE <key> = :b_<key>, built once per
    table, key and columns (see _ids_by_query): for one row's `bound` values, or many
    rows' in one executemany. SQLAlchemy keeps the columns' own names for the SET
    clause, hence the prefix."""
    return (
        update(t)
        .where(t.c[key] == bindparam(f"b_{key}"))
        .values({c: bindparam(f"b_{c}", type_=t.c[c].type) for c in columns})
    )


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
    lock is taken on those)."""
    insert_rows(conn, table_name, rows, key=key)


def insert_rows(
    conn: Connection,
    table_name: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Sequence[str] = (),
    update: Sequence[str] = (),
    only_if_changed: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple]:
    """INSERT many rows (dicts with the same keys) in multi-row VALUES statements. With
    `key`: ON CONFLICT on it, DO NOTHING, or DO UPDATE of the `update` columns (and, with
    only_if_changed, only where one of them differs: unchanged rows are not rewritten).
    With `returning`: those columns of the rows inserted or updated (not of the rows
    ON CONFLICT left alone), in no particular order.

    On PostgreSQL the statement is written once and the rows go through psycopg2's
    execute_values (pages of 1,000): SQLAlchemy's own multi-row rendering costs more
    Python time per row than the row costs the database, a tenth of a run worker's CPU
    at a bulk import. SQLite takes SQLAlchemy's statement."""
    if not rows:
        return []
    t = table(conn, table_name)
    columns = list(rows[0])
    if conn.dialect.name != "postgresql":
        stmt = _sqlalchemy_insert(conn, t, key, update, only_if_changed, returning)
        result = conn.execute(stmt, [dict(r) for r in rows])
        return [tuple(r) for r in result] if returning else []
    from psycopg2.extras import execute_values

    sql = f"INSERT INTO {_quoted(t.name)} ({', '.join(map(_quoted, columns))}) VALUES %s"
    if key:
        sql += f" ON CONFLICT ({', '.join(map(_quoted, key))}) "
        if update:
            sets = ", ".join(f"{_quoted(c)} = EXCLUDED.{_quoted(c)}" for c in update)
            sql += f"DO UPDATE SET {sets}"
            if only_if_changed:
                changed = " OR ".join(
                    f"{_quoted(t.name)}.{_quoted(c)} IS DISTINCT FROM EXCLUDED.{_quoted(c)}"
                    for c in update
                )
                sql += f" WHERE {changed}"
        else:
            sql += "DO NOTHING"
    if returning:
        sql += f" RETURNING {', '.join(map(_quoted, returning))}"
    with raw_cursor(conn) as cursor:
        found = execute_values(
            cursor, sql, _row_values(t, rows, columns), page_size=1000, fetch=bool(returning)
        )
    return [tuple(r) for r in found] if returning else []


def _row_values(t: Table, rows: Sequence[Mapping[str, Any]], columns: list[str]) -> list[tuple]:
    """The rows as tuples in column order, JSON values (dicts, lists) wrapped for
    psycopg2. Only the JSON columns are looked at value by value: a film writes
    thousands of values, and a check of every one was most of this function's cost."""
    from psycopg2.extras import Json

    # itemgetter of one column gives the value itself, of several a tuple.
    get = itemgetter(*columns) if len(columns) > 1 else lambda r: (r[columns[0]],)
    values = [get(r) for r in rows]
    json_at = [
        i
        for i, c in enumerate(columns)
        if isinstance(t.c[c].type, JSON) or isinstance(rows[0][c], (dict, list))
    ]
    if not json_at:
        return values
    out = []
    for row in values:
        row = list(row)
        for i in json_at:
            if isinstance(row[i], (dict, list)):
                row[i] = Json(row[i])
        out.append(tuple(row))
    return out


def pg_array(values: Iterable[Any]) -> str:
    """A PostgreSQL array literal ('{1,2,NULL}', '{"a b","c"}') of ints or strings, for
    a parameter cast to an array type in the statement.

    psycopg2 adapts a list element by element into ARRAY[...], and the server then
    parses and analyses one expression per element: a film's 365 collaboration pairs
    took 2.6 ms a statement, client and server together, against 0.5 ms as one string
    that the server reads with array_in."""
    values = list(values)
    if all(type(v) is int for v in values):  # the common case, joined in C
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join(map(_array_element, values)) + "}"


def _array_element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return _quoted_element(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"pg_array takes ints, strings and None, not {type(value).__name__}")
    return str(value)


@lru_cache(maxsize=4096)  # a film's columns of text repeat a few values (pair kinds)
def _quoted_element(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def array_columns(rows: Sequence[tuple]) -> list[str]:
    """Rows as one array literal per column (pg_array): the array parameters of an
    unnest (run_raw), each cast to its type in the statement."""
    return [pg_array(column) for column in zip(*rows, strict=True)]


def run_raw(conn: Connection, sql: str, params: Mapping[str, Any], fetch: bool = False) -> list:
    """One statement through psycopg2 itself (array parameters as pg_array literals);
    its rows when `fetch`."""
    with raw_cursor(conn) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if fetch else []


@contextmanager
def raw_cursor(conn: Connection) -> Iterator[Any]:
    """A psycopg2 cursor on the connection's transaction, for the statements psycopg2
    runs with less Python per row than SQLAlchemy (execute_values, array parameters)."""
    cursor = conn.connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def _sqlalchemy_insert(conn, t: Table, key, update, only_if_changed: bool, returning=()):
    stmt = insert_statement(conn, t)
    if key and update:
        where = None
        if only_if_changed:
            where = or_(*(t.c[c].is_distinct_from(stmt.excluded[c]) for c in update))
        stmt = stmt.on_conflict_do_update(
            index_elements=list(key), set_={c: stmt.excluded[c] for c in update}, where=where
        )
    elif key:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(key))
    # SQLAlchemy sends many rows as multi-row VALUES (insertmanyvalues) only for a
    # statement that returns something; otherwise one statement per row.
    return stmt.returning(*([t.c[c] for c in returning] or t.primary_key.columns))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_in(conn: Connection, column, values: Iterable[Any]):
    """`column IN values` as one array parameter on PostgreSQL (a statement compiled
    once, whatever the number of values), an IN list on SQLite."""
    values = list(values)
    if conn.dialect.name == "postgresql":
        return column == any_(cast(literal(pg_array(values), Text), ARRAY(column.type)))
    return column.in_(values)
