"""Sensors evaluated against a real instance: movie fan-out, batch splitting, new years."""

from __future__ import annotations

import json
import shutil

import pytest
from dagster import AssetKey, DagsterInstance, SensorResult, SkipReason, build_sensor_context
from dagster._core.definitions.partitions.definition import DynamicPartitionsDefinition
from dagster._core.storage.partition_status_cache import AssetPartitionStatus

from cinegraph_assets.ceremonies.partitions import known_ceremony_years
from cinegraph_assets.ceremonies.sensors import new_ceremony_sensor
from cinegraph_assets.movies.batch import SPLIT_FROM_RUN_TAG
from cinegraph_assets.movies.partitions import contiguous_ranges, movies
from cinegraph_assets.movies.sensors import (
    movie_batch_splitter,
    movie_partitions_sensor,
    movie_run_requests,
)
from cinegraph_dev.sample_upstream import SampleUpstream, scripted
from cinegraph_dev.sample_upstream.server import DATA
from cinegraph_assets_tests.helpers import (
    FIXTURES,
    materialize_movies,
    materialize_year,
    resources,
    scalar,
)


@pytest.fixture
def instance():
    return DagsterInstance.ephemeral()


def _films(year: str) -> list[str]:
    from cinegraph_assets_tests.helpers import truth_rows

    return sorted({t for r in truth_rows(int(year) - 1928) for t in r["FilmId"].split("|") if t})


def test_movie_sensor_adds_partitions_and_one_run_per_new_movie(upstream, db, instance):
    materialize_year("2024", resources(upstream, db), instance)
    result = movie_partitions_sensor(build_sensor_context(instance=instance))
    assert isinstance(result, SensorResult)
    (add,) = result.dynamic_partitions_requests
    assert sorted(add.partition_keys) == _films("2024") and len(add.partition_keys) == 53
    assert sorted(r.partition_key for r in result.run_requests) == _films("2024")
    assert all(r.run_key == f"movie:{r.partition_key}" for r in result.run_requests)

    # Handled once: the cursor moves past the materialization.
    instance.add_dynamic_partitions("movies", add.partition_keys)
    again = movie_partitions_sensor(build_sensor_context(instance=instance, cursor=result.cursor))
    assert isinstance(again, SkipReason)


def test_movie_sensor_only_adds_movies_it_does_not_know(upstream, db, instance):
    # Thousands of known movies, among them some of this year's films.
    known = [f"tt9{n:07d}" for n in range(5000)] + _films("2024")[:20]
    instance.add_dynamic_partitions("movies", known)
    materialize_year("2024", resources(upstream, db), instance)
    result = movie_partitions_sensor(build_sensor_context(instance=instance))
    (add,) = result.dynamic_partitions_requests
    assert sorted(add.partition_keys) == _films("2024")[20:]


def test_a_year_that_failed_its_blocking_checks_does_not_fan_out(upstream, db, instance):
    upstream.script(
        r"/event/ev0000003/2024/1/",
        scripted(
            200,
            (DATA / "imdb.com/event/ev0000003/2023/1.html")
            .read_bytes()
            .replace(b'"year":2023', b'"year":2024')
            .replace(b'"year": 2023', b'"year": 2024'),
        ),
    )
    materialize_year("2024", resources(upstream, db), instance, raise_on_error=False)
    result = movie_partitions_sensor(build_sensor_context(instance=instance))
    assert not result.dynamic_partitions_requests and not result.run_requests


def test_many_new_movies_go_in_batches():
    keys = [f"tt{n:07d}" for n in range(1000000, 1000130)]
    order = ["tt0000001", *keys]
    requests = movie_run_requests(keys, order, per_movie_limit=60, batch_size=25)
    assert len(requests) == 6
    assert requests[0].tags["dagster/asset_partition_range_start"] == keys[0]
    assert requests[0].tags["dagster/asset_partition_range_end"] == keys[24]
    assert len(movie_run_requests(keys[:60], order, per_movie_limit=60, batch_size=25)) == 60


def test_contiguous_ranges_split_at_gaps_and_size():
    order = [f"k{n}" for n in range(10)]
    assert contiguous_ranges(["k1", "k2", "k3", "k5", "k6", "k9"], order, 2) == [
        ("k1", "k2"),
        ("k3", "k3"),
        ("k5", "k6"),
        ("k9", "k9"),
    ]


def _status(instance, asset: str, keys: list[str]) -> dict[str, AssetPartitionStatus]:
    return instance.get_status_by_partition(
        AssetKey(asset), keys, DynamicPartitionsDefinition(name=movies.name)
    )


def test_a_failed_batch_is_split_so_only_the_failed_movie_ends_failed(upstream, db, instance):
    keys = _films("2024")[:6]
    broken = keys[2]
    # A permanent, movie-specific failure: TMDb refuses this one film every time.
    upstream.script(rf"^/tmdb/3/find/{broken}", *[scripted(400, {"status_message": "bad"})] * 5)
    res = resources(upstream, db)
    batch = materialize_movies(keys, res, instance, raise_on_error=False)
    assert not batch.success
    good_calls = upstream.count(r"^/tmdb/") - upstream.count(rf"^/tmdb/3/find/{broken}")

    result = movie_batch_splitter(build_sensor_context(instance=instance, resources={"db": db}))
    requests = result.run_requests
    assert all(r.tags[SPLIT_FROM_RUN_TAG] == batch.run_id for r in requests)
    singles = [r.partition_key for r in requests if r.partition_key]
    ranges = [
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in requests
        if not r.partition_key
    ]
    assert singles == [broken]
    assert ranges == [(keys[0], keys[1]), (keys[3], keys[5])]

    # What the daemon does with those requests:
    for request in requests:
        if request.partition_key:
            materialize_movies(
                [request.partition_key], res, instance, tags=request.tags, raise_on_error=False
            )
        else:
            start, end = (
                request.tags[t]
                for t in (
                    "dagster/asset_partition_range_start",
                    "dagster/asset_partition_range_end",
                )
            )
            materialize_movies(
                keys[keys.index(start) : keys.index(end) + 1], res, instance, tags=request.tags
            )
    for asset in ("tmdb_movies", "omdb_enrichment", "collaborations"):
        statuses = _status(instance, asset, keys)
        assert {k for k, s in statuses.items() if s == AssetPartitionStatus.MATERIALIZED} == set(
            keys
        ) - {broken}
    assert _status(instance, "tmdb_movies", [broken])[broken] == AssetPartitionStatus.FAILED
    # The movies that had succeeded in the batch were not fetched again.
    assert upstream.count(r"^/tmdb/") - upstream.count(rf"^/tmdb/3/find/{broken}") == good_calls
    # Nothing to split a second time: the failed run was a single movie.
    assert not movie_batch_splitter(
        build_sensor_context(instance=instance, resources={"db": db}, cursor=result.cursor)
    ).run_requests


