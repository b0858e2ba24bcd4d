"""A checksum of the data: equal for two databases holding the same facts.

    python -m cinegraph_assets.checksum [DATABASE_URL]     # default: the configured one

Every data table is hashed row by row, ignoring only what differs between two correct
imports of the same upstream data: timestamps (columns of a timestamp type or named
*_at) and surrogate ids. A foreign key is replaced by the natural key of the row it
points to (a movie by its IMDb id, a nomination by ceremony, category and nomination
key, ...), and a collaboration pair by its two people in natural order, so the order
in which concurrent runs wrote things does not matter. Pipeline bookkeeping
(partition_outcomes, rate_limits, schema_migrations) is not data and is left out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, Table, UniqueConstraint, select

from cinegraph_assets.db.engine import default_sqlite_url, get_engine, safe_url, tables_for

NOT_DATA = {"partition_outcomes", "rate_limits", "schema_migrations", "ceremony_movies"}
# Pairs are stored as (lower id, higher id): which person is "a" depends on ids.
UNORDERED = {"collaborations": ("person_a_id", "person_b_id")}


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value[:1] in "{[":
        try:  # SQLite hands JSON back as text, PostgreSQL as objects
            return json.loads(value)
        except ValueError:
            return value
    return value


def _ignored(table: Table, column) -> bool:
    return column.name == "id" or column.name.endswith("_at") or isinstance(column.type, DateTime)


def _natural_key_columns(table: Table) -> list[str]:
    """Every column of every unique constraint, in table order. A table's constraints
    are a set: picking one of them would name a movie by its IMDb id in one process
    and by its TMDb id in the next."""
    unique = {c.name for c in table.columns if c.unique}
    for constraint in (*table.constraints, *table.indexes):
        if isinstance(constraint, UniqueConstraint) or getattr(constraint, "unique", False):
            unique.update(c.name for c in constraint.columns)
    if unique:
        return [c.name for c in table.columns if c.name in unique]
    return [c.name for c in table.primary_key.columns if c.name != "id"]


class _Keys:
    """Natural keys of rows, by table and surrogate id, resolved through foreign keys."""

    def __init__(self, conn: Connection, tables: dict[str, Table]):
        self.conn, self.tables = conn, tables
        self._cache: dict[str, dict[Any, Any]] = {}

    def of(self, table_name: str) -> dict[Any, Any]:
        if table_name not in self._cache:
            table = self.tables[table_name]
            if table_name == "people":
                # Either id may be missing; together they name the human.
                names = ["imdb_id", "tmdb_id", "name"]
            else:
                names = _natural_key_columns(table)
            rows = self.conn.execute(select(table.c.id, *(table.c[n] for n in names)))
            self._cache[table_name] = {
                r[0]: self._resolve(table, dict(zip(names, r[1:], strict=True))) for r in rows
            }
        return self._cache[table_name]

    def _resolve(self, table: Table, values: dict[str, Any]) -> Any:
        out = []
        for name, value in values.items():
            fks = list(table.c[name].foreign_keys)
            out.append(
                self.of(fks[0].column.table.name).get(value)
                if fks and value is not None
                else _plain(value)
            )
        if table.name in UNORDERED:
            a, b = UNORDERED[table.name]
            pair = sorted([out[list(values).index(a)], out[list(values).index(b)]], key=repr)
            return tuple(pair)
        return tuple(out)


def _snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see one moment, even while writers go on."""
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(isolation_level="REPEATABLE READ")
    return engine.connect()  # SQLite: one read transaction is one snapshot


def _table_rows(conn: Connection, table: Table, keys: _Keys) -> list[str]:
    columns = [c for c in table.columns if not _ignored(table, c)]
    rows = []
    for row in conn.execute(select(*columns)):
        values = {}
        for column, value in zip(columns, row, strict=True):
            fks = list(column.foreign_keys)
            if fks and value is not None:
                value = keys.of(fks[0].column.table.name).get(value)
            values[column.name] = _plain(value)
        if table.name in UNORDERED:
            a, b = UNORDERED[table.name]
            values[a], values[b] = sorted([values[a], values[b]], key=repr)
        rows.append(json.dumps(values, sort_keys=True, default=repr))
    return sorted(rows)


def _each_table(url: str) -> Iterator[tuple[str, list[str]]]:
    """(name, rows) of every data table in name order, all read in one snapshot."""
    engine = get_engine(url)
    tables = {n: t for n, t in tables_for(engine).items() if n not in NOT_DATA}
    with _snapshot(engine) as conn:
        keys = _Keys(conn, tables)
        for name in sorted(tables):
            yield name, _table_rows(conn, tables[name], keys)


def table_rows(url: str) -> dict[str, list[str]]:
    """{table: rows} of every data table as the checksum sees them (to show what differs)."""
    return dict(_each_table(url))


def checksums(url: str) -> dict[str, dict[str, Any]]:
    """{table: {"sha256": ..., "rows": n}} of every data table, plus "all"."""
    out = {
        name: {"sha256": hashlib.sha256("\n".join(rows).encode()).hexdigest(), "rows": len(rows)}
        for name, rows in _each_table(url)
    }
    overall = hashlib.sha256(json.dumps(out, sort_keys=True).encode()).hexdigest()
    return {**out, "all": {"sha256": overall, "rows": sum(v["rows"] for v in out.values())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="SQLAlchemy URL (default: the configured one)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    url = (
        args.url
        or os.environ.get("CINEGRAPH_DATABASE_URL")
        or default_sqlite_url(os.environ.get("CINEGRAPH_DATA_DIR"))
    )
    result = checksums(url)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"database {safe_url(url)}")
    for name, value in result.items():
        print(f"{name:<32} {value['rows']:>9} rows  {value['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
