"""The production instance's event storage on PostgreSQL: batches, one transaction per
write, no NOTIFY, and Dagster still sees every partition as it should."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import psycopg2
import sqlalchemy as sa
from dagster import AssetKey, DagsterInstance
from sqlalchemy.engine import make_url

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.instance_storage import LOOKUPS_BEFORE_LIST, PARTITIONS_TTL_SECONDS
from cinegraph_assets.runtime.backfill_loop import BACKFILL_LOOP_SECONDS
from cinegraph_assets_tests.helpers import (
    ceremony_films,
    dagster_pg_env,
    materialize_movies,
    materialize_year,
    production_home_env,
    resources,
)


def _production_instance(tmp_path, url: str, monkeypatch) -> DagsterInstance:
    home = production_home_env(tmp_path, url, "dagster_home")["DAGSTER_HOME"]
    for name, value in dagster_pg_env(url).items():
        monkeypatch.setenv(name, value)
    return DagsterInstance.from_config(home)


def test_a_ranged_run_writes_its_events_in_batches_without_notify(
    tmp_path, empty_pg_url, pg_url, upstream, monkeypatch
):
    db = DatabaseResource(url=pg_url)
    listener = psycopg2.connect(make_url(empty_pg_url).render_as_string(False))
    listener.autocommit = True
    with _production_instance(tmp_path, empty_pg_url, monkeypatch) as instance:
        # Loading the storage asks Dagster for batches (instance_storage.py).
        assert int(os.environ["DAGSTER_EVENT_BATCH_SIZE"]) > 1
        listener.cursor().execute("LISTEN run_events")
        res = resources(upstream, db)
        materialize_year("2024", res, instance)
        films = ceremony_films(db, 2024)[:12]
        result = materialize_movies(films, res, instance)
        assert result.success
        for asset in ("tmdb_movies", "omdb_enrichment", "collaborations"):
            assert instance.get_materialized_partitions(AssetKey(asset)) == set(films)
            record = instance.get_latest_materialization_event(AssetKey(asset))
            assert record.run_id == result.run_id and record.dagster_event.partition in films
            # Each stored event has its own id, and the asset's index names the batch's
            # last one with that id (the ids come back in the events' order).
            stored = instance.fetch_materializations(AssetKey(asset), limit=100).records
            assert sorted(r.partition_key for r in stored) == sorted(films)
            latest = instance.get_asset_records([AssetKey(asset)])[0].asset_entry
            newest = max(stored, key=lambda r: r.storage_id)
            assert latest.last_materialization_record.storage_id == newest.storage_id
            assert latest.last_materialization.dagster_event.partition == newest.partition_key
        for r in instance.fetch_materializations(AssetKey("tmdb_movies"), limit=100).records:
            assert r.asset_materialization.metadata["imdb_url"].value.endswith(
                f"/{r.partition_key}/"
            )
        run_id = result.run_id
    listener.poll()
    assert listener.notifies == []  # nothing listens: nothing is sent
    listener.close()
    engine = sa.create_engine(empty_pg_url)
    with engine.connect() as conn:

        def rows(kind: str) -> list:
            return conn.execute(
                sa.text(
                    "SELECT asset_key, partition, xmin::text AS tx FROM event_logs"
                    " WHERE run_id = :r AND dagster_event_type = :k"
                ),
                {"r": run_id, "k": kind},
            ).all()

        materialized, planned = rows("ASSET_MATERIALIZATION"), rows("ASSET_MATERIALIZATION_PLANNED")
    engine.dispose()
    # One event per partition and asset, as before; each asset's materializations in
    # one transaction (the ranged step's batch), the run's planned events in one.
    assert len(materialized) == len(planned) == 3 * len(films)
    assert len({(r.asset_key, r.partition) for r in materialized}) == 3 * len(films)
    by_asset: dict[str, set] = {}
    for r in materialized:
        by_asset.setdefault(r.asset_key, set()).add(r.tx)
    assert [len(t) for t in by_asset.values()] == [1, 1, 1]
    assert len({r.tx for r in planned}) == 1


def test_many_partition_lookups_read_the_list_once_and_answer_as_the_database(
    tmp_path, empty_pg_url, monkeypatch
):
    """The daemon looks up each key a sensor asks to add: one query each was 1.08 s for
    a tick's 1,000 films. Here a run of lookups costs a few statements, and each answer is the
    database's as of at most PARTITIONS_TTL_SECONDS ago."""
    known = [f"tt{n:07d}" for n in range(1_000_000, 1_000_300)]
    new = [f"tt{n:07d}" for n in range(2_000_000, 2_000_300)]
    with (
        _production_instance(tmp_path, empty_pg_url, monkeypatch) as instance,
        DagsterInstance.from_config(instance.root_directory) as other,
    ):
        instance.add_dynamic_partitions("movies", known)
        statements = []
        sa.event.listen(
            instance.event_log_storage._engine,
            "before_cursor_execute",
            lambda *args, **kwargs: statements.append(args[2]),
        )
        found = [instance.has_dynamic_partition("movies", k) for k in new + known]
        assert found == [False] * len(new) + [True] * len(known)
        # Dagster also looks the table up in pg_class before each query of its own.
        reads = [s for s in statements if "FROM dynamic_partitions" in s]
        assert 1 <= len(reads) <= LOOKUPS_BEFORE_LIST + 2
        # A process's own additions count at once; another process's once the list is
        # older than the TTL.
        instance.add_dynamic_partitions("movies", new[:1])
        other.add_dynamic_partitions("movies", new[1:2])
        assert instance.has_dynamic_partition("movies", new[0])
        time.sleep(PARTITIONS_TTL_SECONDS + 0.1)
        assert [instance.has_dynamic_partition("movies", k) for k in new[:3]] == [
            True,
            True,
            False,
        ]


