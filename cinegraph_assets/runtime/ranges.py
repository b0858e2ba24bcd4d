"""Ranged runs over dynamic partitions: which ranges cover a set of keys, and the run
request of one range (the sensors' and the splitter's way of batching partitions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dagster import RunRequest

# Dagster has no public name for the range tags a ranged run request carries.
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)


def contiguous_ranges(
    keys: Sequence[str], ordered_all: Sequence[str], max_size: int
) -> list[tuple[str, str]]:
    """Cover exactly `keys` with ranges of the partition order, at most max_size each.

    Dagster runs a batch of partitions as a range (first..last in partition order), so
    a batch may only span keys that sit next to each other in that order.
    """
    wanted = set(keys)
    ranges: list[tuple[str, str]] = []
    start = prev = None
    size = 0
    for key in ordered_all:
        if key in wanted and start is not None and size < max_size:
            prev, size = key, size + 1
            continue
        if start is not None:
            ranges.append((start, prev))
            start = None
        if key in wanted:
            start, prev, size = key, key, 1
    if start is not None:
        ranges.append((start, prev))
    return ranges


def range_run_request(
    start: str, end: str, run_key: str, tags: dict[str, str] | None = None, **request: Any
) -> RunRequest:
    """A run of the partitions start..end (one partition when start == end); `request`
    passes job_name or asset_selection on."""
    if start == end:
        return RunRequest(partition_key=start, run_key=run_key, tags=tags or {}, **request)
    return RunRequest(
        run_key=run_key,
        tags={
            **(tags or {}),
            ASSET_PARTITION_RANGE_START_TAG: start,
            ASSET_PARTITION_RANGE_END_TAG: end,
        },
        **request,
    )
