"""Fan-out from ceremony years to movie partitions, and splitting of failed batches."""

from dagster import (
    AssetKey,
    AssetRecordsFilter,
    DagsterEventType,
    DefaultSensorStatus,
    RunRequest,
    RunStatusChangeRecordsFilter,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.movies import store
from cinegraph_assets.movies.batch import SPLIT_FROM_RUN_TAG
from cinegraph_assets.movies.jobs import movie_assets_job
from cinegraph_assets.movies.partitions import (
    contiguous_ranges,
    movies,
    range_run_request,
    validate_movie_key,
)
from cinegraph_assets.settings import env_int

YEAR_ASSET = AssetKey("imdb_enhanced_nominees")
SENSOR_INTERVAL = env_int("CINEGRAPH_MOVIE_SENSOR_INTERVAL_SECONDS", 30)
BATCH_SIZE = env_int("CINEGRAPH_MOVIE_BATCH_SIZE", 25)
# Up to this many new movies in one tick get a run each (each movie materializes and
# retries on its own); more than that (a bulk backfill of years) go in ranged batches,
# as one run per movie costs 2-4 s of launch overhead.
PER_MOVIE_RUN_LIMIT = env_int("CINEGRAPH_MOVIE_PER_RUN_LIMIT", 60)
MAX_YEARS_PER_TICK = 200


def _failed_blocking_checks(context: SensorEvaluationContext, run_id: str) -> list[str]:
    failed = []
    for record in context.instance.all_logs(
        run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
    ):
        evaluation = record.dagster_event.event_specific_data
        if not evaluation.passed and evaluation.blocking:
            failed.append(evaluation.asset_check_key.name)
    return failed


def movie_run_requests(
    new_keys: list[str], ordered_after_add: list[str], per_movie_limit: int, batch_size: int
) -> list[RunRequest]:
    if len(new_keys) <= per_movie_limit:
        return [RunRequest(partition_key=k, run_key=f"movie:{k}") for k in new_keys]
    return [
        range_run_request(a, b, run_key=f"movies:{a}..{b}")
        for a, b in contiguous_ranges(new_keys, ordered_after_add, batch_size)
    ]


@sensor(
    job=movie_assets_job,
    minimum_interval_seconds=SENSOR_INTERVAL,
    default_status=DefaultSensorStatus.RUNNING,
    description="Adds a `movies` partition for every film the latest imdb_enhanced_nominees "
    "materializations brought and requests its movie assets (one run per movie; batched "
    "runs when a tick brings more than CINEGRAPH_MOVIE_PER_RUN_LIMIT movies).",
)
def movie_partitions_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    result = context.instance.fetch_materializations(
        AssetRecordsFilter(asset_key=YEAR_ASSET),
        limit=MAX_YEARS_PER_TICK,
        cursor=context.cursor,
        ascending=True,
    )
    if not result.records:
        return SkipReason("no new imdb_enhanced_nominees materializations")
    brought: list[str] = []
    held: list[str] = []
    for record in result.records:
        failed_checks = _failed_blocking_checks(context, record.run_id)
        year = record.partition_key
        if failed_checks:
            held.append(f"{year} ({', '.join(failed_checks)})")
            continue
        metadata = record.asset_materialization.metadata
        ids = metadata["movie_ids"].value if "movie_ids" in metadata else []
        for key in ids:
            try:
                brought.append(validate_movie_key(key))
            except ValueError as exc:
                context.log.warning(f"year {year}: {exc}")
    if held:
        context.log.warning(
            "not fanning out years whose blocking checks failed: " + "; ".join(held)
        )
    existing = list(context.instance.get_dynamic_partitions(movies.name))
    known = set(existing)
    new_keys = list(dict.fromkeys(k for k in brought if k not in known))
    if not new_keys:
        return SensorResult(
            cursor=result.cursor,
            skip_reason=SkipReason(f"{len(result.records)} year materializations, no new movies"),
        )
    ordered = existing + new_keys
    context.log.info(f"adding {len(new_keys)} movie partitions")
    return SensorResult(
        run_requests=movie_run_requests(new_keys, ordered, PER_MOVIE_RUN_LIMIT, BATCH_SIZE),
        dynamic_partitions_requests=[movies.build_add_request(new_keys)],
        cursor=result.cursor,
    )


def _movie_range(run) -> tuple[str, str] | None:
    """(first, last) movie of a ranged run over movie partitions, else None."""
    start = run.tags.get(ASSET_PARTITION_RANGE_START_TAG)
    end = run.tags.get(ASSET_PARTITION_RANGE_END_TAG)
    if not start or not end or start == end:
        return None
    try:
        return validate_movie_key(start), validate_movie_key(end)
    except ValueError:
        return None  # a range of ceremony years


@sensor(
    job=movie_assets_job,
    minimum_interval_seconds=SENSOR_INTERVAL,
    default_status=DefaultSensorStatus.RUNNING,
    description="When a batched movie run fails, re-runs its movies that succeeded as "
    "ranged runs (reusing their results) and each movie that failed in a run of its own, "
    "so only the failed movies end up failed.",
)
def movie_batch_splitter(context: SensorEvaluationContext, db: DatabaseResource):
    result = context.instance.fetch_run_status_changes(
        RunStatusChangeRecordsFilter(event_type=DagsterEventType.RUN_FAILURE),
        limit=100,
        cursor=context.cursor,
        ascending=True,
    )
    if not result.records:
        return SkipReason("no failed runs")
    requests: list[RunRequest] = []
    all_keys: list[str] | None = None
    for record in result.records:
        run = context.instance.get_run_by_id(record.run_id)
        movie_range = _movie_range(run) if run is not None else None
        if movie_range is None:
            continue
        start, end = movie_range
        if all_keys is None:
            all_keys = list(context.instance.get_dynamic_partitions(movies.name))
        keys = all_keys[all_keys.index(start) : all_keys.index(end) + 1]
        with db.transaction() as conn:
            outcomes = store.run_outcomes(conn, run.run_id)
        if not outcomes:
            continue  # not a run of the per-movie assets, or it never reached them
        failed = [k for k in keys if "failed" in outcomes.get(k, {}).values()]
        succeeded = [k for k in keys if k not in failed and outcomes.get(k)]
        # Movies the batch never reached get a run of their own too.
        failed += [k for k in keys if not outcomes.get(k)]
        if not succeeded:
            # Nothing worked in the batch: a key, an outage, a bug. One run per movie
            # would fail the same way; leave the batch for a person to re-execute.
            context.log.warning(f"run {run.run_id}: no movie succeeded; not splitting")
            continue
        tags = {SPLIT_FROM_RUN_TAG: run.run_id}
        for a, b in contiguous_ranges(succeeded, all_keys, BATCH_SIZE):
            requests.append(range_run_request(a, b, f"split:{run.run_id}:{a}..{b}", tags))
        for key in failed:
            requests.append(
                RunRequest(partition_key=key, run_key=f"split:{run.run_id}:{key}", tags=tags)
            )
        context.log.info(
            f"split failed batch {run.run_id}: {len(succeeded)} succeeded, "
            f"{len(failed)} failed: {', '.join(failed)}"
        )
    return SensorResult(run_requests=requests, cursor=result.cursor)