def test_end_to_end_year_to_movies_in_process(upstream, db, instance):
    """Year assets, the sensor on the same instance, every requested movie run, the data."""
    res = resources(upstream, db)
    materialize_year("2026", res, instance)
    result = movie_partitions_sensor(build_sensor_context(instance=instance))
    instance.add_dynamic_partitions("movies", result.dynamic_partitions_requests[0].partition_keys)
    for request in result.run_requests:
        materialize_movies([request.partition_key], res, instance)
    films = _films("2026")
    manifest = json.loads((DATA / "movies_manifest.json").read_text())
    not_on_tmdb = set(manifest["tmdb_not_found"]) & set(films)
    assert scalar(db, "SELECT count(*) FROM movies WHERE tmdb_status = 'found'") == len(
        films
    ) - len(not_on_tmdb)
    assert scalar(db, "SELECT count(*) FROM movies WHERE tmdb_status = 'not_found'") == len(
        not_on_tmdb
    )
    assert scalar(db, "SELECT count(DISTINCT movie_id) FROM movie_credits") == len(films) - len(
        not_on_tmdb
    )
    assert scalar(db, "SELECT count(DISTINCT movie_id) FROM external_metrics") >= len(films) - 2
    assert scalar(db, "SELECT count(*) FROM collaboration_details") > 1000
    # Nominees IMDb named are the people TMDb credits (one row per human).
    linked = scalar(
        db, "SELECT count(*) FROM people WHERE imdb_id IS NOT NULL AND tmdb_id IS NOT NULL"
    )
    nominees = scalar(
        db,
        "SELECT count(DISTINCT person_id) FROM festival_nomination_people np "
        "JOIN festival_nominations n ON n.id = np.nomination_id WHERE n.source = 'oscars.org'",
    )
    assert linked >= 0.95 * nominees


def _with_2027(tmp_path):
    """A 2027 (99th) page as oscars.org publishes it when nominations are announced."""
    root = tmp_path / "y2027"
    target = root / "oscars.org/oscars/ceremonies/2027.html"
    target.parent.mkdir(parents=True)
    page = (FIXTURES / "pre_ceremony/oscars.org/oscars/ceremonies/2025.html").read_text()
    page = page.replace("97th Academy Awards", "99th Academy Awards").replace("| 2025", "| 2027")
    target.write_text(page)
    shutil.copytree(FIXTURES / "pre_ceremony/imdb.com", root / "imdb.com")
    return root


def test_new_ceremony_sensor(db, instance, tmp_path):
    with SampleUpstream([DATA]) as today:
        res = resources(today, db)
        first = new_ceremony_sensor(build_sensor_context(instance=instance, resources=res))
        (add,) = first.dynamic_partitions_requests
        assert add.partition_keys[0] == "1929" and "2026" in add.partition_keys
        assert not first.run_requests  # the first tick registers history, it runs nothing
        instance.add_dynamic_partitions("ceremony_years", add.partition_keys)
        quiet = new_ceremony_sensor(
            build_sensor_context(instance=instance, resources=res, cursor=first.cursor)
        )
        assert not quiet.run_requests and not quiet.dynamic_partitions_requests
    with SampleUpstream([DATA, _with_2027(tmp_path)]) as announced:
        res = resources(announced, db)
        tick = new_ceremony_sensor(
            build_sensor_context(instance=instance, resources=res, cursor=first.cursor)
        )
    (add,) = tick.dynamic_partitions_requests
    assert add.partition_keys == ["2027"]
    (run,) = tick.run_requests
    assert (run.partition_key, run.run_key) == ("2027", "ceremony:2027")


def test_a_year_awaiting_winners_is_requested_again_until_awarded(db, instance):
    instance.add_dynamic_partitions("ceremony_years", known_ceremony_years())
    with SampleUpstream([DATA, FIXTURES / "pre_ceremony"]) as before_show:
        materialize_year("2025", resources(before_show, db), instance)
        res = resources(before_show, db)
        tick = new_ceremony_sensor(
            build_sensor_context(instance=instance, resources=res, cursor="initialized")
        )
        assert [r.partition_key for r in tick.run_requests] == ["2025"]
        config = tick.run_requests[0].run_config
        assert config["ops"]["scraped_ceremony"]["config"]["refresh"] is True
    with SampleUpstream([DATA]) as after_show:
        res = resources(after_show, db)
        materialize_year("2025", res, instance, refresh=True)
        tick = new_ceremony_sensor(
            build_sensor_context(instance=instance, resources=res, cursor="initialized")
        )
        assert not [r for r in tick.run_requests if r.partition_key == "2025"]
