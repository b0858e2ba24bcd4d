"""Benchmark: the whole history (98 ceremonies, ~5,000 films) through the daemon.

    python benchmarks/full_history.py                    # production topology, PostgreSQL
    python benchmarks/full_history.py --sqlite           # the quickstart instance, SQLite
    python benchmarks/full_history.py --ceremonies 10 --new-ceremony during
    python benchmarks/full_history.py --launcher celery --workers 2   # on a Celery fleet

Starts what a deployment runs, on this machine: the synthetic upstream in a process of
its own (the last N ceremonies up to 2026, of realistic size, every request answered
after --latency, TMDb behind a token bucket of --tmdb-rate that answers 429 with
Retry-After), and either the production topology (instance from deploy/dagster.yaml on
PostgreSQL, a code server, webserver and daemon pointed at it through
deploy/workspace.yaml, the data in a PostgreSQL database) or, with --sqlite, the
quickstart instance (deploy/dagster.local.yaml and the embedded SQLite data file). The
year backfill of every ceremony is launched through GraphQL as the UI's Materialize
dialog does; the movie sensor fans out. It waits until every year and every movie
partition of the three movie assets is materialized and prints the figures (also as JSON
on the last line). Failed runs are never silent: every run that failed is printed with
its error, those that failed while the upstream injected no fault are counted apart
(the figure to keep at 0), and so is the year backfill's final status. The floor is the
time TMDb's rate allows for the requests the product needs: (films TMDb knows × 1 +
films it does not × 2) / --tmdb-rate.

With --new-ceremony, one more ceremony is published while the backfill runs ("during",
once the movie phase has begun) or after it ("after"); the new-ceremony sensor (every
30 s here) picks it up, and the figure is the time from that year's run finishing to
its last film being enriched.

With --launcher celery, the instance is the fleet's (deploy/dagster.celery.yaml): every
run goes through the machine's RabbitMQ (a vhost of its own, deleted afterwards) to one
of --workers Celery workers of --worker-concurrency processes each, started here.

With --bodies (all, or keys of the award-body registry), the award bodies' history comes
too: the same upstream serves every body's IMDb event pages (synthetic_bodies.py); once
the stack is up, the edition sensor (every 5 s here) registers each body's
`<key>_editions` partitions, and one backfill per `<key>_nominations` asset over its
editions (the last --body-editions of them) is launched beside the Oscar years. The run
is done when every edition and every movie partition is materialized; the figures add
editions, nominations, movie partitions, films by overlap, the movie sensor's longest
tick and the failed runs with their errors.

PostgreSQL: the server of CINEGRAPH_TEST_PG_URL (default postgres@127.0.0.1:5432); two
databases are created for the run and dropped afterwards (--keep keeps them).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import sqlalchemy as sa
import yaml
from dagster import AssetKey, DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter
from sqlalchemy.engine import make_url

from cinegraph_assets.awards.registry import AwardBody, load_bodies
from cinegraph_dev import rabbitmq
from cinegraph_dev.local_stack import DagsterStack, all_materialized, free_port, pss_kb, rss_kb
from cinegraph_dev.sample_upstream.synthetic import SyntheticHistory

ROOT = Path(__file__).resolve().parents[1]
YEAR_ASSETS = ["scraped_ceremony", "imdb_enhanced_nominees"]
MOVIE_ASSETS = ["tmdb_movies", "omdb_enrichment", "collaborations"]
PG_ADMIN = os.environ.get("CINEGRAPH_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class Databases:
    """The instance and data databases of one run, on the local PostgreSQL server."""

    def __init__(self, keep: bool):
        self.keep = keep
        self.admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        tag = uuid.uuid4().hex[:8]
        self.names = {"instance": f"cg_bench_{tag}_instance", "data": f"cg_bench_{tag}_data"}
        with self.admin.connect() as conn:
            for name in self.names.values():
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def url(self, which: str) -> str:
        return make_url(PG_ADMIN).set(database=self.names[which]).render_as_string(False)

    def drop(self) -> None:
        if not self.keep:
            with self.admin.connect() as conn:
                for name in self.names.values():
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


class Upstream:
    """The synthetic upstream as a process of its own (it must not share a GIL with
    the measurement)."""

    def __init__(self, args, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable, "-m", "cinegraph_dev.sample_upstream",
            "--port", str(self.port), "--synthetic", str(args.ceremonies),
            "--seed", str(args.seed), "--first-year", str(first_year(args)),
            "--latency", str(args.latency),
            "--tmdb-rate", str(args.tmdb_rate),
            # The synthetic world's today is the machine's: the festivals it has held
            # have their winners, so the edition sensor awaits none of them.
            "--today", date.today().isoformat(),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.stats()
                return
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"synthetic upstream did not start; see {log}")

    def _get(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return json.loads(response.read())

    def stats(self) -> dict:
        return self._get("/_stats")

    def publish(self, ceremonies: int) -> None:
        self._get(f"/_publish?ceremonies={ceremonies}")

    def env(self) -> dict[str, str]:
        return {
            f"CINEGRAPH_{name.upper()}_BASE_URL": f"{self.url}/{name}"
            for name in ("oscars", "imdb", "tmdb", "omdb")
        }

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


def _event_rows(instance, pg: Databases | None) -> int:
    if pg is not None:
        engine = sa.create_engine(pg.url("instance"))
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT count(*) FROM event_logs")).scalar()
        engine.dispose()
        return rows
    return sum(len(instance.all_logs(r.run_id)) for r in instance.get_runs())


def _environment(args, home: Path, work: Path, upstream: Upstream, pg: Databases | None):
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(work),
        "DAGSTER_HOME": str(home),
        **upstream.env(),
        "TMDB_API_KEY": "bench-tmdb-key",
        "OMDB_API_KEY": "bench-omdb-key",
        "CINEGRAPH_TMDB_RATE_LIMIT": str(args.tmdb_rate),
        "CINEGRAPH_DATA_DIR": str(work / "data"),
        # Only so a newly published ceremony is seen in seconds, not within the hour.
        "CINEGRAPH_CEREMONY_SENSOR_INTERVAL_SECONDS": "30",
    }
    if args.bodies:
        # The editions are registered on the sensor's first tick, seconds after start.
        env["CINEGRAPH_EDITION_SENSOR_INTERVAL_SECONDS"] = "5"
        if {b.key for b in args.bodies} != {b.key for b in load_bodies() if b.enabled}:
            env["CINEGRAPH_AWARD_BODIES_FILE"] = str(_registry_file(args.bodies, work))
    if args.spawn_runs:
        env["CINEGRAPH_SPAWN_RUNS"] = "1"
    for name in (
        "YEAR_BATCH_SIZE",
        "MOVIE_BATCH_SIZE",
        "MOVIE_FETCH_CONCURRENCY",
        "COLLABORATION_CONCURRENCY",
    ):
        value = getattr(args, name.lower())
        if value:
            env[f"CINEGRAPH_{name}"] = str(value)
    if pg is not None:
        instance = make_url(pg.url("instance"))
        env.update(
            DAGSTER_PG_HOST=instance.host or "127.0.0.1",
            DAGSTER_PG_PORT=str(instance.port or 5432),
            DAGSTER_PG_USER=instance.username or "postgres",
            DAGSTER_PG_PASSWORD=instance.password or "",
            DAGSTER_PG_DB=instance.database,
            CINEGRAPH_DATABASE_URL=pg.url("data"),
        )
    return env


def first_year(args) -> int:
    """The last N ceremonies up to 2026: the one --new-ceremony publishes is then 2027,
    the 99th, which the new-ceremony sensor has not seen (it knows every year up to the
    last March as a partition, so an earlier year would not be new)."""
    return 1929 + 98 - args.ceremonies


def tmdb_calls_needed(history: SyntheticHistory, films: list[str]) -> int:
    """The TMDb requests the product cannot do without: one per film TMDb knows (its
    movie endpoint by IMDb id), two per film it does not (the 404, confirmed by find)."""
    return sum(1 if history.tmdb_id(tt) else 2 for tt in films)


class Measurement:
    def __init__(self, args, stack: DagsterStack, instance, upstream: Upstream, history):
        self.args, self.stack, self.instance, self.upstream = args, stack, instance, upstream
        self.years = [str(y) for y in history.ceremony_years()][: args.ceremonies]
        self.films = sorted(
            k for k, ceremonies in history.films().items()
            if any(str(c) in self.years for c in ceremonies)
        )  # fmt: skip
        self.new_year = str(int(self.years[-1]) + 1)
        self.new_films = sorted(
            k for k, cs in history.films().items() if self.new_year in map(str, cs)
        )
        self.peak_kb = 0
        self.peak_pss_kb = 0
        self.cpu = CpuUse()
        self.faults = FaultTimeline()
        self.marks: dict[str, float] = {}
        self.not_before = 0.0  # see wait()

    def sample(self) -> None:
        pids = self.stack.pids() + [os.getpid(), self.upstream.process.pid]
        self.peak_kb = max(self.peak_kb, rss_kb(pids))
        self.peak_pss_kb = max(self.peak_pss_kb, pss_kb(pids))
        self.cpu.sample(pids)
        self.faults.sample(self.upstream)

    def wait(self, what: str, done, started: float) -> float:
        """Sample every poll; ask done() again only once it could be true (done() may
        set self.not_before: its queries are part of the load the benchmark measures)."""
        deadline = started + self.args.timeout
        self.not_before = 0.0
        while time.monotonic() < deadline:
            self.sample()
            if time.monotonic() >= self.not_before and done():
                self.marks[what] = time.monotonic() - started
                print(f"  {what}: {self.marks[what]:.1f}s", flush=True)
                return self.marks[what]
            time.sleep(self.args.poll)
        raise TimeoutError(f"{what}: not done after {self.args.timeout:.0f}s")

    def years_done(self) -> bool:
        return all_materialized(self.instance, YEAR_ASSETS, self.years)

    def movies_done(self, keys, every: bool = False) -> bool:
        """keys are movie partitions, all materialized; with every, so is every other
        movie partition (films only the pipeline's classification made films)."""
        known = set(self.instance.get_dynamic_partitions("movies"))
        wanted = known if every else set(keys)
        if not set(keys) <= known:
            return False
        for asset in MOVIE_ASSETS:
            left = len(wanted - self.instance.get_materialized_partitions(AssetKey(asset)))
            if left:
                if asset == "tmdb_movies":
                    # A film left needs at least one TMDb answer, and TMDb answers at
                    # most tmdb_rate a second: no sooner than half that is done. Asked
                    # every 2 s instead, these queries (every movie partition, and all
                    # of an asset's materializations) ran about 800 times over every
                    # body, on the two cores the benchmark measures.
                    wait = min(60.0, 0.5 * left / self.args.tmdb_rate)
                    self.not_before = time.monotonic() + wait
                return False
        return True

    def new_ceremony_latency(self, started: float) -> float:
        """Seconds from the new year's run finishing to its last film done."""
        self.upstream.publish(self.args.ceremonies + 1)
        self.wait(
            "new ceremony's year run",
            lambda: all_materialized(self.instance, YEAR_ASSETS, [self.new_year]),
            started,
        )
        records = self.instance.fetch_materializations(
            AssetKey("imdb_enhanced_nominees"), limit=50
        ).records
        run_id = next(r.run_id for r in records if r.partition_key == self.new_year)
        run = self.instance.get_run_record_by_id(run_id)
        self.wait("new ceremony's films", lambda: self.movies_done(self.new_films), started)
        finished = run.end_time or run.update_timestamp.timestamp()
        return time.time() - finished


class CpuUse:
    """CPU seconds used by each kind of process: the profile of a whole run. A process
    is counted from its latest sample, PostgreSQL's as the difference over the run."""

    ROLES = (
        ("run worker", "multiprocessing"),  # a code server starts run workers so
        ("run worker", "execute_run"),
        ("run worker", "execute_step"),
        ("code server", "code-server"),
        ("webserver", "dagster-webserver"),
        ("daemon", "dagster-daemon"),
        ("celery worker", "cinegraph_assets.celery_worker"),  # and its pool processes
        ("upstream", "sample_upstream"),
    )

    def __init__(self):
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.seen: dict[int, tuple[str, float]] = {}
        self.postgres_start = self._postgres()

    def _cpu(self, pid: int, children: bool = False) -> float | None:
        """utime + stime; with children, also that of its exited children (a server's
        backends, a code server's run workers)."""
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        used = int(fields[11]) + int(fields[12])
        if children:
            used += int(fields[13]) + int(fields[14])
        return used / self.ticks

    def _role(self, pid: int) -> str:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return "other"
        if pid == os.getpid():
            return "benchmark"
        return next((role for role, needle in self.ROLES if needle in cmd), "other")

    def _postgres(self) -> float:
        total = 0.0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and "postgres" in self._comm(entry):
                total += self._cpu(int(entry.name), children=True) or 0.0
        return total

    @staticmethod
    def _comm(entry: Path) -> str:
        try:
            return (entry / "comm").read_text()
        except OSError:
            return ""

    def sample(self, pids: list[int]) -> None:
        for pid in pids:
            cpu = self._cpu(pid)
            if cpu is not None:
                role = self.seen[pid][0] if pid in self.seen else self._role(pid)
                self.seen[pid] = (role, cpu)

    def report(self) -> dict[str, float]:
        out: dict[str, float] = {}
        reaped = 0.0
        for pid, (role, cpu) in self.seen.items():
            if role == "code server":  # it starts the run workers and reaps them
                reaped += (self._cpu(pid, children=True) or cpu) - (self._cpu(pid) or cpu)
            out[role] = out.get(role, 0.0) + cpu
        # Sampling misses a worker's last seconds; the reaped total does not.
        out["run worker"] = max(out.get("run worker", 0.0), reaped)
        out = {role: round(cpu, 1) for role, cpu in out.items()}
        out["postgresql"] = round(self._postgres() - self.postgres_start, 1)
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))


