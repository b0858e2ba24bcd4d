"""ceremony_import_status and the schedules."""

from __future__ import annotations

from datetime import datetime, timezone

from dagster import DagsterInstance, build_schedule_context, instance_for_test, materialize

from cinegraph_assets.movies.schedules import build_omdb_weekly_refresh, refresh_requests
from cinegraph_assets.settings import SETTINGS
from cinegraph_assets.status import ceremony_import_status
from cinegraph_assets_tests.helpers import (
    ceremony_films,
    materialize_movies,
    materialize_year,
    resources,
)


def test_import_status_lists_every_year(upstream, db):
    instance = DagsterInstance.ephemeral()
    res = resources(upstream, db)
    materialize_year("2024", res, instance)
    materialize_year("2026", res, instance)
    materialize_movies(["tt15398776"], res, instance)  # one 2024 film through the movie assets
    result = materialize([ceremony_import_status], resources={"db": db}, instance=instance)
    (event,) = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    rows = {r.data["year"]: r.data for r in metadata["status"].value.records}
    assert sorted(rows) == [2024, 2026]
    assert (rows[2024]["nominations"], rows[2024]["winners"], rows[2024]["films"]) == (120, 23, 53)
    assert (rows[2026]["nominations"], rows[2026]["winners"], rows[2026]["categories"]) == (
        125,
        25,
        24,
    )
    assert rows[2024]["match_rate"] == 1.0
    assert (rows[2024]["tmdb_done"], rows[2024]["omdb_done"], rows[2024]["failed"]) == (1, 1, 0)
    assert "| 2024 | 96 |" in metadata["status_table"].value


def test_weekly_omdb_refresh_covers_recent_ceremonies_within_the_quota(upstream, db):
    with instance_for_test() as instance:
        _weekly_refresh(upstream, db, instance)


def _weekly_refresh(upstream, db, instance):
    res = resources(upstream, db)
    for year in ("2023", "2024", "2025", "2026"):
        materialize_year(year, res, instance)
    by_year = {y: ceremony_films(db, y) for y in (2023, 2024, 2025, 2026)}
    everything = sorted({m for ids in by_year.values() for m in ids})
    instance.add_dynamic_partitions("movies", everything)
    # Closed at once: the context enters an instance of its own (a persistent instance is
    # passed by reference), and one left to the garbage collector would reset Dagster's
    # current state storage in whatever test runs at that moment.
    with build_schedule_context(
        instance=instance,
        resources={"db": db},
        scheduled_execution_time=datetime(2026, 11, 30, 6, tzinfo=timezone.utc),
    ) as context:
        requests = build_omdb_weekly_refresh(SETTINGS)(context)
    covered = set()
    order = list(instance.get_dynamic_partitions("movies"))
    for r in requests:
        if r.partition_key:
            covered.add(r.partition_key)
        else:
            a, b = (
                r.tags["dagster/asset_partition_range_start"],
                r.tags["dagster/asset_partition_range_end"],
            )
            covered |= set(order[order.index(a) : order.index(b) + 1])
    recent = set(by_year[2024]) | set(by_year[2025]) | set(by_year[2026])
    assert covered == recent  # the last three ceremonies, not 2023's own films
    assert all(r.run_key.startswith("omdb-refresh:2026-11-30:") for r in requests)
    # The quota caps how many movies one refresh asks for.
    capped = refresh_requests(sorted(recent), order, budget=10, stamp="x")
    assert sum(1 for _ in capped) >= 1
    assert len({k for r in capped for k in _keys(r, order)}) == 10


def _keys(request, order):
    if request.partition_key:
        return [request.partition_key]
    a, b = (
        request.tags["dagster/asset_partition_range_start"],
        request.tags["dagster/asset_partition_range_end"],
    )
    return order[order.index(a) : order.index(b) + 1]
