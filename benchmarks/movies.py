"""Benchmark: the per-movie assets for N movies, one run per movie vs batched runs.

    python benchmarks/movies.py --movies 100 --latency 0.05

Runs the real stack (Dagster webserver and daemon processes on a fresh local instance,
the sample upstream answering every request after --latency seconds) twice: once with
one run per movie (CINEGRAPH_MOVIE_BATCH_SIZE=1) and once batched (default 25). Each
time it launches a backfill of the movie assets through GraphQL, as the UI would, and
waits until every movie partition is materialized. Prints movies per second, upstream
calls per movie, runs launched and the peak memory of all processes together.
Set CINEGRAPH_DATABASE_URL to measure on PostgreSQL; the default is a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from dagster import AssetKey, DagsterInstance
from dagster._core.definitions.partitions.definition import DynamicPartitionsDefinition
from dagster._core.storage.partition_status_cache import AssetPartitionStatus

from cinegraph_dev.local_stack import DagsterStack, rss_kb
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.server import DATA

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ["tmdb_movies", "omdb_enrichment", "collaborations"]


def run(movies: list[str], batch_size: int, latency: float, timeout: float) -> dict:
    work = Path(tempfile.mkdtemp(prefix="cinegraph-bench-"))
    home = work / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.local.yaml", home / "dagster.yaml")
    upstream = SampleUpstream(latency=latency).start()
    env = {
        **os.environ,
        **upstream.env(),
        "DAGSTER_HOME": str(home),
        "CINEGRAPH_DATA_DIR": str(work / "data"),
        "TMDB_API_KEY": "bench",
        "OMDB_API_KEY": "bench",
        "CINEGRAPH_MOVIE_BATCH_SIZE": str(batch_size),
        "CINEGRAPH_MOVIE_SENSOR_INTERVAL_SECONDS": "3600",
    }
    stack = DagsterStack(
        workspace=ROOT / "workspace.yaml", env=env, log_dir=work / "logs", cwd=ROOT
    )
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        stack.start()
        stack.wait_ready()
        instance = DagsterInstance.get()
        instance.add_dynamic_partitions("movies", movies)
        before = len(upstream.requests)
        started = time.monotonic()
        backfill_id = stack.launch_backfill(ASSETS, movies)
        peak = 0
        deadline = started + timeout
        partitions = DynamicPartitionsDefinition(name="movies")
        while time.monotonic() < deadline:
            peak = max(peak, rss_kb(stack.pids()))
            status = [
                instance.get_status_by_partition(AssetKey(a), movies, partitions) or {}
                for a in ASSETS
            ]
            settled = [
                s
                for st in status
                for s in st.values()
                if s in (AssetPartitionStatus.MATERIALIZED, AssetPartitionStatus.FAILED)
            ]
            if len(settled) == len(ASSETS) * len(movies):
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        failed = sum(s == AssetPartitionStatus.FAILED for st in status for s in st.values())
        runs = len(instance.get_run_records())
        return {
            "mode": "one run per movie" if batch_size == 1 else f"batched ({batch_size} per run)",
            "movies": len(movies),
            "seconds": round(elapsed, 1),
            "movies_per_second": round(len(movies) / elapsed, 2),
            "upstream_calls_per_movie": round((len(upstream.requests) - before) / len(movies), 2),
            "runs_launched": runs,
            "failed_partitions": failed,
            "peak_memory_mb": round(peak / 1024),
            "backfill": backfill_id,
        }
    finally:
        stack.stop()
        upstream.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--batch-size", type=int, default=25)
    parser.add_argument(
        "--modes", nargs="+", default=["per-movie", "batched"], choices=["per-movie", "batched"]
    )
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    manifest = json.loads((DATA / "movies_manifest.json").read_text())
    movies = sorted(manifest["films"])[: args.movies]
    print(f"{len(movies)} movies, {args.latency * 1000:.0f} ms per upstream request")
    for mode in args.modes:
        result = run(
            movies, 1 if mode == "per-movie" else args.batch_size, args.latency, args.timeout
        )
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