class FaultTimeline:
    """How many faults the upstream had injected by when (sampled with the rest), so a
    failed run can be told to have met one or not."""

    def __init__(self):
        self.samples: list[tuple[float, int]] = [(time.time(), 0)]

    def sample(self, upstream: Upstream) -> None:
        try:
            injected = sum(upstream.stats().get("faults", {}).values())
        except OSError:
            return
        self.samples.append((time.time(), injected))

    def injected_during(self, start: float, end: float) -> int:
        """Faults injected between the last sample before start and the first after end
        (a little more than the run's lifetime, never less)."""
        before = max((n for t, n in self.samples if t <= start), default=0)
        after = min((n for t, n in self.samples if t >= end), default=self.samples[-1][1])
        return max(0, after - before)


def _error_text(error) -> str:
    """An error and what caused it, one line each, without stack traces."""
    parts = []
    while error is not None and len(parts) < 4:
        # The message starts with the exception's class, as Python prints it.
        parts.append(" ".join((error.message or error.cls_name or "").split())[:400])
        error = error.cause or error.context
    return " <- ".join(parts)


def _run_error(instance, run_id: str) -> str:
    """The error a failed run ended with: its failed steps', else the run failure's."""
    found: dict[str, list[str]] = {"step": [], "run": []}
    of_type = {DagsterEventType.STEP_FAILURE, DagsterEventType.RUN_FAILURE}
    for entry in instance.all_logs(run_id, of_type=of_type):
        event = entry.dagster_event
        data = event.event_specific_data
        error = getattr(data, "error", None)
        user = getattr(getattr(data, "user_failure_data", None), "description", None)
        text = " ".join((user or "").split())[:600] or (error and _error_text(error))
        kind = "step" if event.step_key else "run"
        found[kind].append(f"{event.step_key or 'run'}: {text or event.message}")
    return " | ".join(found["step"] or found["run"]) or "no failure event recorded"


