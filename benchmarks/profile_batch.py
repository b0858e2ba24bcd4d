"""Profile: one year batch and one movie batch in-process, on the synthetic upstream.

    python benchmarks/profile_batch.py [--years 2015 2016 ...] [--movies 100] [--sqlite]

Runs ceremony_year_job over the years, then movie_assets_job over the first --movies
films of those years, each under cProfile, against the synthetic upstream (in this
process, --latency per request, TMDb capped at --tmdb-rate) and a fresh PostgreSQL
data database (or SQLite). Prints wall time per asset step and the top functions by
cumulative and by own time, so the costs inside a batch can be read off.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
import uuid

import sqlalchemy as sa
from dagster import DagsterInstance

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets_tests.helpers import materialize_movies, materialize_years, resources
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.synthetic import SyntheticHistory

PG = "postgresql://postgres@127.0.0.1:5432/postgres"


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
    profile = cProfile.Profile()
    started = time.monotonic()
    profile.enable()
    result = fn()
    profile.disable()
    print(f"\n== {what}: {time.monotonic() - started:.1f}s; steps {_steps(result)}")
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
    args = parser.parse_args()
    history = SyntheticHistory(98)
    admin = sa.create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"cg_profile_{uuid.uuid4().hex[:8]}"
    if args.sqlite:
        url = f"sqlite:///{tempfile.mkdtemp()}/cinegraph.sqlite"
    else:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.engine.make_url(PG).set(database=name).render_as_string(False)
    db = DatabaseResource(url=url)
    instance = DagsterInstance.ephemeral()
    try:
        with SampleUpstream(
            synthetic=history, latency=args.latency, tmdb_rate=args.tmdb_rate
        ) as upstream:
            res = resources(upstream, db)
            _profiled("years", lambda: materialize_years(args.years, res, instance), args.top)
            films = sorted(k for k, cs in history.films().items() if str(cs[0]) in args.years)[
                : args.movies
            ]
            _profiled("movies", lambda: materialize_movies(films, res, instance), args.top)
            print(upstream.stats())
    finally:
        if not args.sqlite:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