def test_a_table_once_found_is_not_looked_up_again_and_a_missing_one_is(
    tmp_path, empty_pg_url, monkeypatch
):
    """Dagster asks has_table before every asset check evaluation it stores: a yes is
    kept (no table is ever dropped), a no is asked again (a migration may add it)."""
    with _production_instance(tmp_path, empty_pg_url, monkeypatch) as instance:
        storage = instance.event_log_storage
        lookups = []
        sa.event.listen(
            storage._engine,
            "before_cursor_execute",
            lambda *args, **kwargs: lookups.append(args[2]) if "pg_class" in args[2] else None,
        )
        assert all(storage.has_table("asset_check_executions") for _ in range(50))
        assert storage.supports_asset_checks
        assert len(lookups) <= 1
        assert not storage.has_table("cinegraph_later_table")
        engine = sa.create_engine(empty_pg_url)
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE cinegraph_later_table (id int)"))
        engine.dispose()
        assert storage.has_table("cinegraph_later_table")
        assert storage.has_table("cinegraph_later_table")
        assert len(lookups) == 3


# One turn of the daemon's backfill loop, in a fresh interpreter: with `load` the
# production instance first (as `dagster-daemon run` does), then the loop's own code
# until it goes to sleep; prints how long it would sleep. The workspace is a stand-in:
# the iteration fails on it, is reported as the daemon reports errors, and the loop
# sleeps as after any iteration.
BACKFILL_TURN = """
import json, logging, sys
from dagster import DagsterInstance
from dagster._daemon.backfill import execute_backfill_iteration_loop

if sys.argv[1] == "load":
    DagsterInstance.get()

class Asleep(Exception):
    pass

class Shutdown:
    def wait(self, seconds):
        print(json.dumps({"sleeps": seconds}))
        raise Asleep

try:
    for _ in execute_backfill_iteration_loop(object(), logging.getLogger("t"), Shutdown()):
        pass
except Asleep:
    pass
"""


def _backfill_loop_sleep(tmp_path, url: str, load: str) -> float:
    env = production_home_env(tmp_path, url, f"home_{load}")
    out = subprocess.run(
        [sys.executable, "-c", BACKFILL_TURN, load],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])["sleeps"]


def test_the_daemon_of_the_production_instance_looks_at_backfills_every_10_seconds(
    tmp_path, empty_pg_url
):
    """runtime/backfill_loop.py: a backfill launched from the UI starts within 10 s, not
    Dagster's 30 (the loop sleeps the interval less the iteration's own time)."""
    with_instance = _backfill_loop_sleep(tmp_path, empty_pg_url, "load")
    assert BACKFILL_LOOP_SECONDS - 5 < with_instance <= BACKFILL_LOOP_SECONDS == 10
    # Dagster alone: the same loop sleeps its hard-coded 30 s.
    assert 25 < _backfill_loop_sleep(tmp_path, empty_pg_url, "none") <= 30