def failed_runs(instance, faults: FaultTimeline) -> list[dict]:
    """Every run that ended FAILURE, oldest first, with its error and whether the
    upstream injected any fault while it ran."""
    out = []
    records = instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.FAILURE]))
    for record in sorted(records, key=lambda r: r.create_timestamp):
        run = record.dagster_run
        tags = run.tags
        partitions = tags.get("dagster/partition") or "..".join(
            tags[k]
            for k in ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")
            if k in tags
        )
        start = record.start_time or record.create_timestamp.timestamp()
        end = record.end_time or record.update_timestamp.timestamp()
        out.append(
            {
                "run_id": run.run_id,
                "job": run.job_name,
                "partitions": partitions,
                "faults_injected": faults.injected_during(start, end),
                "error": _run_error(instance, run.run_id),
            }
        )
    return out


def print_failed_runs(failures: list[dict]) -> None:
    for f in failures:
        met = (
            f"{f['faults_injected']} faults injected meanwhile"
            if f["faults_injected"]
            else ("NO FAULT INJECTED")
        )
        print(
            f"  FAILED run {f['run_id'][:8]} {f['job']} [{f['partitions']}] ({met}): {f['error']}",
            flush=True,
        )


_BACKFILL_DONE = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}


def backfill_status(instance, backfill_id: str | None, wait: float = 120) -> str:
    """The backfill's status once the daemon has settled it (or as it is after `wait`)."""
    if backfill_id is None:
        return "not launched"
    deadline = time.monotonic() + wait
    while True:
        backfill = instance.get_backfill(backfill_id)
        status = backfill.status.value if backfill else "unknown"
        if status in _BACKFILL_DONE or time.monotonic() > deadline:
            return status
        time.sleep(2)


