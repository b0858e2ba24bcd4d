"""Engines, one per database URL and process, migrated before first use."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine, ForeignKeyConstraint, MetaData, Table, create_engine, event
from sqlalchemy.engine import make_url

from cinegraph_assets.db.migrations import migrate

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_tables: dict[int, dict[str, Table]] = {}

SQLITE_FILE_NAME = "cinegraph.sqlite"


def default_sqlite_url(data_dir: str | None = None) -> str:
    folder = Path(data_dir or "data").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / SQLITE_FILE_NAME}"


def safe_url(url: str) -> str:
    """The URL with any password masked, for logs and metadata."""
    return make_url(url).render_as_string(hide_password=True)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling does not wrap DDL and takes the write lock
    # lazily, which deadlocks concurrent writers. Take BEGIN IMMEDIATE ourselves so a
    # unit of work, DDL included, is one transaction that waits for its turn.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _configure_postgresql(engine: Engine) -> None:
    # PostgreSQL compiles a query with JIT when its estimated cost is high, which is
    # what a bulk import's lagging statistics make of short queries: measured at every
    # body's scale, 3.4 s of compilation in a 6.8 s check query. Nothing here runs long
    # enough to repay compilation.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        cursor = dbapi_connection.cursor()
        cursor.execute("SET jit = off")
        cursor.close()
        dbapi_connection.autocommit = autocommit


def get_engine(url: str) -> Engine:
    """A migrated engine for url, created once per process."""
    with _lock:
        engine = _engines.get(url)
        if engine is not None:
            return engine
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": 60})
            _configure_sqlite(engine)
        else:
            # values_plus_batch: UPDATEs for many rows go in pages, not a round trip each.
            # No pre-ping (a round trip per transaction): units of work are retried on
            # a lost connection (resource.py), and plain reads check theirs first.
            engine = create_engine(
                url,
                # A batch's fetch threads, each writing and drawing on the rate budget.
                pool_size=8,
                max_overflow=8,
                executemany_mode="values_plus_batch",
            )
            _configure_postgresql(engine)
        migrate(engine)
        metadata = MetaData()
        metadata.reflect(engine)
        _add_checked_references(metadata)
        _tables[id(engine)] = dict(metadata.tables)
        _engines[url] = engine
        return engine


# References that PostgreSQL checks with triggers (sql/0007) and SQLite declares: the
# reflected tables carry them either way, for what resolves rows through them
# (checksum.py).
CHECKED_REFERENCES = (
    ("collaborations", "person_a_id", "people"),
    ("collaborations", "person_b_id", "people"),
    ("collaboration_details", "collaboration_id", "collaborations"),
    ("collaboration_details", "movie_id", "movies"),
)


def _add_checked_references(metadata: MetaData) -> None:
    for name, column, target in CHECKED_REFERENCES:
        source = metadata.tables.get(name)
        if source is None or target not in metadata.tables or source.c[column].foreign_keys:
            continue
        source.append_constraint(ForeignKeyConstraint([column], [metadata.tables[target].c.id]))


def tables_for(engine: Engine) -> dict[str, Table]:
    return _tables[id(engine)]


def dispose_engine(url: str) -> None:
    """Forget the engine for url (tests drop their databases afterwards)."""
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        _tables.pop(id(engine), None)
        engine.dispose()
