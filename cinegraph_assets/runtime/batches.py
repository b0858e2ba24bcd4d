"""Running a partitioned asset over one partition or a batch (a ranged run).

Dagster runs a bulk backfill as ranged runs (BackfillPolicy.multi_run) and reports a
ranged step as one step. Inside a batch every partition is its own unit of work:
its key parsed, fetched, then written in its own transaction together with its outcome
row (outcomes.py) and checked on its own: the steps of a `PartitionWork` (unit.py).
Transient errors are retried per request by the HTTP layer and per unit by the
database layer; not-found is data.

What Dagster shows per partition:
- every partition that succeeded is a materialization of its own, with its own
  metadata, and gets its own evaluation of each check (AssetCheckEvaluation with the
  partition), also when others in the batch failed;
- a partition that failed ends failed on its own: the step fails after yielding the
  others, and the batch splitter sensor (splitter.py) re-runs the downstream assets of the
  ones that succeeded and each failed partition in a run of its own.
A step retry, a run re-launched after its worker died, or a run the splitter requests
reuses the outcomes its earlier attempt recorded (no upstream call twice).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from dagster import (
    AssetCheckEvaluation,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetMaterialization,
    Failure,
    MaterializeResult,
    MetadataValue,
    Output,
    RetryRequested,
)
from sqlalchemy import Connection

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.db.statistics import refresh_statistics
from cinegraph_assets.http import PermanentUpstreamError, QuotaExhaustedError, retry_reporting
from cinegraph_assets.runtime import outcomes
from cinegraph_assets.runtime.unit import (
    Check,
    Fetched,
    InvalidPartitionKey,
    PartitionWork,
    Status,
    UnusableInput,
)

PARENT_RUN_TAG = "dagster/parent_run_id"
ROOT_RUN_TAG = "dagster/root_run_id"
# Set by the batch splitter on the runs it requests: the failed run they finish.
SPLIT_FROM_RUN_TAG = "cinegraph/split_from_run"
# The threads of a batch take turns at the IDENTITY lock (db/locks.py) while the others
# parse answers. A thread back from the database waits for the GIL, which Python hands
# over every 5 ms by default: the lock holder waited up to that long after each
# statement. With 0.5 ms the lock's turns were shorter (mean 34 -> 30 ms over the Oscar
# history through the daemon) and the history 311 s -> 303 s.
GIL_SWITCH_SECONDS = 0.0005


def as_metadata(values: dict[str, Any]) -> dict[str, Any]:
    """Plain values (as stored in the database) -> Dagster metadata for the UI."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key.endswith("_url") and isinstance(value, str):
            out[key] = MetadataValue.url(value)
        elif key.endswith("_md") and isinstance(value, str):
            out[key] = MetadataValue.md(value)
        elif isinstance(value, (dict, list)):
            out[key] = MetadataValue.json(value)
        else:
            out[key] = value
    return out


@dataclass
class _Batch:
    context: AssetExecutionContext
    db: DatabaseResource
    asset: str
    work: PartitionWork
    typed: dict[str, Any]  # partition key -> the work's typed key, parsed once
    reusable: dict[str, dict[str, Any]]
    done: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: dict[str, Exception] = field(default_factory=dict)
    quota_spent: threading.Event = field(default_factory=threading.Event)

    @property
    def keys(self) -> list[str]:
        return list(self.typed)

    def one(self, key: str) -> dict[str, Any]:
        """Metadata of one partition's outcome; raises what made it fail."""
        reused = self.reusable.get(key)
        if reused is not None:
            metadata = {**reused["metadata"], "reused_from_run": reused["run_id"]}
            # The outcome now belongs to this run too: the splitter reads it by run.
            self.db.transaction(
                lambda conn: outcomes.record(
                    conn,
                    key,
                    self.asset,
                    reused["status"],
                    self.context.run.run_id,
                    metadata=reused["metadata"],
                ),
                what=f"{self.asset} {key} outcome",
            )
            return metadata
        if self.quota_spent.is_set():
            raise QuotaExhaustedError("not asked: the daily quota ran out earlier", url="")
        log = self.context.log
        try:
            with retry_reporting(lambda m: log.warning(f"{key}: {m}")) as retries:
                fetched = self.work.fetch(self.typed[key])
            return self.db.transaction(
                lambda conn: self._write(conn, key, fetched, retries()),
                what=f"{self.asset} {key}",
                on_retry=lambda m: log.warning(m),
            )
        except QuotaExhaustedError:
            self.quota_spent.set()
            raise

    def _write(self, conn: Connection, key: str, fetched: Fetched, retries: int) -> dict:
        written = self.work.write(conn, self.typed[key], fetched)
        metadata = {**written, "status": str(fetched.status), "http_retries": retries}
        outcomes.record(
            conn, key, self.asset, fetched.status, self.context.run.run_id, metadata=metadata
        )
        return metadata

    def settle(self, key: str, future_result: Callable[[], dict[str, Any]]) -> None:
        try:
            self.done[key] = future_result()
        except Exception as exc:  # one partition's failure must not stop the others
            self.failed[key] = exc
            error = f"{type(exc).__name__}: {exc}"
            self.context.log.error(f"{key}: {error}")
            run_id = self.context.run.run_id
            self.db.transaction(
                lambda conn: outcomes.record(
                    conn, key, self.asset, Status.FAILED, run_id, error=error[:2000]
                ),
                what=f"{self.asset} {key} outcome",
            )