def _launch(stack: DagsterStack, years: list[str], location: str, instance) -> str:
    # The new-ceremony sensor registers the years on its first tick, as for a user.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if set(years) <= set(instance.get_dynamic_partitions("ceremony_years")):
            break
        time.sleep(1)
    else:
        for year in years:
            stack.add_partition("ceremony_years", year, location)
    return stack.launch_backfill(YEAR_ASSETS, years)


def _fleet(args, home: Path, env: dict[str, str], pg: Databases) -> rabbitmq.RabbitVhost:
    """The fleet instance: as many runs at once as the workers have processes, runs
    sent through a vhost of the machine's RabbitMQ, task states in the instance
    database."""
    config = yaml.safe_load((ROOT / "deploy" / "dagster.celery.yaml").read_text())
    config["concurrency"]["runs"]["max_concurrent_runs"] = args.workers * args.worker_concurrency
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    vhost = rabbitmq.RabbitVhost("cg_bench").create()
    env["CINEGRAPH_CELERY_BROKER_URL"] = vhost.url
    env["CINEGRAPH_CELERY_BACKEND_URL"] = "db+" + pg.url("instance")
    return vhost


def _run_overhead(instance) -> dict[str, float]:
    """Mean seconds per finished run from its launch to its start (the launcher: a new
    process, or a Celery task taken by a warm worker) and spent outside its steps
    (start-up, pool waits, teardown)."""
    launch, outside = [], []
    for run in instance.get_runs():
        stats = instance.get_run_stats(run.run_id)
        if not (stats.launch_time and stats.start_time and stats.end_time):
            continue
        steps = sum(
            s.end_time - s.start_time
            for s in instance.get_run_step_stats(run.run_id)
            if s.start_time and s.end_time
        )
        launch.append(stats.start_time - stats.launch_time)
        outside.append(stats.end_time - stats.start_time - steps)
    mean = lambda xs: round(sum(xs) / len(xs), 2) if xs else None  # noqa: E731
    return {"launch_to_start": mean(launch), "outside_steps": mean(outside)}


