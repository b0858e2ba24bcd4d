"""Running a per-movie asset over one movie or a batch of them.

Dagster runs a bulk backfill as ranged runs (BackfillPolicy.multi_run) and reports a
ranged run as one step: it cannot fail single partitions of it (dagster-io/dagster
#17836, #15666). So inside a batch every movie is its own unit of work: fetched, then
written in its own transaction together with its outcome in movie_asset_status;
transient errors are retried per movie by the HTTP layer; not-found is data. If some
movies still fail, the step fails, and the movie_batch_splitter sensor re-runs the
batch as ranges of the movies that succeeded (their results are reused, no upstream
calls) and one run per failed movie, so only the failed movies end up failed.

Movies of a batch are fetched a few at a time (CINEGRAPH_MOVIE_FETCH_CONCURRENCY):
upstream latency, not CPU, bounds a batch; the rate limiters keep the pace polite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    Failure,
    MaterializeResult,
    MetadataValue,
    RetryRequested,
)
from sqlalchemy import Connection

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.http import PermanentUpstreamError, QuotaExhaustedError, retry_reporting
from cinegraph_assets.movies import store
from cinegraph_assets.movies.partitions import MovieKeyError, validate_movie_key
from cinegraph_assets.settings import env_int

SPLIT_FROM_RUN_TAG = "cinegraph/split_from_run"
FETCH_CONCURRENCY = env_int("CINEGRAPH_MOVIE_FETCH_CONCURRENCY", 8)


@dataclass(frozen=True)
class Fetched:
    """What the upstream said about one movie; `write` stores it and returns metadata."""

    status: str  # ok | not_found
    write: Callable[[Connection], dict[str, Any]]


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


def run_movies(
    context: AssetExecutionContext,
    db: DatabaseResource,
    asset_name: str,
    work: Callable[[str], Fetched],
    *,
    quota_retry_seconds: float = 3600,
    quota_max_retries: int = 3,
    checks: Callable[[list[str]], list[AssetCheckResult]] | None = None,
    concurrency: int = FETCH_CONCURRENCY,
) -> MaterializeResult:
    try:
        keys = [validate_movie_key(k) for k in context.partition_keys]
    except MovieKeyError as exc:
        raise Failure(str(exc), allow_retries=False) from None
    # Results this very run (a step retry) or the batch it was split from already made.
    reusable_runs = {context.run.run_id}
    if parent := context.run.tags.get(SPLIT_FROM_RUN_TAG):
        reusable_runs.add(parent)
    with db.transaction() as conn:
        reusable = store.reusable_outcomes(conn, keys, asset_name, reusable_runs)
    quota_spent = threading.Event()

    def one_movie(key: str) -> tuple[str, dict[str, Any]]:
        """(status, metadata) of one movie; raises what made it fail."""
        reused = reusable.get(key)
        if reused is not None:
            return "reused", {**reused["metadata"], "reused_from_run": reused["run_id"]}
        if quota_spent.is_set():
            raise QuotaExhaustedError(
                "not asked: the OMDb daily quota ran out earlier in this run", url=""
            )
        try:
            with retry_reporting(lambda m: context.log.warning(f"{key}: {m}")) as retries:
                fetched = work(key)
            with db.transaction() as conn:
                metadata = {
                    **fetched.write(conn),
                    "status": fetched.status,
                    "http_retries": retries(),
                }
                store.record_status(
                    conn, key, asset_name, fetched.status, context.run.run_id, metadata=metadata
                )
        except QuotaExhaustedError:
            quota_spent.set()
            raise
        return fetched.status, metadata

    counts = {"ok": 0, "not_found": 0, "reused": 0}
    failed: dict[str, Exception] = {}
    # Movies are independent units: fetch several at once (the per-upstream rate
    # limiters still apply), each written in its own transaction.
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(keys)))) as pool:
        futures = {pool.submit(one_movie, key): key for key in keys}
        for future in as_completed(futures):
            key = futures[future]
            try:
                status, metadata = future.result()
            except Exception as exc:  # one movie's failure must not stop the others
                failed[key] = exc
                _record_failure(db, key, asset_name, context.run.run_id, exc)
                context.log.error(f"{key}: {type(exc).__name__}: {exc}")
                continue
            if status == "reused":
                counts["reused"] += 1
                status = metadata.get("status", "ok")
            counts[status] += 1
            context.add_asset_metadata(as_metadata(metadata), partition_key=key)

    if failed:
        summary = "; ".join(f"{k}: {type(e).__name__}: {e}" for k, e in sorted(failed.items())[:10])
        description = (
            f"{asset_name}: {len(failed)} of {len(keys)} movies failed "
            f"({len(keys) - len(failed)} written). {summary}"
        )
        metadata = {"failed_movies": MetadataValue.json(sorted(failed)), **counts}
        if all(isinstance(e, QuotaExhaustedError) for e in failed.values()):
            # Only the daily quota stopped us: retry this step after a long pause; the
            # movies already written are reused then.
            context.log.warning(f"{description} Retrying in {quota_retry_seconds:.0f}s.")
            raise RetryRequested(max_retries=quota_max_retries, seconds_to_wait=quota_retry_seconds)
        permanent = all(isinstance(e, PermanentUpstreamError) for e in failed.values())
        raise Failure(description=description, metadata=metadata, allow_retries=not permanent)

    return MaterializeResult(
        metadata={"movies": len(keys), **counts}, check_results=checks(keys) if checks else []
    )


def _record_failure(
    db: DatabaseResource, key: str, asset_name: str, run_id: str, exc: Exception
) -> None:
    with db.transaction() as conn:
        store.record_status(
            conn, key, asset_name, "failed", run_id, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