def run_partitions(
    context: AssetExecutionContext,
    db: DatabaseResource,
    work: PartitionWork,
    *,
    per_partition_checks: bool = True,
    concurrency: int = 1,
    quota_retry_seconds: float = 3600,
    quota_max_retries: int = 3,
) -> Iterator[Any]:
    """Events of the asset step over its partitions: see the module docstring. With
    per_partition_checks off, each check has one evaluation for the batch (its metadata
    names the partitions that failed it), which saves an event-log row per partition
    and check."""
    _freeze_loaded_objects()
    asset = context.asset_key.to_user_string()
    typed = _typed_keys(context, work)
    keys = list(typed)
    reusable = _reusable(context, db, asset, keys)
    batch = _Batch(context, db, asset, work, typed, reusable)
    if concurrency <= 1 or len(keys) == 1:
        for key in keys:
            batch.settle(key, lambda k=key: batch.one(k))
    else:
        # Partitions are independent units: fetch several at once (the shared rate
        # budgets still apply), each written in its own transaction.
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        with ThreadPoolExecutor(max_workers=min(concurrency, len(keys))) as pool:
            futures = {pool.submit(batch.one, key): key for key in keys}
            for future in as_completed(futures):
                batch.settle(futures[future], future.result)

    # Before the checks, whose queries read what the batch wrote.
    analyzed = db.transaction(refresh_statistics, what="planner statistics")
    if analyzed:
        context.log.info(f"Planner statistics refreshed: {', '.join(analyzed)}")
    verdicts = _verdicts(db, batch, [k for k in keys if k in batch.done])
    _mark_blocked(context, db, asset, verdicts)
    evaluations = _evaluations if per_partition_checks else _batch_results
    if batch.failed:
        yield from _partial(context, batch)
        yield from evaluations(context, verdicts)
        _raise_for(batch, quota_retry_seconds, quota_max_retries)
    for key in keys:
        context.add_asset_metadata(as_metadata(batch.done[key]), partition_key=key)
    yield MaterializeResult(metadata=_summary(batch))
    yield from evaluations(context, verdicts)
    if per_partition_checks:
        yield from _check_outputs(context)


def _freeze_loaded_objects() -> None:
    """Once per process, at its first step: what the process has loaded by then (Dagster,
    the code location, the run) leaves the collector's generations for good. A full
    collection scanned all of it, 0.4-0.9 s a time, three or four times a run, with every
    thread stopped, the one holding IDENTITY included; afterwards 20-45 ms (GC pauses per
    run worker over the Oscar history: 1-2.5 s before, 0.15-0.5 s after). Not per step: a
    worker process that runs many runs (the fleet) would freeze each run's garbage. A
    process forked warm (warm_runs.py) comes with the fork server's imports frozen
    already, and freezes what the run itself loaded."""
    global _FROZEN_IN
    if _FROZEN_IN != os.getpid():
        gc.freeze()
        _FROZEN_IN = os.getpid()


# The process that froze its loaded objects (a fork of it has not frozen its own yet).
_FROZEN_IN: int | None = None


def _typed_keys(context: AssetExecutionContext, work: PartitionWork) -> dict[str, Any]:
    try:
        return {key: work.key(key) for key in context.partition_keys}
    except InvalidPartitionKey as exc:
        raise Failure(str(exc), allow_retries=False) from None


def _reusable(context, db: DatabaseResource, asset: str, keys: list[str]) -> dict:
    # This run (a step retry), the run it re-executes (a crashed worker re-launched), or
    # the failed batch it finishes (which wrote a partition but could not report it).
    runs = {context.run.run_id}
    runs |= {
        context.run.tags[t]
        for t in (PARENT_RUN_TAG, ROOT_RUN_TAG, SPLIT_FROM_RUN_TAG)
        if t in context.run.tags
    }
    with db.transaction() as conn:
        return outcomes.reusable(conn, keys, asset, runs)


