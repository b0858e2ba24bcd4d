"""Benchmark: the whole history (98 ceremonies, ~5,000 films) through the daemon.

    python benchmarks/full_history.py                    # production topology, PostgreSQL
    python benchmarks/full_history.py --sqlite           # the quickstart instance, SQLite
    python benchmarks/full_history.py --ceremonies 10 --new-ceremony during

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
on the last line). The floor is the time TMDb's rate allows for the requests the product
needs: (films TMDb knows × 1 + films it does not × 2) / --tmdb-rate.

With --new-ceremony, one more ceremony is published while the backfill runs ("during",
once the movie phase has begun) or after it ("after"); the new-ceremony sensor (every
30 s here) picks it up, and the figure is the time from that year's run finishing to
its last film being enriched.

PostgreSQL: the server of CINEGRAPH_TEST_PG_URL (default postgres@127.0.0.1:5432); two
databases are created for the run and dropped afterwards (--keep keeps them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import sqlalchemy as sa
from dagster import AssetKey, DagsterInstance
from sqlalchemy.engine import make_url

from cinegraph_dev.local_stack import DagsterStack, all_materialized, free_port, rss_kb
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
    for name in ("YEAR_BATCH_SIZE", "MOVIE_BATCH_SIZE", "MOVIE_FETCH_CONCURRENCY"):
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
        self.cpu = CpuUse()
        self.marks: dict[str, float] = {}

    def sample(self) -> None:
        pids = self.stack.pids() + [os.getpid(), self.upstream.process.pid]
        self.peak_kb = max(self.peak_kb, rss_kb(pids))
        self.cpu.sample(pids)

    def wait(self, what: str, done, started: float) -> float:
        deadline = started + self.args.timeout
        while time.monotonic() < deadline:
            self.sample()
            if done():
                self.marks[what] = time.monotonic() - started
                print(f"  {what}: {self.marks[what]:.1f}s", flush=True)
                return self.marks[what]
            time.sleep(self.args.poll)
        raise TimeoutError(f"{what}: not done after {self.args.timeout:.0f}s")

    def years_done(self) -> bool:
        return all_materialized(self.instance, YEAR_ASSETS, self.years)

    def movies_done(self, keys) -> bool:
        known = set(self.instance.get_dynamic_partitions("movies"))
        return set(keys) <= known and all_materialized(self.instance, MOVIE_ASSETS, keys)

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


def _launch(stack: DagsterStack, years: list[str], location: str, instance) -> None:
    # The new-ceremony sensor registers the years on its first tick, as for a user.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if set(years) <= set(instance.get_dynamic_partitions("ceremony_years")):
            break
        time.sleep(1)
    else:
        for year in years:
            stack.add_partition("ceremony_years", year, location)
    stack.launch_backfill(YEAR_ASSETS, years)


def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="cinegraph-full-history-"))
    home = work / "dagster_home"
    home.mkdir()
    pg = None if args.sqlite else Databases(args.keep)
    config = "dagster.local.yaml" if args.sqlite else "dagster.yaml"
    shutil.copy(ROOT / "deploy" / config, home / "dagster.yaml")
    history = SyntheticHistory(args.ceremonies + 1, seed=args.seed, first_year=first_year(args))
    upstream = Upstream(args, work / "upstream.log")
    env = _environment(args, home, work, upstream, pg)
    code_server_port = None if args.sqlite else free_port()
    if code_server_port:
        env.update(
            DAGSTER_CODE_SERVER_HOST="127.0.0.1", DAGSTER_CODE_SERVER_PORT=str(code_server_port)
        )
    workspace = ROOT / ("workspace.yaml" if args.sqlite else "deploy/workspace.yaml")
    stack = DagsterStack(workspace=workspace, env=env, log_dir=work / "logs", cwd=ROOT)
    instance = None
    saved_env = dict(os.environ)
    try:
        stack.start(code_server_port=code_server_port)
        stack.wait_ready()
        os.environ.update({k: v for k, v in env.items() if k.startswith("DAGSTER_")})
        instance = DagsterInstance.from_config(str(home))
        m = Measurement(args, stack, instance, upstream, history)
        print(f"{len(m.years)} ceremonies, {len(m.films)} films; logs in {work}", flush=True)
        _launch(stack, m.years, "cinegraph_assets", instance)
        started = time.monotonic()
        m.wait("years", m.years_done, started)
        latency = None
        if args.new_ceremony == "during":
            latency = m.new_ceremony_latency(started)
        m.wait("movies", lambda: m.movies_done(m.films), started)
        if args.new_ceremony == "after":
            latency = m.new_ceremony_latency(started)
        stats = upstream.stats()
        films = len(m.films) + (len(m.new_films) if latency is not None else 0)
        every_film = m.films + (m.new_films if latency is not None else [])
        needed = tmdb_calls_needed(history, m.films)
        floor = needed / args.tmdb_rate
        return {
            "instance": "quickstart (SQLite)" if args.sqlite else "production (PostgreSQL)",
            "ceremonies": len(m.years),
            "films": len(m.films),
            "wall_seconds": round(m.marks["movies"], 1),
            "floor_seconds": round(floor, 1),
            "ratio_to_floor": round(m.marks["movies"] / floor, 2),
            "years_phase_seconds": round(m.marks["years"], 1),
            "movie_phase_seconds": round(m.marks["movies"] - m.marks["years"], 1),
            "new_ceremony_seconds_after_its_year_run": round(latency, 1) if latency else None,
            "runs_launched": instance.get_runs_count(),
            "tmdb_calls_per_film": round(stats["requests"]["tmdb"] / films, 3),
            # What tmdb_calls_per_film would be without a wasted request, same films.
            "tmdb_calls_per_film_needed": round(tmdb_calls_needed(history, every_film) / films, 3),
            "films_unknown_to_tmdb": sum(not history.tmdb_id(tt) for tt in m.films),
            "omdb_calls_per_film": round(stats["requests"]["omdb"] / films, 3),
            "tmdb_429s": stats["tmdb_429"],
            "event_log_rows_per_film": round(_event_rows(instance, pg) / films, 1),
            "peak_memory_mb": round(m.peak_kb / 1024),
            "cpu_seconds": m.cpu.report(),
            "latency_ms": round(args.latency * 1000),
            "tmdb_rate": args.tmdb_rate,
        }
    finally:
        if instance is not None:
            instance.dispose()
        os.environ.clear()
        os.environ.update(saved_env)
        survivors = stack.stop()
        upstream.stop()
        if pg is not None:
            pg.drop()
        if survivors:
            print(f"warning: processes left running: {survivors}", file=sys.stderr)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


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
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between status polls")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--keep", action="store_true", help="keep databases and logs")
    args = parser.parse_args()
    if not 1 <= args.ceremonies <= 98:
        parser.error("--ceremonies: 1 to 98 (the last N ceremonies up to 2026)")
    result = run(args)
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
