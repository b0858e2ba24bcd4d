"""Ranged runs: every partition its own unit, materialization and outcome, and a failed
one never takes the others down; the splitter finishes what a failed batch left."""

from __future__ import annotations

import gc

from dagster import AssetKey, build_sensor_context
from dagster._core.definitions.partitions.definition import DynamicPartitionsDefinition
from dagster._core.storage.partition_status_cache import AssetPartitionStatus

from cinegraph_assets.runtime import batches
from cinegraph_assets_tests.helpers import (
    db_signature,
    location_sensor,
    materialize_years,
    outcomes_of,
    resources,
    run_job,
    truth_signature,
    year_assets,
    year_config,
)
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.server import DATA

batch_splitter = location_sensor("batch_splitter")

YEARS = ["2023", "2024", "2025", "2026"]
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"
DONE = AssetPartitionStatus.MATERIALIZED


def _years_status(instance, asset: str) -> dict[str, AssetPartitionStatus]:
    return instance.get_status_by_partition(
        AssetKey(asset), YEARS, DynamicPartitionsDefinition(name="ceremony_years")
    )


def test_a_ranged_run_of_years_imports_each_year_on_its_own(upstream, db, instance):
    result = materialize_years(YEARS, resources(upstream, db), instance)
    assert result.success
    for year in YEARS:
        assert db_signature(db, int(year)) == truth_signature(int(year) - 1928)
    # Each year is a materialization of its own, with its own metadata and checks.
    events = [
        e for e in result.get_asset_materialization_events()
        if e.asset_key == AssetKey("imdb_enhanced_nominees")
    ]  # fmt: skip
    assert sorted(e.partition for e in events) == YEARS
    by_year = {e.partition: e.materialization.metadata for e in events}
    assert by_year["2026"]["nominations"].value == 125
    assert by_year["2024"]["nominations"].value == 120
    checked = {
        (e.event_specific_data.check_name, e.event_specific_data.partition)
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    assert ("imdb_match_rate", "2025") in checked and len(checked) == 4 * len(YEARS)


def test_a_year_that_fails_inside_a_ranged_run_leaves_the_other_years_materialized(
    db, instance, tmp_path
):
    # oscars.org serves a captcha for 2025 (not a ceremony page: fails at once).
    broken = tmp_path / "captcha"
    page = broken / "oscars.org/oscars/ceremonies/2025.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body><h1>Pardon Our Interruption</h1> captcha </body></html>")
    with SampleUpstream([DATA, broken]) as upstream:
        res = resources(upstream, db)
        batch = materialize_years(YEARS, res, instance, raise_on_error=False)
        assert not batch.success
        scraped = _years_status(instance, "scraped_ceremony")
        assert {y for y, s in scraped.items() if s == DONE} == {"2023", "2024", "2026"}
        assert scraped["2025"] == AssetPartitionStatus.FAILED
        assert outcomes_of(db, batch.run_id)["2025"] == {"scraped_ceremony": "failed"}

        result = batch_splitter(build_sensor_context(instance=instance, resources={"db": db}))
        requests = result.run_requests
        assert {r.job_name for r in requests} == {"ceremony_year_job"}
        ranges = sorted(
            (r.partition_key,) * 2 if r.partition_key else (r.tags[RANGE_START], r.tags[RANGE_END])
            for r in requests
        )
        assert ranges == [("2023", "2024"), ("2025", "2025"), ("2026", "2026")]
        for request in requests:
            first, last = (
                (request.partition_key,) * 2
                if request.partition_key
                else (request.tags[RANGE_START], request.tags[RANGE_END])
            )
            keys = YEARS[YEARS.index(first) : YEARS.index(last) + 1]
            lacking = set(request.asset_selection)
            if first == "2025":
                assert lacking == {AssetKey("scraped_ceremony"), AssetKey("imdb_enhanced_nominees")}
            else:  # their scrape worked: only the matching is left to do
                assert lacking == {AssetKey("imdb_enhanced_nominees")}
            selection = [_assets()[k] for k in lacking]
            config = year_config(assets=[a.key.to_user_string() for a in selection])
            run_job("ceremony_year_job", keys, res, instance, tags=request.tags,
                    run_config=config, raise_on_error=False, selection=selection)  # fmt: skip
    matched = _years_status(instance, "imdb_enhanced_nominees")
    assert {y for y, s in matched.items() if s == DONE} == {"2023", "2024", "2026"}
    for year in ("2023", "2024", "2026"):
        assert db_signature(db, int(year)) == truth_signature(int(year) - 1928)
    # The pages of the good years were fetched once, in the first run.
    assert upstream.count(r"/ceremonies/2024") == 1


def _assets():
    return {a.key: a for a in year_assets()}


def test_the_first_batch_of_a_process_freezes_what_it_loaded_and_later_ones_do_not(
    upstream, db, instance, monkeypatch
):
    gc.unfreeze()  # as in a fresh process (another test may have run a batch here)
    monkeypatch.setattr(batches, "_FROZEN_IN", None)
    assert gc.get_freeze_count() == 0
    assert materialize_years(YEARS[:2], resources(upstream, db), instance).success
    frozen = gc.get_freeze_count()
    assert frozen > 0  # Dagster and the code location, out of the collector's way
    assert materialize_years(YEARS[2:], resources(upstream, db), instance).success
    # Not frozen again: the first run's garbage stays collectable. (Frozen objects that
    # are freed leave the count, so it may shrink; a second freeze would add thousands.)
    assert gc.get_freeze_count() <= frozen


def test_a_process_forked_warm_freezes_what_its_run_loaded(upstream, db, instance, monkeypatch):
    """A run process forked from the fork server comes with the server's imports frozen
    (runtime/preloaded.py); its first batch still freezes what the run loaded since."""
    gc.unfreeze()
    gc.freeze()  # the fork server's
    monkeypatch.setattr(batches, "_FROZEN_IN", None)  # this process has frozen nothing yet
    inherited = gc.get_freeze_count()
    junk = [[i] for i in range(20_000)]  # what the run loads before its first batch
    assert materialize_years(YEARS[:1], resources(upstream, db), instance).success
    assert gc.get_freeze_count() >= inherited + len(junk)