# The query the asset page of a partitioned asset makes for its partition health bar
# (dagster-webserver 1.13's PartitionHealthQuery, verbatim but for the time dimensions).
PARTITION_HEALTH_QUERY = """
query PartitionHealthQuery($assetKey: AssetKeyInput!) {
  assetNodeOrError(assetKey: $assetKey) {
    ... on AssetNode {
      id
      partitionKeysByDimension { name type partitionKeys }
      assetPartitionStatuses {
        ... on DefaultPartitionStatuses {
          materializedPartitions materializingPartitions failedPartitions
        }
      }
    }
  }
}
"""


def asset_page_seconds(stack: DagsterStack, asset: str = "tmdb_movies", times: int = 3) -> dict:
    """Seconds the webserver takes to answer the asset page's partition health, best and
    worst of a few tries, with the number of partitions it covered."""
    seconds, partitions = [], 0
    for _ in range(times):
        begin = time.monotonic()
        data = stack.graphql(PARTITION_HEALTH_QUERY, {"assetKey": {"path": [asset]}})
        seconds.append(time.monotonic() - begin)
        node = data["assetNodeOrError"]
        partitions = len(node["partitionKeysByDimension"][0]["partitionKeys"])
    return {"asset": asset, "partitions": partitions,
            "best": round(min(seconds), 2), "worst": round(max(seconds), 2)}  # fmt: skip


