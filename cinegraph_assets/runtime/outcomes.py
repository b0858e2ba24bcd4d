"""The outcome of the latest attempt of each batched asset for each partition.

Written in the same transaction as the partition's data, so an outcome row says
exactly what is in the database. A step retry, or a run re-launched after its worker
died, reuses what its earlier attempt already wrote (no upstream call twice); the
batch splitter reads which partitions of a failed batch succeeded.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, and_, select

from cinegraph_assets.db import insert_rows, table
from cinegraph_assets.runtime.unit import DONE

# Plain strings for SQL parameters (drivers need not know the enum).
OK = tuple(s.value for s in DONE)
_KEY = ("partition_key", "asset")


def record(
    conn: Connection,
    key: str,
    asset: str,
    status: str,
    run_id: str,
    *,
    error: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> None:
    row = {
        "partition_key": key,
        "asset": asset,
        "status": str(status),
        "run_id": run_id,
        "attempts": 1,
        "error": error,
        "metadata": metadata,
        "updated_at": datetime.now(timezone.utc),
    }
    update = [c for c in row if c not in _KEY]
    insert_rows(conn, "partition_outcomes", [row], key=_KEY, update=update)


def reusable(
    conn: Connection, keys: list[str], asset: str, run_ids: set[str]
) -> dict[str, dict[str, Any]]:
    """{key: outcome} of the partitions that already succeeded in one of run_ids."""
    t = table(conn, "partition_outcomes")
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), 500):
        rows = conn.execute(
            select(t.c.partition_key, t.c.status, t.c.run_id, t.c.metadata).where(
                and_(
                    t.c.partition_key.in_(keys[start : start + 500]),
                    t.c.asset == asset,
                    t.c.run_id.in_(run_ids),
                    t.c.status.in_(OK),
                )
            )
        )
        out.update(
            (
                r.partition_key,
                {"status": r.status, "metadata": r.metadata or {}, "run_id": r.run_id},
            )
            for r in rows
        )
    return out


def of_run(conn: Connection, run_id: str) -> dict[str, dict[str, str]]:
    """{key: {asset: status}} recorded by one run."""
    t = table(conn, "partition_outcomes")
    out: dict[str, dict[str, str]] = defaultdict(dict)
    rows = conn.execute(
        select(t.c.partition_key, t.c.asset, t.c.status).where(t.c.run_id == run_id)
    )
    for r in rows:
        out[r.partition_key][r.asset] = r.status
    return dict(out)
