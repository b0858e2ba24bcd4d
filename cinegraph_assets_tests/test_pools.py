"""Pools on a PostgreSQL instance.

Several runs claiming a pool that does not exist yet, at the same moment, all succeed
(instance_storage.py).

The moment is made certain, not hoped for: another transaction has just inserted the
pool's row and its slot and not committed yet, as a run creating the pool does. The
runs' own inserts wait for it; the test commits it once every run is waiting. Each run
is a real Dagster run in a process of its own, on the instance of deploy/dagster.yaml.

A run whose step waits for a slot that another run holds sleeps while it waits, and
takes the slot soon after it is freed (runtime/pool_wait.py, instance_storage.py). The
wait is counted in turns of the executor's loop, not timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cinegraph_assets.instance_storage import POOL_CLAIM_POLL_SECONDS
from cinegraph_assets_tests.helpers import production_home_env

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


# A run that loads the code location (as every run worker does), or only Dagster, and
# counts the turns of the in-process executor's loop while its step waits for the pool.
WAITING_RUN = f"""
import json, sys
if sys.argv[1] == "code_location":
    import cinegraph_assets.definitions  # noqa: F401
from dagster import DagsterInstance, job, op
from dagster._core.execution.plan.active import ActiveExecution

turns = 0
get_next_step = ActiveExecution.get_next_step

def counted(self):
    global turns
    turns += 1
    return get_next_step(self)

ActiveExecution.get_next_step = counted

@op(pool={POOL!r})
def wait_for_the_pool():
    return 1

@job
def pool_job():
    wait_for_the_pool()

with DagsterInstance.get() as instance:
    result = pool_job.execute_in_process(instance=instance, raise_on_error=False)
    print(json.dumps({{"success": result.success, "turns": turns}}))
"""
HELD_SECONDS = 3


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
    env = production_home_env(tmp_path, url, storage)
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


def _pending(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT count(*) FROM pending_steps WHERE concurrency_key = :p"
                " AND run_id <> 'holder'"
            ),
            {"p": POOL},
        ).scalar()


def _wait_behind_a_held_slot(tmp_path: Path, url: str, loads: str) -> dict:
    """A run of WAITING_RUN while another run holds the pool's one slot for
    HELD_SECONDS after the run started waiting; its outcome and loop turns."""
    env = production_home_env(tmp_path, url, "pooled")
    _create_instance_tables(env)
    holder = subprocess.run(
        [
            sys.executable,
            "-c",
            "from dagster import DagsterInstance\n"
            "with DagsterInstance.get() as i:\n"
            f"    i.event_log_storage.initialize_concurrency_limit_to_default({POOL!r})\n"
            f"    s = i.event_log_storage.claim_concurrency_slot({POOL!r}, 'holder', 'held')\n"
            "    assert s.is_claimed, s\n",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert holder.returncode == 0, holder.stderr[-3000:]
    engine = sa.create_engine(url)
    proc = subprocess.Popen(
        [sys.executable, "-c", WAITING_RUN, loads],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while not _pending(engine):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the run never asked for the pool"
            time.sleep(0.1)
        time.sleep(HELD_SECONDS)
        freed = subprocess.run(
            [
                sys.executable,
                "-c",
                "from dagster import DagsterInstance\n"
                "with DagsterInstance.get() as i:\n"
                "    i.event_log_storage.free_concurrency_slot_for_step('holder', 'held')\n",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        assert freed.returncode == 0, freed.stderr[-3000:]
        out, err = proc.communicate(timeout=120)
        assert out.strip(), err[-3000:]
        return json.loads(out.strip().splitlines()[-1])
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        engine.dispose()


def test_a_run_waiting_for_a_slot_sleeps_until_its_claim_is_due(tmp_path, empty_pg_url):
    outcome = _wait_behind_a_held_slot(tmp_path, empty_pg_url, "code_location")
    assert outcome["success"], outcome
    # A turn per claim check (every POOL_CLAIM_POLL_SECONDS) and a few around the step.
    assert outcome["turns"] < 5 * HELD_SECONDS / POOL_CLAIM_POLL_SECONDS, outcome


def test_dagster_alone_spins_while_a_run_waits_for_a_slot(tmp_path, empty_pg_url):
    """What runtime/pool_wait.py works around (dagster 1.13): if a Dagster upgrade makes
    this fail, the patch can go."""
    outcome = _wait_behind_a_held_slot(tmp_path, empty_pg_url, "dagster_only")
    assert outcome["success"], outcome
    assert outcome["turns"] > 1000, outcome