def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="cinegraph-full-history-"))
    home = work / "dagster_home"
    home.mkdir()
    pg = None if args.sqlite else Databases(args.keep)
    config = "dagster.local.yaml" if args.sqlite else "dagster.yaml"
    shutil.copy(ROOT / "deploy" / config, home / "dagster.yaml")
    vhost = None
    history = SyntheticHistory(args.ceremonies + 1, seed=args.seed, first_year=first_year(args))
    bodies = BodyRun(args) if args.bodies else None
    upstream = Upstream(args, work / "upstream.log")
    env = _environment(args, home, work, upstream, pg)
    if args.launcher == "celery":
        vhost = _fleet(args, home, env, pg)
    code_server_port = None if args.sqlite else free_port()
    if code_server_port:
        env.update(
            DAGSTER_CODE_SERVER_HOST="127.0.0.1", DAGSTER_CODE_SERVER_PORT=str(code_server_port)
        )
    workspace = ROOT / ("workspace.yaml" if args.sqlite else "deploy/workspace.yaml")
    stack = DagsterStack(workspace=workspace, env=env, log_dir=work / "logs", cwd=ROOT)
    instance = m = None
    saved_env = dict(os.environ)
    try:
        stack.start(code_server_port=code_server_port)
        for k in range(args.workers if vhost else 0):
            stack.start_worker(f"bench{k + 1}", concurrency=args.worker_concurrency)
        stack.wait_ready()
        os.environ.update({k: v for k, v in env.items() if k.startswith("DAGSTER_")})
        instance = DagsterInstance.from_config(str(home))
        m = Measurement(args, stack, instance, upstream, history)
        print(f"{len(m.years)} ceremonies, {len(m.films)} films; logs in {work}", flush=True)
        if bodies is not None:
            print(bodies.summary(), flush=True)
            bodies.wait_registered(stack, instance)
        backfill_id = _launch(stack, m.years, "cinegraph_assets", instance)
        if bodies is not None:
            bodies.launch(stack)
        started = time.monotonic()
        m.wait("years", m.years_done, started)
        if bodies is not None:
            m.wait("editions", lambda: bodies.editions_done(instance), started)
        latency = None
        if args.new_ceremony == "during":
            latency = m.new_ceremony_latency(started)
        all_films = sorted(set(m.films) | set(bodies.films if bodies else ()))
        m.wait("movies", lambda: m.movies_done(all_films, every=bodies is not None), started)
        if args.new_ceremony == "after":
            latency = m.new_ceremony_latency(started)
        stats = upstream.stats()
        failures = failed_runs(instance, m.faults)
        print_failed_runs(failures)
        year_backfill = backfill_status(instance, backfill_id)
        every_film = all_films + (m.new_films if latency is not None else [])
        films = len(every_film)
        floor = tmdb_calls_needed(history, all_films) / args.tmdb_rate
        result = {
            "instance": "quickstart (SQLite)" if args.sqlite else "production (PostgreSQL)",
            "launcher": (
                f"celery, {args.workers} workers x {args.worker_concurrency}"
                if vhost
                else "default (a process per run)"
            ),
            "ceremonies": len(m.years),
            "films": len(m.films),
            "wall_seconds": round(m.marks["movies"], 1),
            "floor_seconds": round(floor, 1),
            "ratio_to_floor": round(m.marks["movies"] / floor, 2),
            "years_phase_seconds": round(m.marks["years"], 1),
            "movie_phase_seconds": round(m.marks["movies"] - m.marks["years"], 1),
            "new_ceremony_seconds_after_its_year_run": round(latency, 1) if latency else None,
            "runs_launched": instance.get_runs_count(),
            "run_overhead_seconds": _run_overhead(instance),
            "failed_runs": len(failures),
            "failed_runs_without_injected_fault": sum(not f["faults_injected"] for f in failures),
            "year_backfill_status": year_backfill,
            "tmdb_calls_per_film": round(stats["requests"]["tmdb"] / films, 3),
            # What tmdb_calls_per_film would be without a wasted request, same films.
            "tmdb_calls_per_film_needed": round(tmdb_calls_needed(history, every_film) / films, 3),
            "films_unknown_to_tmdb": sum(not history.tmdb_id(tt) for tt in all_films),
            "omdb_calls_per_film": round(stats["requests"]["omdb"] / films, 3),
            "tmdb_429s": stats["tmdb_429"],
            "event_log_rows_per_film": round(_event_rows(instance, pg) / films, 1),
            "peak_memory_mb": round(m.peak_kb / 1024),
            # Pages forked processes share counted once (rss counts them in each).
            "peak_memory_pss_mb": round(m.peak_pss_kb / 1024),
            "cpu_seconds": m.cpu.report(),
            "latency_ms": round(args.latency * 1000),
            "tmdb_rate": args.tmdb_rate,
            "movie_sensor_ticks": sensor_ticks(instance, "movie_partitions_sensor"),
            "asset_page_partition_health": asset_page_seconds(stack),
        }
        if bodies is not None:
            result.update(bodies.report(instance, m))
        return result
    except BaseException:
        if instance is not None and m is not None:
            print("the run stopped early; failed runs so far:", file=sys.stderr, flush=True)
            print_failed_runs(failed_runs(instance, m.faults))
        raise
    finally:
        if instance is not None:
            instance.dispose()
        os.environ.clear()
        os.environ.update(saved_env)
        survivors = stack.stop()
        upstream.stop()
        if vhost is not None:
            vhost.delete()
        if pg is not None:
            pg.drop()
        if survivors:
            print(f"warning: processes left running: {survivors}", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def select_bodies(spec: str) -> tuple[AwardBody, ...]:
    """--bodies: "none" (no body), "all" (every enabled body) or registry keys."""
    registry = load_bodies()
    if spec == "none":
        return ()
    if spec == "all":
        return tuple(b for b in registry if b.enabled)
    by_key = {b.key: b for b in registry}
    keys = [k.strip() for k in spec.split(",") if k.strip()]
    unknown = [k for k in keys if k not in by_key]
    if unknown or not keys:
        raise ValueError(f"unknown {', '.join(unknown) or 'empty'}; known: {', '.join(by_key)}")
    return tuple(by_key[k] for k in dict.fromkeys(keys))


def _registry_file(bodies: tuple[AwardBody, ...], work: Path) -> Path:
    """A registry of only the selected bodies (CINEGRAPH_AWARD_BODIES_FILE)."""
    entries = []
    for b in bodies:
        entries.append(
            "[[body]]\n"
            f"key = {json.dumps(b.key)}\nname = {json.dumps(b.name)}\n"
            f"imdb_event_id = {json.dumps(b.imdb_event_id)}\n"
            f"first_edition = {b.first_edition}\nmonth = {b.month}\n"
            f"enabled = {str(b.enabled).lower()}\ntelevision = {str(b.television).lower()}\n"
        )
    path = work / "bodies.toml"
    path.write_text("\n".join(entries))
    return path


def _body_truth(seed: int, keys: list[str], last: int | None) -> dict:
    """What the synthetic upstream serves for the selected editions, from the generator
    (run in a process of its own: its memory is not the stack's)."""
    history = SyntheticHistory(seed=seed)
    out: dict = {"editions": {}, "nominations": {}, "films": {}, "uncertain": {}}
    series: set[str] = set()
    for key in keys:
        body = history.bodies.body(key)
        editions = history.bodies.editions(key)[-last if last else 0 :]
        out["editions"][key] = []
        out["nominations"][key] = 0
        films: set[str] = set()
        uncertain: set[str] = set()
        for year, instance in editions:
            edition = history.bodies.edition(key, year, instance)
            out["editions"][key].append(edition.key)
            out["nominations"][key] += len(edition.nominations)
            for tt, (title, typed) in edition.titles().items():
                if not title.is_film:
                    series.add(tt)
                # A film a television body's page names only without a type: what it is
                # depends on the pipeline's classification (award, category, TMDb).
                elif typed or not body.television:
                    films.add(tt)
                else:
                    uncertain.add(tt)
        out["films"][key] = sorted(films)
        out["uncertain"][key] = sorted(uncertain - films)
    out["not_films"] = len(series)
    return out


class BodyRun:
    """The award bodies' part of a run: what to launch, wait for and report."""

    def __init__(self, args):
        self.args = args
        self.keys = [b.key for b in args.bodies]
        started = time.monotonic()
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            truth = pool.submit(_body_truth, args.seed, self.keys, args.body_editions).result()
        self.generated_seconds = round(time.monotonic() - started, 1)
        self.editions: dict[str, list[str]] = truth["editions"]
        self.nominations: dict[str, int] = truth["nominations"]
        self.by_body = {k: set(v) for k, v in truth["films"].items()}
        self.uncertain = set().union(*map(set, truth["uncertain"].values())) - set().union(
            *self.by_body.values()
        )
        self.films = sorted(set().union(*self.by_body.values()))
        self.not_films = truth["not_films"]

    def summary(self) -> str:
        editions = sum(map(len, self.editions.values()))
        return (
            f"{len(self.keys)} bodies, {editions} editions, {sum(self.nominations.values())} "
            f"nominations, {len(self.films)} films (+{len(self.uncertain)} only untyped on "
            f"television pages); generated in {self.generated_seconds}s"
        )

    def wait_registered(self, stack: DagsterStack, instance, timeout: float = 300) -> None:
        """The edition sensor registers every body's editions on its first tick."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self._registered(instance, k) for k in self.keys):
                return
            time.sleep(1)
        print("warning: the edition sensor did not register the editions; adding them")
        for key in self.keys:
            missing = set(self.editions[key]) - self._registered(instance, key, all_keys=True)
            for edition in sorted(missing):
                stack.add_partition(f"{key}_editions", edition, "cinegraph_assets")

    def _registered(self, instance, key: str, all_keys: bool = False):
        known = set(instance.get_dynamic_partitions(f"{key}_editions"))
        return known if all_keys else set(self.editions[key]) <= known

    def launch(self, stack: DagsterStack) -> None:
        for key in self.keys:
            stack.launch_backfill([f"{key}_nominations"], self.editions[key])

    def editions_done(self, instance) -> bool:
        return all(
            all_materialized(instance, [f"{key}_nominations"], self.editions[key])
            for key in self.keys
        )

    def report(self, instance, m: Measurement) -> dict:
        oscars = set(m.films)
        bodies = set(self.films)
        partitions = set(instance.get_dynamic_partitions("movies"))
        per_body = {}
        for key, films in self.by_body.items():
            others = set().union(*(f for k, f in self.by_body.items() if k != key))
            per_body[key] = {
                "editions": len(self.editions[key]),
                "nominations": self.nominations[key],
                "films": len(films),
                "also_oscars": len(films & oscars),
                "also_other_bodies": len(films & others),
            }
        return {
            "bodies": len(self.keys),
            "editions": sum(map(len, self.editions.values())),
            "nominations": sum(self.nominations.values()),
            "movie_partitions": len(partitions),
            "films_oscars_only": len(oscars - bodies),
            "films_bodies_only": len(bodies - oscars),
            "films_oscars_and_bodies": len(oscars & bodies),
            # Films the pipeline's classification alone makes films (not Oscar films).
            "films_untyped_on_tv_pages": len(self.uncertain - oscars),
            "of_which_movie_partitions": len((self.uncertain - oscars) & partitions),
            "titles_not_films": self.not_films,
            "films_by_body": per_body,
            "truth_generated_seconds": self.generated_seconds,
        }


def sensor_ticks(instance, name: str) -> dict:
    """Ticks of a sensor from the instance: how many, the longest and mean seconds."""
    states = instance.all_instigator_state()
    state = next((s for s in states if s.instigator_name == name), None)
    if state is None:
        return {"ticks": 0}
    ticks = instance.get_ticks(state.instigator_origin_id, state.selector_id)
    seconds = [t.end_timestamp - t.timestamp for t in ticks if t.end_timestamp]
    if not seconds:
        return {"ticks": len(ticks)}
    return {
        "ticks": len(ticks),
        "longest_seconds": round(max(seconds), 2),
        "mean_seconds": round(sum(seconds) / len(seconds), 2),
    }


def main() -> None:
    # A SIGTERM (timeout, Ctrl-C from a supervisor) still stops every process started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ceremonies", type=int, default=98)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--tmdb-rate", type=float, default=40.0, help="TMDb requests/s cap")
    parser.add_argument("--seed", type=int, default=1929)
    parser.add_argument("--sqlite", action="store_true", help="the quickstart instance")
    parser.add_argument("--new-ceremony", choices=["none", "during", "after"], default="none")
    parser.add_argument("--year-batch-size", type=int, help="CINEGRAPH_YEAR_BATCH_SIZE")
    parser.add_argument("--movie-batch-size", type=int, help="CINEGRAPH_MOVIE_BATCH_SIZE")
    parser.add_argument("--movie-fetch-concurrency", type=int)
    parser.add_argument("--collaboration-concurrency", type=int)
    parser.add_argument(
        "--spawn-runs",
        action="store_true",
        help="run processes spawned as Dagster does, not forked warm (CINEGRAPH_SPAWN_RUNS=1)",
    )
    parser.add_argument(
        "--launcher",
        choices=["default", "celery"],
        default="default",
        help="celery: the fleet instance, runs on Celery workers",
    )
    parser.add_argument("--workers", type=int, default=2, help="Celery workers (--launcher celery)")
    parser.add_argument("--worker-concurrency", type=int, default=2,
                        help="processes per Celery worker")  # fmt: skip
    parser.add_argument(
        "--bodies",
        default="none",
        help="award bodies too: all, none (default: the Oscars alone) or KEY,KEY,...",
    )
    parser.add_argument(
        "--body-editions", type=int, metavar="N", help="the last N editions of each body"
    )
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between status polls")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--keep", action="store_true", help="keep databases and logs")
    args = parser.parse_args()
    if not 1 <= args.ceremonies <= 98:
        parser.error("--ceremonies: 1 to 98 (the last N ceremonies up to 2026)")
    if args.launcher == "celery" and args.sqlite:
        parser.error("--launcher celery runs on the PostgreSQL fleet instance, not --sqlite")
    try:
        args.bodies = select_bodies(args.bodies)
    except ValueError as exc:
        parser.error(f"--bodies: {exc}")
    if args.body_editions is not None and args.body_editions < 1:
        parser.error("--body-editions: at least 1")
    result = run(args)
    width = max(map(len, result))
    for key, value in result.items():
        if isinstance(value, list) and value:
            print(f"{key:<{width}}  {len(value)}")
            for item in value:
                print(f"{'':<{width}}    {item}")
        else:
            print(f"{key:<{width}}  {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