def _verdicts(db: DatabaseResource, batch: _Batch, keys: list[str]) -> dict[str, list[Check]]:
    """{partition key: verdicts} of the work's checks on the partitions written."""
    if not keys:
        return {}
    found = db.transaction(
        lambda conn: batch.work.checks(conn, [batch.typed[k] for k in keys]),
        what=f"{batch.asset} checks",
    )
    by_typed = {batch.typed[k]: k for k in keys}
    return {by_typed[typed]: verdicts for typed, verdicts in found.items()}


def _mark_blocked(context, db: DatabaseResource, asset: str, verdicts) -> None:
    """A partition whose blocking check failed is not done: its outcome says so, so the
    splitter runs it again on its own and a retry does not reuse it."""
    blocking = {s.name for s in context.assets_def.check_specs if s.blocking}
    blocked = {
        key: [
            c.name
            for c in found
            if c.name in blocking and not c.passed and c.severity == AssetCheckSeverity.ERROR
        ]
        for key, found in verdicts.items()
    }
    for key, names in blocked.items():
        if names:
            db.transaction(
                lambda conn, key=key, names=names: outcomes.record(
                    conn,
                    key,
                    asset,
                    Status.CHECK_FAILED,
                    context.run.run_id,
                    error="blocking checks failed: " + ", ".join(names),
                ),
                what=f"{asset} {key} outcome",
            )


def _summary(batch: _Batch) -> dict[str, Any]:
    counts = {"ok": 0, "not_found": 0, "reused": 0, "failed": len(batch.failed)}
    for metadata in batch.done.values():
        counts[metadata.get("status", "ok")] += 1
        counts["reused"] += "reused_from_run" in metadata
    return {"partitions": len(batch.keys), **counts, **batch.work.summary()}


def _partial(context, batch: _Batch) -> Iterator[Any]:
    """The partitions that succeeded in a batch that did not: materialized one by one."""
    for key, metadata in batch.done.items():
        yield AssetMaterialization(
            asset_key=context.asset_key, partition=key, metadata=as_metadata(metadata)
        )


def _batch_results(context, verdicts: dict[str, list[Check]]) -> Iterator[AssetCheckResult]:
    by_name: dict[str, list[tuple[str, Check]]] = defaultdict(list)
    for key, found in verdicts.items():
        for check in found:
            by_name[check.name].append((key, check))
    selected = {k.name for k in context.selected_asset_check_keys}
    for name in sorted(selected):
        results = by_name.get(name, [])
        failing = {key: check.metadata for key, check in results if not check.passed}
        yield AssetCheckResult(
            check_name=name,
            passed=not failing,
            severity=results[0][1].severity if results else AssetCheckSeverity.ERROR,
            metadata={
                "partitions": len(results),
                "failed": len(failing),
                "failed_partitions": MetadataValue.json(dict(sorted(failing.items())[:20])),
            },
        )


def _evaluations(context, verdicts: dict[str, list[Check]]) -> Iterator[AssetCheckEvaluation]:
    specs = {s.name: s for s in context.assets_def.check_specs}
    selected = {k.name for k in context.selected_asset_check_keys}
    for key, found in verdicts.items():
        for check in found:
            if check.name not in selected:
                continue
            yield AssetCheckEvaluation(
                asset_key=context.asset_key,
                check_name=check.name,
                passed=check.passed,
                metadata=as_metadata(check.metadata),
                severity=check.severity,
                blocking=specs[check.name].blocking,
                partition=key,
            )


def _check_outputs(context) -> Iterator[Output]:
    # Each check spec is an output of the step. Its evaluations were given per
    # partition above; an AssetCheckResult would add one more without a partition.
    for check_key in context.selected_asset_check_keys:
        yield Output(
            None, output_name=context.assets_def.get_output_name_for_asset_check_key(check_key)
        )


def _raise_for(batch: _Batch, quota_retry_seconds: float, quota_max_retries: int) -> None:
    failed = batch.failed
    summary = "; ".join(f"{k}: {type(e).__name__}: {e}" for k, e in sorted(failed.items())[:10])
    description = (
        f"{batch.asset}: {len(failed)} of {len(batch.keys)} partitions failed "
        f"({len(batch.done)} written). {summary}"
    )
    if all(isinstance(e, QuotaExhaustedError) for e in failed.values()):
        # Only a daily quota stopped us: retry this step after a long pause; the
        # partitions already written are reused then.
        batch.context.log.warning(f"{description} Retrying in {quota_retry_seconds:.0f}s.")
        raise RetryRequested(max_retries=quota_max_retries, seconds_to_wait=quota_retry_seconds)
    permanent = all(isinstance(e, (PermanentUpstreamError, UnusableInput)) for e in failed.values())
    raise Failure(
        description=description,
        metadata={"failed_partitions": MetadataValue.json(sorted(failed)), **_summary(batch)},
        allow_retries=not permanent,
    )
