"""Splits a failed batch so that only its failed partitions end up failed.

Dagster cannot fail single partitions of a ranged run (dagster-io/dagster #17836,
#15666): when one movie (or year) of a batch fails, the step fails after materializing
the others (batches.py) and the run's later steps do not run for any of them. This
sensor reads the failed run's outcomes and requests, with the failed run's own job and
asset selection:
- ranged runs of the partitions that succeeded, selecting only the assets they still
  lack (their finished assets are not fetched again);
- one run per failed partition, selecting the assets it lacks.
A partition whose outcome says it worked but whose materialization the run never
reported (the instance database went away as the event was written) counts as lacking
that asset: the new run reuses the outcome and reports it, without fetching again.
A run whose step failed before it reached any partition (no outcome at all) runs again
once, whole.
Runs that failed without a step failure (a worker killed, a start timeout) are left to
Dagster's run retries, which re-launch them whole; the re-launched run reuses the
outcomes its parent recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dagster import (
    AssetKey,
    DagsterEventType,
    DagsterRun,
    DefaultSensorStatus,
    DynamicPartitionsDefinition,
    RunRequest,
    RunStatusChangeRecordsFilter,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

# The run tags Dagster sets (range, failure reason, retry) have no public names.
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    RUN_FAILURE_REASON_TAG,
    WILL_RETRY_TAG,
)

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.runtime import outcomes
from cinegraph_assets.runtime.batches import SPLIT_FROM_RUN_TAG
from cinegraph_assets.runtime.ranges import contiguous_ranges, range_run_request


@dataclass(frozen=True)
class SplitTarget:
    """A job whose failed ranged runs the splitter finishes (the code location names
    them): the dynamic partitions its runs range over, and the size of the runs it
    requests, the backfill's own."""

    job: Any  # a define_asset_job job (its class has no public name)
    partitions: DynamicPartitionsDefinition
    batch_size: int

    @property
    def assets(self) -> set[str]:
        # A job selects its assets by key: read them from its definition.
        return {k.to_user_string() for k in self.job.selection.selected_keys}


def _range_keys(context, run: DagsterRun, target: SplitTarget) -> list[str] | None:
    """The partitions of a ranged run, else None."""
    start = run.tags.get(ASSET_PARTITION_RANGE_START_TAG)
    end = run.tags.get(ASSET_PARTITION_RANGE_END_TAG)
    if not start or not end or start == end:
        return None
    keys = list(context.instance.get_dynamic_partitions(target.partitions.name))
    if start in keys and end in keys:
        return keys[keys.index(start) : keys.index(end) + 1]
    return None


def _selection(run: DagsterRun, target: SplitTarget) -> set[str]:
    if run.asset_selection:
        return {k.to_user_string() for k in run.asset_selection}
    return target.assets


def _outage(done: dict[str, dict[str, str]]) -> str | None:
    """An asset that failed for some partitions and worked for none: an outage, a bad
    key or a bug, which one run per partition would only repeat."""
    worked, failed = defaultdict(int), defaultdict(int)
    for by_asset in done.values():
        for asset, status in by_asset.items():
            (worked if status in outcomes.OK else failed)[asset] += 1
    return next((a for a in sorted(failed) if not worked[a]), None)


def materialized_by_run(instance, run_id: str) -> set[tuple[str, str]]:
    """(asset, partition) of every materialization a run reported."""
    found, cursor = set(), None
    while True:
        page = instance.get_records_for_run(
            run_id, cursor=cursor, of_type=DagsterEventType.ASSET_MATERIALIZATION, limit=1000
        )
        for record in page.records:
            event = record.event_log_entry.dagster_event
            found.add((event.asset_key.to_user_string(), event.partition))
        if not page.has_more:
            return found
        cursor = page.cursor


def reported(
    recorded: dict[str, dict[str, str]], materialized: set[tuple[str, str]]
) -> dict[str, dict[str, str]]:
    """The outcomes of a run, without successes the run did not report to Dagster."""
    return {
        key: {
            asset: status
            for asset, status in by_asset.items()
            if status not in outcomes.OK or (asset, key) in materialized
        }
        for key, by_asset in recorded.items()
    }


