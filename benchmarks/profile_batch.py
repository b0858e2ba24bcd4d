"""Profile: one year batch and one movie batch in-process, on the synthetic upstream.

    python benchmarks/profile_batch.py [--years 2015 2016 ...] [--movies 100] [--sqlite]

Runs ceremony_year_job over the years, then movie_assets_job over the first --movies
films of those years, each under cProfile, against the synthetic upstream (in this
process, --latency per request, TMDb capped at --tmdb-rate) and a fresh PostgreSQL
data database (or SQLite). Prints wall time per asset step and the top functions by
cumulative and by own time, so the costs inside a batch can be read off. With
--pg-instance the Dagster instance is the production one (deploy/dagster.yaml's pooled
PostgreSQL storage, on a fresh database) instead of an in-memory one, so the profile
holds what a run worker pays for its events as well.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

# The test helpers it reuses live beside the package, not in it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from dagster import DagsterInstance
from sqlalchemy.engine import make_url

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets_tests.helpers import materialize_movies, materialize_years, resources
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.synthetic import SyntheticHistory

PG = os.environ.get("CINEGRAPH_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parents[1]


def _database(admin, stack: ExitStack) -> str:
    name = f"cg_profile_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    stack.callback(drop)
    return make_url(PG).set(database=name).render_as_string(False)


def _production_instance(url: str, stack: ExitStack) -> DagsterInstance:
    """deploy/dagster.yaml on a database of its own (DAGSTER_PG_* point at it)."""
    home = Path(tempfile.mkdtemp())
    stack.callback(shutil.rmtree, home, True)
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    parsed = make_url(url)
    os.environ.update(
        {
            "DAGSTER_PG_HOST": parsed.host or "127.0.0.1",
            "DAGSTER_PG_PORT": str(parsed.port or 5432),
            "DAGSTER_PG_USER": parsed.username or "postgres",
            "DAGSTER_PG_PASSWORD": parsed.password or "",
            "DAGSTER_PG_DB": parsed.database,
        }
    )
    return stack.enter_context(DagsterInstance.from_config(str(home)))


def _steps(result) -> dict[str, float]:
    starts, out = {}, {}
    for e in result.all_events:
        if e.event_type_value == "STEP_START":
            starts[e.step_key] = e.timestamp if hasattr(e, "timestamp") else time.time()
    for e in result.all_events:
        if e.event_type_value == "STEP_SUCCESS":
            out[e.step_key] = e.event_specific_data.duration_ms / 1000
    return out


def _profiled(what: str, fn, top: int):
    """Runs fn under cProfile and prints the top functions (top 0: no cProfile, for an
    outside sampling profiler such as py-spy, which sees every thread)."""
    profile = cProfile.Profile()
    started = time.monotonic()
    if top:
        profile.enable()
    result = fn()
    profile.disable()
    print(f"\n== {what}: {time.monotonic() - started:.1f}s; steps {_steps(result)}")
    if not top:
        return
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", nargs="+", default=[str(y) for y in range(2015, 2025)])
    parser.add_argument("--movies", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--tmdb-rate", type=float, default=40)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--pg-instance", action="store_true", help="the production instance's storage"
    )
    args = parser.parse_args()
    history = SyntheticHistory(98)
    admin = sa.create_engine(PG, isolation_level="AUTOCOMMIT")
    with ExitStack() as stack:
        if args.sqlite:
            url = f"sqlite:///{tempfile.mkdtemp()}/cinegraph.sqlite"
        else:
            url = _database(admin, stack)
        db = DatabaseResource(url=url)
        instance = (
            _production_instance(_database(admin, stack), stack)
            if args.pg_instance
            else DagsterInstance.ephemeral()
        )
        upstream = stack.enter_context(
            SampleUpstream(synthetic=history, latency=args.latency, tmdb_rate=args.tmdb_rate)
        )
        res = resources(upstream, db)
        _profiled("years", lambda: materialize_years(args.years, res, instance), args.top)
        films = sorted(k for k, cs in history.films().items() if str(cs[0]) in args.years)[
            : args.movies
        ]
        _profiled("movies", lambda: materialize_movies(films, res, instance), args.top)
        print(upstream.stats())


if __name__ == "__main__":
    main()
