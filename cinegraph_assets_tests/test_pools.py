"""Pools on a fresh PostgreSQL instance: several runs claiming a pool that does not exist
yet, at the same moment, all succeed (instance_storage.py).

The moment is made certain, not hoped for: another transaction has just inserted the
pool's row and its slot and not committed yet, as a run creating the pool does. The
runs' own inserts wait for it; the test commits it once every run is waiting. Each run
is a real Dagster run in a process of its own, on the instance of deploy/dagster.yaml.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
POOL = "fresh_pool"
RUNS = 4

RUN = f"""
import json, sys
from dagster import DagsterInstance, job, op

@op(pool={POOL!r})
def claim_the_pool():
    return 1

@job
def pool_job():
    claim_the_pool()

with DagsterInstance.get() as instance:
    try:
        result = pool_job.execute_in_process(instance=instance, raise_on_error=False)
        failures = [e for e in result.all_events if e.is_failure]
        errors = [
            getattr(e.event_specific_data, "error", None).to_string()
            if getattr(e.event_specific_data, "error", None) else e.message
            for e in failures
        ]
        print(json.dumps({{"success": result.success, "errors": errors}}))
    except Exception as exc:
        print(json.dumps({{"success": False, "errors": [f"{{type(exc).__name__}}: {{exc}}"]}}))
"""


def _home(tmp_path: Path, url: str, storage: str) -> dict[str, str]:
    """DAGSTER_HOME with deploy/dagster.yaml; `stock`: dagster-postgres' own storage."""
    home = tmp_path / storage
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    if storage == "stock":
        config = yaml.safe_load((home / "dagster.yaml").read_text())
        config["storage"] = {"postgres": config["storage"]["custom"]["config"]}
        (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    parsed = make_url(url)
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_HOST": parsed.host or "127.0.0.1",
        "DAGSTER_PG_PORT": str(parsed.port or 5432),
        "DAGSTER_PG_USER": parsed.username or "postgres",
        "DAGSTER_PG_PASSWORD": parsed.password or "",
        "DAGSTER_PG_DB": parsed.database,
    }


def _create_instance_tables(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-c", "from dagster import DagsterInstance; DagsterInstance.get()"],
        env=env,
        check=True,
        capture_output=True,
    )


def _waiting_inserts(engine: sa.Engine, database: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :db"
                " AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO concurrency_limits%'"
            ),
            {"db": database},
        ).scalar()


def _race(tmp_path: Path, url: str, storage: str) -> list[dict]:
    env = _home(tmp_path, url, storage)
    _create_instance_tables(env)
    engine = sa.create_engine(url)
    holder = engine.connect()
    procs: list[subprocess.Popen] = []
    try:
        with holder.begin():
            # A run creating the pool right now: its row and slot, not committed yet.
            holder.execute(
                sa.text(
                    'INSERT INTO concurrency_limits (concurrency_key, "limit", using_default_limit)'
                    " VALUES (:pool, 1, TRUE)"
                ),
                {"pool": POOL},
            )
            holder.execute(
                sa.text(
                    "INSERT INTO concurrency_slots (concurrency_key, deleted) VALUES (:pool, FALSE)"
                ),
                {"pool": POOL},
            )
            procs = [
                subprocess.Popen(
                    [sys.executable, "-c", RUN],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(RUNS)
            ]
            deadline = time.monotonic() + 300
            while _waiting_inserts(engine, make_url(url).database) < RUNS:
                early = [p for p in procs if p.poll() is not None]
                assert not early, f"a run ended before claiming: {early[0].communicate()}"
                assert time.monotonic() < deadline, "the runs never reached the pool's insert"
                time.sleep(0.2)
        # Committed: every run's insert meets the row at once.
        outcomes = []
        for proc in procs:
            out, err = proc.communicate(timeout=600)
            assert out.strip(), err[-3000:]
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
        return outcomes
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        holder.close()
        engine.dispose()


def _slots(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        limits = conn.execute(
            sa.text('SELECT "limit" FROM concurrency_limits WHERE concurrency_key = :p'),
            {"p": POOL},
        ).all()
        slots = conn.execute(
            sa.text("SELECT count(*) FROM concurrency_slots WHERE concurrency_key = :p"),
            {"p": POOL},
        ).scalar()
    engine.dispose()
    return [(limit, slots) for (limit,) in limits]


def test_runs_claiming_a_new_pool_at_once_all_succeed(tmp_path, empty_pg_url):
    outcomes = _race(tmp_path, empty_pg_url, "pooled")
    assert [o["success"] for o in outcomes] == [True] * RUNS, outcomes
    # One row with the default limit, one slot: the pool is what a single claim makes.
    assert _slots(empty_pg_url) == [(1, 1)]


def test_dagster_postgres_own_storage_fails_the_same_race(tmp_path, empty_pg_url):
    """What the project's storage works around (dagster 1.13): if a Dagster upgrade makes
    this pass, the override in instance_storage.py can go."""
    outcomes = _race(tmp_path, empty_pg_url, "stock")
    assert not any(o["success"] for o in outcomes), outcomes
    assert all("InFailedSqlTransaction" in " ".join(o["errors"]) for o in outcomes), outcomes