def split_requests(
    run: DagsterRun, keys: list[str], done: dict[str, dict[str, str]], target: SplitTarget
) -> list[RunRequest]:
    """The runs that finish what `run` (over `keys`, in partition order) left undone;
    `done` is its outcomes."""
    selection = _selection(run, target)
    tags = {SPLIT_FROM_RUN_TAG: run.run_id}
    if not done:
        # The step failed before it reached a partition: Dagster's own storage was
        # unreachable at step start (a database restart), say. The batch runs again
        # once, whole; not a run the splitter asked for, so a lasting cause cannot loop.
        if SPLIT_FROM_RUN_TAG in run.tags:
            return []
        return [
            range_run_request(
                a, b, f"split:{run.run_id}:{a}..{b}", tags, **_target(run, frozenset(selection))
            )
            for a, b in contiguous_ranges(keys, keys, target.batch_size)
        ]
    if _outage(done):
        return []
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    requests = []
    for key in keys:
        mine = done.get(key)
        lacking = frozenset(selection - {a for a, s in (mine or {}).items() if s in outcomes.OK})
        if not lacking:
            continue
        if mine is not None and all(s in outcomes.OK for s in mine.values()):
            groups[lacking].append(key)  # it worked as far as it got
            continue
        requests.append(
            RunRequest(
                partition_key=key,
                run_key=f"split:{run.run_id}:{key}",
                tags=tags,
                **_target(run, lacking),
            )
        )
    for lacking, group in groups.items():
        for a, b in contiguous_ranges(group, keys, target.batch_size):
            requests.append(
                range_run_request(
                    a, b, f"split:{run.run_id}:{a}..{b}", tags, **_target(run, lacking)
                )
            )
    return requests


def _target(run: DagsterRun, lacking: frozenset[str]) -> dict:
    return {
        "job_name": run.job_name,
        "asset_selection": [AssetKey.from_user_string(a) for a in sorted(lacking)],
    }


def _split_failed_runs(
    targets: dict[str, SplitTarget], context: SensorEvaluationContext, db: DatabaseResource
):
    result = context.instance.fetch_run_status_changes(
        RunStatusChangeRecordsFilter(event_type=DagsterEventType.RUN_FAILURE),
        limit=100,
        cursor=context.cursor,
        ascending=True,
    )
    if not result.records:
        return SkipReason("no failed runs")
    requests: list[RunRequest] = []
    for record in result.records:
        run = context.instance.get_run_by_id(record.run_id)
        if (
            run is None
            or run.tags.get(RUN_FAILURE_REASON_TAG) != "STEP_FAILURE"
            or run.tags.get(WILL_RETRY_TAG) == "true"
        ):
            continue  # a crash: Dagster's run retries re-launch it whole
        target = targets.get(run.job_name)
        keys = None if target is None else _range_keys(context, run, target)
        if target is None or keys is None:
            continue
        with db.transaction() as conn:
            recorded = outcomes.of_run(conn, run.run_id)
        done = reported(recorded, materialized_by_run(context.instance, run.run_id))
        split = split_requests(run, keys, done, target)
        if not split:
            context.log.warning(
                f"run {run.run_id}: not split ({_outage(done) or 'nothing'} failed for every "
                "partition it reached); re-execute it once the cause is fixed"
            )
        else:
            context.log.info(f"split failed batch {run.run_id} into {len(split)} runs")
        requests += split
    return SensorResult(run_requests=requests, cursor=result.cursor)


def build_batch_splitter(targets: Sequence[SplitTarget], interval: int) -> SensorDefinition:
    by_job = {t.job.name: t for t in targets}

    @sensor(
        name="batch_splitter",
        jobs=[t.job for t in targets],
        minimum_interval_seconds=interval,
        default_status=DefaultSensorStatus.RUNNING,
        description="When a batched run (years or movies) fails at a step, re-runs the "
        "partitions that succeeded for the assets they still lack, and each partition that "
        "failed in a run of its own, with the failed run's job and asset selection, so only "
        "the failed partitions end up failed.",
    )
    def batch_splitter(context: SensorEvaluationContext, db: DatabaseResource):
        return _split_failed_runs(by_job, context, db)

    return batch_splitter
