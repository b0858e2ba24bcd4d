"""Sensors evaluated against a real instance: movie fan-out, batch splitting, new years."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

from dagster import (
    AssetKey,
    AssetMaterialization,
    Definitions,
    MetadataValue,
    SensorResult,
    SkipReason,
    build_sensor_context,
)
from dagster._core.definitions.partitions.definition import DynamicPartitionsDefinition
from dagster._core.storage.partition_status_cache import AssetPartitionStatus

from cinegraph_assets.ceremonies.partitions import known_ceremony_years
from cinegraph_assets.ceremonies.sensors import build_new_ceremony_sensor
from cinegraph_assets.definitions import split_targets
from cinegraph_assets.movies.jobs import omdb_refresh_job
from cinegraph_assets.movies.partitions import movies
from cinegraph_assets.movies.sensors import (
    MAX_RUNS_PER_TICK,
    even_size,
    movie_run_requests,
    movie_sensor,
)
from cinegraph_assets.runtime import outcomes
from cinegraph_assets.runtime.ranges import contiguous_ranges
from cinegraph_assets.runtime.splitter import (
    SPLIT_FROM_RUN_TAG,
    materialized_by_run,
    reported,
    split_requests,
)
from cinegraph_assets.settings import SETTINGS
from cinegraph_assets_tests.helpers import (
    FIXTURES,
    location_sensor,
    materialize_movies,
    materialize_year,
    movie_assets,
    partition_metadata,
    resources,
    scalar,
    year_assets,
)
from cinegraph_dev.sample_upstream import SampleUpstream, scripted
from cinegraph_dev.sample_upstream.server import DATA

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"
movie_partitions_sensor = location_sensor("movie_partitions_sensor")
batch_splitter = location_sensor("batch_splitter")
new_ceremony_sensor = build_new_ceremony_sensor(SETTINGS)
SPLIT_TARGETS = {t.job.name: t for t in split_targets(SETTINGS)}


def _films(year: str) -> list[str]:
    from cinegraph_assets_tests.helpers import truth_rows

    return sorted({t for r in truth_rows(int(year) - 1928) for t in r["FilmId"].split("|") if t})


def _ranges(requests) -> list[tuple[str, str]]:
    return [
        (r.tags[RANGE_START], r.tags[RANGE_END]) if not r.partition_key else (r.partition_key,) * 2
        for r in requests
    ]


def test_movie_sensor_adds_partitions_and_requests_them_in_batches(upstream, db, instance):
    materialize_year("2024", resources(upstream, db), instance)
    result = movie_partitions_sensor(build_sensor_context(instance=instance))
    assert isinstance(result, SensorResult)
    (add,) = result.dynamic_partitions_requests
    assert sorted(add.partition_keys) == _films("2024") and len(add.partition_keys) == 53
    # One ranged run covers the whole year; it was not part of a bulk backfill, so it
    # jumps the queue.
    (run,) = result.run_requests
    assert _ranges([run]) == [(add.partition_keys[0], add.partition_keys[-1])]
    assert run.tags["dagster/priority"] == "10"
    assert run.run_key == f"movies:{add.partition_keys[0]}..{add.partition_keys[-1]}"

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


def test_a_tick_requests_a_bounded_number_of_runs_and_leaves_the_rest_to_the_next(instance):
    # Batches of 10: a tick adds at most MAX_RUNS_PER_TICK * 10 = 40 new films, never
    # cutting a year in two; films already known do not count.
    sensor = movie_sensor(
        {AssetKey("imdb_enhanced_nominees"): set()}, replace(SETTINGS, movie_batch_size=10)
    )
    known = [f"tt1{n:07d}" for n in range(30)]
    instance.add_dynamic_partitions("movies", known)
    brought = {str(2000 + y): [f"tt2{y:03d}{n:04d}" for n in range(10)] for y in range(6)}
    brought["1999"] = known  # all known: adds nothing, fills nothing
    for year in ["1999", *sorted(set(brought) - {"1999"})]:
        instance.report_runless_asset_event(
            AssetMaterialization(
                asset_key="imdb_enhanced_nominees",
                partition=year,
                metadata={"movie_ids": MetadataValue.json(brought[year])},
            )
        )
    first = sensor(build_sensor_context(instance=instance))
    (add,) = first.dynamic_partitions_requests
    assert MAX_RUNS_PER_TICK * 10 == 40
    assert add.partition_keys == [k for y in range(2000, 2004) for k in brought[str(y)]]
    assert len(first.run_requests) == 4
    instance.add_dynamic_partitions("movies", add.partition_keys)
    second = sensor(build_sensor_context(instance=instance, cursor=first.cursor))
    (rest,) = second.dynamic_partitions_requests
    assert rest.partition_keys == brought["2004"] + brought["2005"]
    instance.add_dynamic_partitions("movies", rest.partition_keys)
    assert isinstance(
        sensor(build_sensor_context(instance=instance, cursor=second.cursor)), SkipReason
    )


def test_many_new_movies_go_in_batches_and_urgent_ones_first():
    keys = [f"tt{n:07d}" for n in range(1000000, 1000130)]
    order = ["tt0000001", *keys]
    requests = movie_run_requests(keys, order, batch_size=25, urgent=set(keys[:30]))
    # 30 urgent films in two even runs, not 25 and 5.
    assert _ranges(requests) == [
        (keys[0], keys[14]),
        (keys[15], keys[29]),
        (keys[30], keys[54]),
        (keys[55], keys[79]),
        (keys[80], keys[104]),
        (keys[105], keys[129]),
    ]
    assert [r.tags.get("dagster/priority") for r in requests] == ["10", "10"] + [None] * 4


def test_batches_are_as_even_as_their_count_allows():
    counts = (1, 250, 251, 500, 501, 1050)
    assert [even_size(n, 250) for n in counts] == [250, 250, 126, 250, 167, 210]


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


def _run(request, keys, res, instance, **kwargs):
    """What the daemon does with a run request of the movie assets."""
    selection = [a for a in movie_assets() if a.key in set(request.asset_selection or [])]
    chosen = keys[keys.index(_ranges([request])[0][0]) : keys.index(_ranges([request])[0][1]) + 1]
    return materialize_movies(
        chosen, res, instance, tags=request.tags, selection=selection or None, **kwargs
    )


def _batch_with_a_broken_movie(upstream, db, instance, keys, broken):
    """One failed movie batch: a permanent, movie-specific failure (TMDb refuses one
    film every time), the other movies fine. Returns (resources, run result)."""
    upstream.script(rf"^/tmdb/3/movie/{broken}", *[scripted(400, {"status_message": "bad"})] * 5)
    res = resources(upstream, db)
    batch = materialize_movies(keys, res, instance, raise_on_error=False)
    assert not batch.success
    return res, batch


def test_a_failed_batch_is_split_so_only_the_failed_movie_ends_failed(upstream, db, instance):
    keys = _films("2024")[:6]
    broken = keys[2]
    res, batch = _batch_with_a_broken_movie(upstream, db, instance, keys, broken)
    # The movies that worked are materialized at once, the broken one failed.
    assert {
        k
        for k, s in _status(instance, "tmdb_movies", keys).items()
        if s == AssetPartitionStatus.MATERIALIZED
    } == set(keys) - {broken}
    good_calls = upstream.count(r"^/tmdb/") - upstream.count(rf"^/tmdb/3/movie/{broken}")

    result = batch_splitter(build_sensor_context(instance=instance, resources={"db": db}))
    requests = result.run_requests
    assert all(r.tags[SPLIT_FROM_RUN_TAG] == batch.run_id for r in requests)
    assert all(r.job_name == "movie_assets_job" for r in requests)
    singles = [r for r in requests if r.partition_key]
    ranged = [r for r in requests if not r.partition_key]
    assert [r.partition_key for r in singles] == [broken]
    assert set(singles[0].asset_selection) == {
        AssetKey("tmdb_movies"),
        AssetKey("omdb_enrichment"),
        AssetKey("collaborations"),
    }
    assert _ranges(ranged) == [(keys[0], keys[1]), (keys[3], keys[5])]
    # The movies that succeeded are not sent to TMDb again: only what they lack runs.
    assert all(
        set(r.asset_selection) == {AssetKey("omdb_enrichment"), AssetKey("collaborations")}
        for r in ranged
    )
    for request in requests:
        _run(request, keys, res, instance, raise_on_error=False)
    for asset in ("tmdb_movies", "omdb_enrichment", "collaborations"):
        statuses = _status(instance, asset, keys)
        assert {k for k, s in statuses.items() if s == AssetPartitionStatus.MATERIALIZED} == set(
            keys
        ) - {broken}
    assert _status(instance, "tmdb_movies", [broken])[broken] == AssetPartitionStatus.FAILED
    assert upstream.count(r"^/tmdb/") - upstream.count(rf"^/tmdb/3/movie/{broken}") == good_calls
    # Nothing to split a second time: the failed run was a single movie.
    assert not batch_splitter(
        build_sensor_context(instance=instance, resources={"db": db}, cursor=result.cursor)
    ).run_requests


def test_a_success_its_run_could_not_report_is_reported_by_a_split_run(upstream, db, instance):
    """The instance database went away as a run reported a partition: the data and its
    outcome are written, the materialization event is not. The split run reports it,
    reusing the outcome (no second TMDb call)."""
    keys = _films("2024")[:4]
    broken = keys[3]
    res, batch = _batch_with_a_broken_movie(upstream, db, instance, keys, broken)
    lost = keys[1]
    with db.transaction() as conn:
        recorded = outcomes.of_run(conn, batch.run_id)
    assert recorded[lost]["tmdb_movies"] == "ok"
    materialized = materialized_by_run(instance, batch.run_id)
    assert ("tmdb_movies", lost) in materialized
    materialized.discard(("tmdb_movies", lost))  # the event that never reached the instance

    run = instance.get_run_by_id(batch.run_id)
    done = reported(recorded, materialized)
    requests = split_requests(run, keys, done, SPLIT_TARGETS[run.job_name])
    for_lost = [r for r in requests if _ranges([r])[0] == (lost, lost)]
    assert [set(r.asset_selection) for r in for_lost] == [
        {AssetKey("tmdb_movies"), AssetKey("omdb_enrichment"), AssetKey("collaborations")}
    ]
    calls = upstream.count(r"^/tmdb/")
    result = _run(for_lost[0], keys, res, instance)
    assert upstream.count(r"^/tmdb/") == calls
    metadata = partition_metadata(result, "tmdb_movies")[lost]
    assert metadata["reused_from_run"] == batch.run_id


def test_the_splitter_keeps_the_failed_runs_job_and_selection(upstream, db, instance):
    keys = _films("2024")[:4]
    res = resources(upstream, db)
    materialize_movies(keys, res, instance)
    broken = keys[1]
    upstream.script(
        rf"^/omdb/\?i={broken}",
        *[scripted(400, {"Response": "False", "Error": "Something else"})] * 3,
    )
    # The weekly refresh, as the schedule runs it: omdb_refresh_job over a range.
    job = Definitions(
        assets=movie_assets(), jobs=[omdb_refresh_job], resources=res
    ).resolve_job_def("omdb_refresh_job")
    refresh = job.execute_in_process(
        instance=instance,
        tags={RANGE_START: keys[0], RANGE_END: keys[-1]},
        raise_on_error=False,
    )
    assert not refresh.success
    result = batch_splitter(build_sensor_context(instance=instance, resources={"db": db}))
    requests = [r for r in result.run_requests if r.tags[SPLIT_FROM_RUN_TAG] == refresh.run_id]
    assert {r.job_name for r in requests} == {"omdb_refresh_job"}
    assert [r.partition_key for r in requests if r.partition_key] == [broken]
    # Only the failed movie is left to do: the others' refresh worked.
    assert all(set(r.asset_selection) == {AssetKey("omdb_enrichment")} for r in requests)
    assert len(requests) == 1
    assert upstream.count(r"^/tmdb/") == len(keys)  # TMDb is never asked again


def test_end_to_end_year_to_movies_in_process(upstream, db, instance):
    """Year assets, the sensor on the same instance, every requested movie run, the data."""
    res = resources(upstream, db)
    materialize_year("2026", res, instance)
    result = movie_partitions_sensor(build_sensor_context(instance=instance))
    instance.add_dynamic_partitions("movies", result.dynamic_partitions_requests[0].partition_keys)
    keys = result.dynamic_partitions_requests[0].partition_keys
    for request in result.run_requests:
        _run(request, keys, res, instance)
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


def test_fan_out_waits_until_the_years_run_has_finished(upstream, db, tmp_path):
    """The year's materialization exists while its run is still going: the sensor waits,
    and fans out once the run has finished with its checks."""
    import threading

    from dagster import AssetKey as Key
    from dagster import asset, instance_for_test, materialize

    from cinegraph_assets_tests.helpers import year_config

    scraped_ceremony, imdb_enhanced_nominees = year_assets()

    release = threading.Event()

    @asset(deps=[imdb_enhanced_nominees], partitions_def=imdb_enhanced_nominees.partitions_def)
    def later_step():
        # A step after the year's assets keeps the run open until released.
        assert release.wait(60)

    with instance_for_test() as instance:
        instance.add_dynamic_partitions("ceremony_years", ["2024"])
        done = threading.Event()
        runner = threading.Thread(
            target=lambda: (
                materialize(
                    [scraped_ceremony, imdb_enhanced_nominees, later_step],
                    partition_key="2024",
                    resources=resources(upstream, db),
                    instance=instance,
                    run_config=year_config(),
                ),
                done.set(),
            )
        )
        runner.start()
        try:
            for _ in range(600):
                if instance.get_latest_materialization_event(Key("imdb_enhanced_nominees")):
                    break
                threading.Event().wait(0.1)
            early = movie_partitions_sensor(build_sensor_context(instance=instance))
            assert isinstance(early, SkipReason) and "not finished" in early.skip_message
        finally:
            release.set()
            runner.join(120)
        assert done.is_set()
        tick = movie_partitions_sensor(build_sensor_context(instance=instance))
        (add,) = tick.dynamic_partitions_requests
        assert sorted(add.partition_keys) == _films("2024")


def test_a_batch_that_failed_before_any_partition_runs_again_once_whole(upstream, db, instance):
    # Keys the movie assets refuse fail the step before any partition is reached, as an
    # instance database restarting at step start does: no outcome is recorded.
    res = resources(upstream, db)
    keys = ["not-a-film", "not-a-film-either"]
    failed = materialize_movies(keys, res, instance, raise_on_error=False)
    assert not failed.success
    result = batch_splitter(build_sensor_context(instance=instance, resources={"db": db}))
    again = [r for r in result.run_requests if r.tags[SPLIT_FROM_RUN_TAG] == failed.run_id]
    assert len(again) == 1
    assert (again[0].tags[RANGE_START], again[0].tags[RANGE_END]) == tuple(keys)
    assert {k.to_user_string() for k in again[0].asset_selection} == {
        "tmdb_movies",
        "omdb_enrichment",
        "collaborations",
    }
    # The run the splitter asked for fails the same way: it is not run a third time.
    tags = {SPLIT_FROM_RUN_TAG: failed.run_id}
    rerun = materialize_movies(keys, res, instance, raise_on_error=False, tags=tags)
    assert not rerun.success
    later = batch_splitter(
        build_sensor_context(instance=instance, resources={"db": db}, cursor=result.cursor)
    )
    assert not getattr(later, "run_requests", None)
