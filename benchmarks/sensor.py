"""Benchmark: one tick of the movie sensor with many movies already known.

    python benchmarks/sensor.py --known 5000 --new 50 --years 10

Uses a Dagster instance on disk (SQLite storage, as `dagster dev`), registers --known
movie partitions, records --years year materializations bringing --new movies each
(half of them already known), and times sensor ticks. Prints seconds per tick.
"""

from __future__ import annotations

import argparse
import time

from dagster import AssetMaterialization, MetadataValue, build_sensor_context, instance_for_test

from cinegraph_assets.definitions import defs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--known", type=int, default=5000)
    parser.add_argument("--new", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    movie_partitions_sensor = defs.resolve_sensor_def("movie_partitions_sensor")
    with instance_for_test() as instance:
        known = [f"tt{n:08d}" for n in range(10_000_000, 10_000_000 + args.known)]
        instance.add_dynamic_partitions("movies", known)
        for year in range(args.years):
            brought = known[year * args.new : year * args.new + args.new // 2] + [
                f"tt{n:08d}"
                for n in range(
                    20_000_000 + year * args.new, 20_000_000 + year * args.new + args.new // 2
                )
            ]
            instance.report_runless_asset_event(
                AssetMaterialization(
                    asset_key="imdb_enhanced_nominees",
                    partition=str(2000 + year),
                    metadata={"movie_ids": MetadataValue.json(brought)},
                )
            )
        started = time.perf_counter()
        result = movie_partitions_sensor(build_sensor_context(instance=instance))
        first = time.perf_counter() - started
        added = len(result.dynamic_partitions_requests[0].partition_keys)
        instance.add_dynamic_partitions(
            "movies", result.dynamic_partitions_requests[0].partition_keys
        )
        started = time.perf_counter()
        movie_partitions_sensor(build_sensor_context(instance=instance, cursor=result.cursor))
        idle = time.perf_counter() - started
    print(
        f"known movies: {args.known}, year materializations: {args.years}, new movies: {added}, "
        f"run requests: {len(result.run_requests)}"
    )
    print(f"tick with new years: {first:.3f}s; idle tick: {idle:.3f}s")


if __name__ == "__main__":
    main()
