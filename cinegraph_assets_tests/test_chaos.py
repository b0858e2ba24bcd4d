"""The whole system under faults: nothing lost, nothing doubled.

The production topology (a code server, the webserver and the daemon, deploy/dagster.yaml
and deploy/workspace.yaml) with the Dagster instance and the data on a PostgreSQL server
this test starts for itself. A year backfill of three ceremonies, launched through
GraphQL, while:
- 5% of upstream requests fail (429 with Retry-After, 500/502/503, slow answers,
  bodies cut short),
- the latest ceremony is first published without winners, so the new-ceremony sensor
  fetches it again and again while its movies are imported, and its winners appear
  mid-backfill,
- one run worker is killed with SIGKILL in the middle of its batch,
- the PostgreSQL server is restarted twice, each time followed at once by a GraphQL
  call that must be answered.
Every year and movie partition must end materialized without a person acting, the
winners right, the webserver and daemon still up, and the data identical (checksum of
every data table) to a fault-free import of the same ceremonies.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
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
from cinegraph_assets_tests.helpers import (
    db_signature,
    materialize_movies,
    materialize_year,
    materialize_years,
    resources,
    scalar,
    truth_rows,
    truth_signature,
)
from cinegraph_assets_tests.recorded_pages import imdb_page_before_the_show
from cinegraph_dev.local_stack import DagsterStack, all_materialized, free_port
from cinegraph_dev.postgres import PrivatePostgres
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.server import DATA, Faults

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[1]
YEARS = ["2024", "2025", "2026"]
YEAR_ASSETS = ("scraped_ceremony", "imdb_enhanced_nominees")
MOVIE_ASSETS = ("tmdb_movies", "omdb_enrichment", "collaborations")
UNFINISHED = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]
RUNS_QUERY = "{ runsOrError(limit: 1) { __typename ... on Runs { results { runId } } } }"


def _films() -> list[str]:
    return sorted(
        {t for y in YEARS for r in truth_rows(int(y) - 1928) for t in r["FilmId"].split("|") if t}
    )


def _before_the_show(root: Path) -> Path:
    """The 2026 pages as the sites show them between nominations and ceremony."""
    page = (DATA / "oscars.org/oscars/ceremonies/2026.html").read_text()
    page = re.sub(r"field--name-field-honoree-type winner\">\s*Winner", (
        'field--name-field-honoree-type nominee">Nominees'), page)  # fmt: skip
    target = root / "oscars.org/oscars/ceremonies/2026.html"
    target.parent.mkdir(parents=True)
    target.write_text(page)
    imdb = imdb_page_before_the_show(2026)
    target = root / "imdb.com/event/ev0000003/2026/1.html"
    target.parent.mkdir(parents=True)
    target.write_bytes(imdb)
    return root


def _all_done(instance, films: list[str]) -> bool:
    """Every year and movie partition materialized."""
    return all_materialized(instance, YEAR_ASSETS, YEARS) and all_materialized(
        instance, MOVIE_ASSETS, films
    )


def _until(what: str, condition, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


class Chaos:
    """The faults of the run, applied in order while the import goes on."""

    def __init__(self, stack, instance, upstream, server, before_show: Path):
        self.stack, self.instance, self.upstream, self.server = stack, instance, upstream, server
        self.before_show = before_show
        self.killed: list[int] = []
        self.graphql_after_restart: list[str] = []

    def _steps(self, asset: str) -> list:
        records = self.instance.get_event_records(
            EventRecordsFilter(event_type=DagsterEventType.STEP_START), limit=500
        )
        return [r for r in records if r.event_log_entry.step_key == asset]

    def kill_a_run_worker_mid_batch(self) -> None:
        _until("a batch in its TMDb step", lambda: bool(self._steps("tmdb_movies")))
        time.sleep(1.0)  # let it write some movies first
        step = self._steps("tmdb_movies")[0]
        pid = step.event_log_entry.dagster_event.pid
        os.kill(pid, signal.SIGKILL)
        self.killed.append(pid)

    def restart_the_database(self) -> None:
        self.server.restart()
        # The webserver's next request must be answered, not fail on a dead connection.
        data = self.stack.graphql(RUNS_QUERY, {})
        self.graphql_after_restart.append(data["runsOrError"]["__typename"])

    def winners_appear(self) -> None:
        self.upstream.roots.remove(self.before_show)

    def run(self) -> None:
        self.kill_a_run_worker_mid_batch()
        _until("a finished movie batch", lambda: self._steps("collaborations"))
        self.restart_the_database()
        time.sleep(5)
        self.winners_appear()
        time.sleep(10)
        self.restart_the_database()


def _fault_free_checksum(pg_url: str, before_show: Path, films: list[str], port: int) -> dict:
    """The same ceremonies imported in-process without faults, winners appearing late.

    The upstream listens on the faulty run's port: page URLs are data (raw_pages.url,
    festival_ceremonies.source_url) and must be the same.
    """
    db = DatabaseResource(url=pg_url)
    instance = DagsterInstance.ephemeral()
    with SampleUpstream([DATA, before_show], port=port, tmdb_key="test-tmdb-key",
                        omdb_key="test-omdb-key") as upstream:  # fmt: skip
        res = resources(upstream, db)
        materialize_years(YEARS, res, instance)
        for start in range(0, len(films), 50):
            materialize_movies(films[start : start + 50], res, instance)
        upstream.roots.remove(before_show)
        materialize_year("2026", res, instance, refresh=True)
    return checksums(pg_url)


def test_nothing_lost_nothing_doubled(tmp_path, pg_url):
    films = _films()
    server = PrivatePostgres(free_port()).start()
    before_show = _before_the_show(tmp_path / "before_show")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    faults = Faults(rate=0.05, seed=11)
    upstream = SampleUpstream(
        [DATA, before_show], tmdb_key="test-tmdb-key", omdb_key="test-omdb-key", faults=faults
    ).start()
    data_url = server.create_database("cinegraph")
    instance_url = make_url(server.create_database("dagster"))
    code_server_port = free_port()
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_HOST": "127.0.0.1",
        "DAGSTER_PG_PORT": str(instance_url.port),
        "DAGSTER_PG_USER": "postgres",
        "DAGSTER_PG_PASSWORD": "",
        "DAGSTER_PG_DB": instance_url.database,
        "DAGSTER_CODE_SERVER_HOST": "127.0.0.1",
        "DAGSTER_CODE_SERVER_PORT": str(code_server_port),
        "CINEGRAPH_DATABASE_URL": data_url,
        **upstream.env(),
        "TMDB_API_KEY": "test-tmdb-key",
        "OMDB_API_KEY": "test-omdb-key",
        "CINEGRAPH_MOVIE_SENSOR_INTERVAL_SECONDS": "5",
        "CINEGRAPH_CEREMONY_SENSOR_INTERVAL_SECONDS": "10",
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
        stack.wait_ready()
        for key in (k for k in env if k.startswith("DAGSTER_PG_")):
            os.environ[key] = env[key]
        instance = DagsterInstance.from_config(str(home))
        for year in YEARS:
            stack.add_partition("ceremony_years", year, "cinegraph_assets")
        stack.launch_backfill(list(YEAR_ASSETS), YEARS)
        chaos = Chaos(stack, instance, upstream, server, before_show)
        errors: list[BaseException] = []
        actor = threading.Thread(target=lambda: _catch(chaos.run, errors))
        actor.start()
        db = DatabaseResource(url=data_url)
        _until(
            "every partition materialized and the winners stored",
            lambda: (
                not actor.is_alive()
                and _all_done(instance, films)
                and scalar(db, "SELECT count(*) FROM festival_ceremonies WHERE NOT awarded") == 0
                # the run that found the winners may still be matching them against IMDb
                and not instance.get_runs(RunsFilter(statuses=UNFINISHED))
            ),
            timeout=900,
        )
        actor.join()
        assert not errors, errors
        wall = time.monotonic() - started
        stack._check_alive()  # webserver, daemon and code server rode it out

        assert db_signature(db, 2026) == truth_signature(98)  # the winners are right
        assert chaos.graphql_after_restart == ["Runs", "Runs"]
        assert server.restarts == 2 and len(chaos.killed) == 1
        faulty = checksums(data_url)
        faulty_rows = table_rows(data_url)
        figures = _figures(instance, faults, wall, faulty, chaos)
    finally:
        if instance is not None:
            instance.dispose()
        survivors = stack.stop()
        upstream.stop()
        server.stop()
    assert survivors == []
    port = upstream.httpd.server_address[1]
    reference = _fault_free_checksum(pg_url, before_show, films, port)
    differing = sorted(t for t in reference if reference[t] != faulty.get(t))
    reference_rows = table_rows(pg_url)
    diff = {
        t: {
            "only_faulty": sorted(set(faulty_rows[t]) - set(reference_rows[t]))[:5],
            "only_fault_free": sorted(set(reference_rows[t]) - set(faulty_rows[t]))[:5],
        }
        for t in differing
        if t != "all"
    }
    assert not differing, json.dumps(diff, indent=1)
    figures["checksum_equal_to_fault_free"] = True
    print("chaos:", json.dumps(figures))
    (tmp_path / "chaos.json").write_text(json.dumps(figures))


def _catch(fn, errors: list) -> None:
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 (reported by the test)
        errors.append(exc)


def _figures(instance, faults: Faults, wall: float, checksum: dict, chaos: Chaos) -> dict:
    """What the run went through, for the record."""
    runs = instance.get_runs()
    messages = [
        e.user_message
        for r in runs
        for e in instance.all_logs(r.run_id)
        if e.user_message
        and ("retrying in" in e.user_message or "running it again" in e.user_message)
    ]
    return {
        "wall_seconds": round(wall, 1),
        "faults_injected": dict(faults.injected),
        "http_retries": sum("retrying in" in m for m in messages),
        "database_unit_retries": sum("running it again" in m for m in messages),
        "runs": len(runs),
        "runs_relaunched_after_a_crash": sum("dagster/parent_run_id" in r.tags for r in runs),
        "runs_split_from_a_failed_batch": sum("cinegraph/split_from_run" in r.tags for r in runs),
        "run_workers_killed": len(chaos.killed),
        "database_restarts": chaos.server.restarts,
        "rows_checked": checksum["all"]["rows"],
    }
