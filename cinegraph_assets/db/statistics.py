"""Planner statistics kept fresh while an import grows the tables (PostgreSQL).

A full import takes the data tables from nothing to millions of rows within the hour,
and PostgreSQL plans every query with the row counts and value distributions of each
table's last ANALYZE. Autovacuum refreshes them only where it runs (a server may run
without it, as the test machines here do) and only between its naps, so a table that
grew tenfold since is planned as the small one it was: hash joins over whole tables
where an index would read a few rows. PostgreSQL's advice for bulk loads is to ANALYZE
afterwards ("Populating a Database"); every ranged step does so at its end for the
tables that changed by more than a tenth since their last analysis (autovacuum's own
default threshold), one process at a time. ANALYZE reads a fixed sample (30,000 rows
a table by default), so this costs well under a second where it runs.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from cinegraph_assets.db import locks

_STALE = text(
    "SELECT relname FROM pg_stat_user_tables"
    " WHERE schemaname = current_schema() AND n_mod_since_analyze > 1000 + 0.1 * n_live_tup"
    " ORDER BY relname"
)


def refresh_statistics(conn: Connection) -> list[str]:
    """ANALYZE the tables whose statistics have fallen behind; returns their names.
    Nothing on SQLite, nothing while another process is at it."""
    if conn.dialect.name != "postgresql":
        return []
    taken = conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": locks.STATISTICS})
    if not taken.scalar():
        return []
    stale = list(conn.execute(_STALE).scalars())
    for name in stale:
        conn.exec_driver_sql('ANALYZE "{}"'.format(name.replace('"', '""')))
    return stale
