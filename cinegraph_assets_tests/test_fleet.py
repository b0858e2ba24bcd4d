"""The fleet: every run executed by Celery workers (deploy/dagster.celery.yaml).

The production topology (code server, webserver, daemon, PostgreSQL instance) with
dagster-celery's run launcher, two Celery workers started here as two hosts would be
(processes and sessions of their own, distinct node names) behind the machine's
RabbitMQ (a vhost of this test's own), task states in PostgreSQL. A year backfill of
three ceremonies, launched through GraphQL as the UI does, while
- TMDb answers 429 above the configured rate (the stand-in's token bucket), and the
  tmdb pool lets two batches fetch at once, on the two workers;
- the broker goes away for a few seconds (its application stopped, then started)
  while both workers execute a run;
- then one worker is killed with SIGKILL, pool process and all, in the middle of a
  movie batch, as when its host dies.
Both workers ran runs, no 429 was answered, run monitoring failed the killed worker's
run and the other worker finished its partitions, no other run failed, and the data's
checksum equals that of the same import run in-process.
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from dagster import (
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    EventRecordsFilter,
    RunsFilter,
)
from sqlalchemy.engine import make_url

from cinegraph_assets.checksum import checksums, table_rows
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.fleet import WORKER_PID_TAG, WORKER_TAG
from cinegraph_assets_tests.conftest import IN_CI, fresh_pg_database
from cinegraph_assets_tests.helpers import (
    materialize_movies,
    materialize_years,
    resources,
    truth_rows,
)
from cinegraph_dev import rabbitmq
from cinegraph_dev.local_stack import DagsterStack, all_materialized, free_port
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.server import DATA

ROOT = Path(__file__).resolve().parents[1]
YEARS = ["2024", "2025", "2026"]
YEAR_ASSETS = ("scraped_ceremony", "imdb_enhanced_nominees")
MOVIE_ASSETS = ("tmdb_movies", "omdb_enrichment", "collaborations")
TMDB_RATE = 20  # requests/s: the configured budget and the stand-in's cap
OUTAGE_SECONDS = 5
UNFINISHED = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]


def _films() -> list[str]:
    return sorted(
        {t for y in YEARS for r in truth_rows(int(y) - 1928) for t in r["FilmId"].split("|") if t}
    )


def _until(what: str, condition, timeout: float = 300, poll: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(poll)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def broker():
    """A vhost of the machine's RabbitMQ; unreachable is a failure under CI=true."""
    if not rabbitmq.reachable():
        message = f"RabbitMQ at {rabbitmq.HOST}:{rabbitmq.PORT} is unreachable"
        if IN_CI:
            pytest.fail(message + " (CI=true: a missing broker is a failure, not a skip)")
        pytest.skip(message)
    vhost = rabbitmq.RabbitVhost("cg_test").create()
    yield vhost
    vhost.delete()


def _fleet_instance(home: Path) -> None:
    """deploy/dagster.celery.yaml for this fleet, with shorter waits for a test of
    minutes (the deployed wait for a silent worker covers a broker outage of any
    length)."""
    config = yaml.safe_load((ROOT / "deploy" / "dagster.celery.yaml").read_text())
    config["run_launcher"]["config"]["worker_lost_after_seconds"] = 15
    config["run_monitoring"]["poll_interval_seconds"] = 5
    # As many runs at once as the fleet has worker processes (two of one each).
    config["concurrency"]["runs"]["max_concurrent_runs"] = 2
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))


class Faults:
    """The broker goes away for a while, then a worker host dies mid-batch."""

    def __init__(self, stack: DagsterStack, instance, broker: rabbitmq.RabbitVhost):
        self.stack, self.instance, self.broker = stack, instance, broker
        self.killed: dict = {}
        self.in_flight_at_outage: list[str] = []
        self.executing_at_outage: dict[str, str] = {}  # run id -> worker

    def _tmdb_steps(self, kind: DagsterEventType) -> list:
        records = self.instance.get_event_records(EventRecordsFilter(event_type=kind), limit=200)
        return [r for r in records if r.event_log_entry.step_key == "tmdb_movies"]

    def _batch_fetching_from_tmdb(self):
        """A movie run in the middle of its TMDb step, once a first wave of batches
        (one on each worker) has fetched from TMDb."""
        done = {r.run_id for r in self._tmdb_steps(DagsterEventType.STEP_SUCCESS)}
        if not done:
            return None
        for record in self._tmdb_steps(DagsterEventType.STEP_START):
            run = self.instance.get_run_by_id(record.run_id)
            if (
                run.run_id not in done
                and run.status == DagsterRunStatus.STARTED
                and WORKER_TAG in run.tags
            ):
                return run
        return None

    def kill_a_worker_mid_batch(self) -> None:
        run = _until("a movie batch fetching from TMDb", self._batch_fetching_from_tmdb, poll=0.2)
        node = run.tags[WORKER_TAG]
        pids = self.stack.kill_worker(node)
        assert int(run.tags[WORKER_PID_TAG]) in pids  # the run's own process went too
        self.killed = {"node": node, "run_id": run.run_id, "at": time.time()}

    def _executing(self) -> list:
        return [
            r
            for r in self.instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.STARTED]))
            if WORKER_TAG in r.tags
        ]

    def broker_outage(self) -> None:
        """While both workers execute a run (and more wait to be launched)."""
        _until(
            "both workers executing a run",
            lambda: len({r.tags[WORKER_TAG] for r in self._executing()}) == 2,
        )
        self.executing_at_outage = {r.run_id: r.tags[WORKER_TAG] for r in self._executing()}
        self.in_flight_at_outage = [r.run_id for r in self.instance.get_runs(
            RunsFilter(statuses=UNFINISHED))]  # fmt: skip
        with self.broker.outage():
            time.sleep(OUTAGE_SECONDS)

    def run(self) -> None:
        self.broker_outage()
        self.kill_a_worker_mid_batch()


def _catch(fn, errors: list) -> None:
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 (reported by the test)
        errors.append(exc)


def _step_spans(instance, step_key: str) -> list[tuple[float, float, str]]:
    """(start, end, run id) of every execution of a step."""
    spans: dict[str, list[float]] = {}
    for kind in (DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS,
                 DagsterEventType.STEP_FAILURE):  # fmt: skip
        for record in instance.get_event_records(EventRecordsFilter(event_type=kind), limit=1000):
            entry = record.event_log_entry
            if entry.step_key == step_key:
                spans.setdefault(entry.run_id, []).append(entry.timestamp)
    return [(min(t), max(t), run_id) for run_id, t in spans.items() if len(t) > 1]


def _in_process_checksum(url: str, films: list[str], port: int) -> dict:
    """The same ceremonies imported in-process, the upstream on the fleet's port (page
    URLs are data)."""
    db = DatabaseResource(url=url)
    instance = DagsterInstance.ephemeral()
    with SampleUpstream([DATA], port=port, tmdb_key="test-tmdb-key",
                        omdb_key="test-omdb-key") as upstream:  # fmt: skip
        res = resources(upstream, db)
        materialize_years(YEARS, res, instance)
        for start in range(0, len(films), 50):
            materialize_movies(films[start : start + 50], res, instance)
    return checksums(url)


def test_the_fleet_instance_sends_runs_with_the_environments_broker(tmp_path, monkeypatch):
    """deploy/dagster.celery.yaml as every fleet process reads it: the launcher with
    the broker and backend from the environment, kept there (the instance reference
    a run carries through the broker holds the names, not the secrets), and the Celery
    settings the fleet relies on."""
    from dagster._core.instance.ref import InstanceRef

    from cinegraph_assets.fleet import FleetRunLauncher

    shutil.copy(ROOT / "deploy" / "dagster.celery.yaml", tmp_path / "dagster.yaml")
    broker_url = "amqp://fleet:s3cret-broker@rabbitmq:5672/cinegraph"
    monkeypatch.setenv("CINEGRAPH_CELERY_BROKER_URL", broker_url)
    monkeypatch.setenv("CINEGRAPH_CELERY_BACKEND_URL", "db+postgresql://d:s3cret-db@db/dagster")
    ref = InstanceRef.from_dir(str(tmp_path))
    launcher = ref.run_launcher
    assert isinstance(launcher, FleetRunLauncher)
    assert launcher.worker_lost_after_seconds == 60
    conf = launcher.celery.conf
    assert conf.broker_url == broker_url
    assert conf.result_backend == "db+postgresql://d:s3cret-db@db/dagster"
    assert conf.task_acks_late is False and conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["max_retries"] >= 30
    assert conf.worker_cancel_long_running_tasks_on_connection_loss is False
    assert "s3cret" not in ref.run_launcher_data.config_yaml
    config = yaml.safe_load((tmp_path / "dagster.yaml").read_text())
    assert config["run_monitoring"]["enabled"] and config["run_retries"]["enabled"]


@pytest.mark.slow
@pytest.mark.postgres
def test_runs_on_two_celery_workers_survive_a_dead_worker_and_a_broker_outage(
    tmp_path, empty_pg_url, pg_url, pg_template, broker, monkeypatch
):
    films = _films()
    storage = make_url(empty_pg_url)
    home = tmp_path / "dagster_home"
    _fleet_instance(home)
    upstream = SampleUpstream(
        [DATA], tmdb_key="test-tmdb-key", omdb_key="test-omdb-key", tmdb_rate=TMDB_RATE
    ).start()
    code_server_port = free_port()
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_HOST": storage.host or "127.0.0.1",
        "DAGSTER_PG_PORT": str(storage.port or 5432),
        "DAGSTER_PG_USER": storage.username or "postgres",
        "DAGSTER_PG_PASSWORD": storage.password or "",
        "DAGSTER_PG_DB": storage.database,
        "DAGSTER_CODE_SERVER_HOST": "127.0.0.1",
        "DAGSTER_CODE_SERVER_PORT": str(code_server_port),
        "CINEGRAPH_CELERY_BROKER_URL": broker.url,
        "CINEGRAPH_CELERY_BACKEND_URL": "db+" + empty_pg_url,
        "CINEGRAPH_DATABASE_URL": pg_url,
        **upstream.env(),
        "TMDB_API_KEY": "test-tmdb-key",
        "OMDB_API_KEY": "test-omdb-key",
        "CINEGRAPH_TMDB_RATE_LIMIT": str(TMDB_RATE),
        "CINEGRAPH_MOVIE_SENSOR_INTERVAL_SECONDS": "5",
        "CINEGRAPH_MOVIE_BATCH_SIZE": "25",
        "CINEGRAPH_MOVIE_RETRY_DELAY_SECONDS": "2",
    }
    stack = DagsterStack(
        workspace=ROOT / "deploy" / "workspace.yaml", env=env, log_dir=tmp_path / "logs", cwd=ROOT
    )
    instance = None
    started = time.monotonic()
    try:
        stack.start(code_server_port=code_server_port)
        # Two TMDb batches at once, one per worker: only the shared budget keeps the
        # pair under TMDb's cap.
        stack.set_pool("tmdb", 2)
        workers = [stack.start_worker("w1"), stack.start_worker("w2")]
        stack.wait_ready()
        for key in (k for k in env if k.startswith(("DAGSTER_", "CINEGRAPH_CELERY_"))):
            monkeypatch.setenv(key, env[key])
        instance = DagsterInstance.from_config(str(home))
        celery = instance.run_launcher.celery
        _until(
            "both workers answering",
            lambda: set(workers) <= {n for r in celery.control.ping(timeout=1) for n in r},
            timeout=120,
        )
        for year in YEARS:
            stack.add_partition("ceremony_years", year, "cinegraph_assets")
        stack.launch_backfill(list(YEAR_ASSETS), YEARS)
        launched = time.monotonic() - started
        faults = Faults(stack, instance, broker)
        errors: list[BaseException] = []
        actor = threading.Thread(target=lambda: _catch(faults.run, errors))
        actor.start()
        _until(
            "every partition materialized, no run left",
            lambda: (
                not actor.is_alive()
                and all_materialized(instance, YEAR_ASSETS, YEARS)
                and all_materialized(instance, MOVIE_ASSETS, films)
                and not instance.get_runs(RunsFilter(statuses=UNFINISHED))
            ),
            timeout=600,
        )
        assert not errors, errors
        wall = time.monotonic() - started
        stack._check_alive()  # code server, webserver, daemon and the other worker

        runs = instance.get_runs()
        by_worker = Counter(r.tags.get(WORKER_TAG) for r in runs)
        # Every run executed on a worker of the fleet, and both took runs.
        assert set(by_worker) == set(workers), by_worker
        # The shared budget held across both workers: no 429, though their TMDb steps
        # ran at the same time.
        assert upstream.stats()["tmdb_429"] == 0
        worker_of = {r.run_id: r.tags[WORKER_TAG] for r in runs}
        spans = _step_spans(instance, "tmdb_movies")
        assert any(
            a[0] < b[1] and b[0] < a[1] and worker_of[a[2]] != worker_of[b[2]]
            for a in spans
            for b in spans
        ), "no two TMDb steps ran at once on the two workers"

        # The killed worker's run: failed by run monitoring, nothing else failed...
        killed_run = faults.killed["run_id"]
        failed = [r.run_id for r in runs if r.status == DagsterRunStatus.FAILURE]
        assert failed == [killed_run]
        failure = [
            e.message for e in instance.all_logs(killed_run, of_type=DagsterEventType.RUN_FAILURE)
        ]
        assert any("has not answered" in m for m in failure), failure
        # ... and its partitions finished on the other worker (a re-launch or a split).
        survivor = next(w for w in workers if w != faults.killed["node"])
        finishing = [
            r
            for r in runs
            if killed_run in (r.tags.get("dagster/parent_run_id"),
                              r.tags.get("cinegraph/split_from_run"))
        ]  # fmt: skip
        assert finishing and all(
            r.status == DagsterRunStatus.SUCCESS and r.tags[WORKER_TAG] == survivor
            for r in finishing
        )
        # The broker outage delayed the runs in flight on both workers; none was lost.
        assert broker.outages == 1
        assert set(faults.executing_at_outage.values()) == set(workers)
        delayed = [r for r in faults.in_flight_at_outage if r != killed_run]
        assert all(instance.get_run_by_id(r).status == DagsterRunStatus.SUCCESS for r in delayed)
        fleet = checksums(pg_url)
        fleet_rows = table_rows(pg_url)
        figures = {
            "wall_seconds": round(wall, 1),
            "backfill_launched_after_seconds": round(launched, 1),
            "runs": len(runs),
            "runs_per_worker": dict(by_worker),
            "killed": faults.killed,
            "killed_run_failed_after_seconds": round(
                instance.get_run_record_by_id(killed_run).end_time - faults.killed["at"], 1
            ),
            "finished_by": [r.run_id for r in finishing],
            "runs_in_flight_during_outage": len(delayed),
            "tmdb_requests": upstream.stats()["requests"]["tmdb"],
            "rows_checked": fleet["all"]["rows"],
        }
    finally:
        if instance is not None:
            instance.dispose()
        survivors = stack.stop()
        upstream.stop()
    assert survivors == [], f"processes left running: {survivors}"
    port = upstream.httpd.server_address[1]
    reference_started = time.monotonic()
    with fresh_pg_database(pg_template) as reference_url:
        reference = _in_process_checksum(reference_url, films, port)
        figures["in_process_reference_seconds"] = round(time.monotonic() - reference_started, 1)
        reference_rows = table_rows(reference_url)
    differing = sorted(t for t in reference if reference[t] != fleet.get(t))
    diff = {
        t: {
            "only_fleet": sorted(set(fleet_rows[t]) - set(reference_rows[t]))[:5],
            "only_in_process": sorted(set(reference_rows[t]) - set(fleet_rows[t]))[:5],
        }
        for t in differing
        if t != "all"
    }
    assert not differing, json.dumps(diff, indent=1)
    print("fleet:", json.dumps(figures))
    (tmp_path / "fleet.json").write_text(json.dumps(figures))
