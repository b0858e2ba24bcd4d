"""Fan-out from ceremony years and award-body editions to movie partitions."""

from __future__ import annotations

import json
from collections.abc import Mapping

from dagster import (
    AssetKey,
    AssetRecordsFilter,
    DagsterEventType,
    DagsterInstance,
    DagsterRun,
    DefaultSensorStatus,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

# No public equivalents: the cursor format fetch_materializations takes, and the run
# tags of backfill membership and queue priority.
from dagster._core.event_api import EventLogCursor
from dagster._core.storage.tags import BACKFILL_ID_TAG, PRIORITY_TAG

from cinegraph_assets.movies.jobs import movie_assets_job
from cinegraph_assets.movies.partitions import movies, validate_movie_key
from cinegraph_assets.runtime.ranges import contiguous_ranges, range_run_request
from cinegraph_assets.settings import Settings

# The asset a bare (pre-award-bodies) cursor belongs to: the Oscar years'.
YEAR_ASSET = AssetKey("imdb_enhanced_nominees")
MAX_YEARS_PER_TICK = 200
# A tick's time is mostly the daemon creating and launching its runs (a code-server
# call and a run with its planned events each), inside the tick: 30 runs of a finished
# edition backfill took 36 s, 8 runs up to 17.8 s. A tick requests at most this many
# batches of new films and leaves the rest to the next tick: at the default batch size
# 1,000 films a tick, more than the 600 TMDb's 40/s allows in the 15 s interval.
MAX_RUNS_PER_TICK = 4
# Movies of a year that was not part of a bulk backfill (a new ceremony, a year run by
# hand) jump the run queue, so small work stays quick while a backfill is going on.
URGENT_PRIORITY = "10"


class YearVerdicts:
    """Per tick: which years of which runs may fan out, reading each run once."""

    def __init__(self, instance: DagsterInstance):
        self.instance = instance
        self._runs: dict[str, DagsterRun | None] = {}
        self._evaluations: dict[str, list] = {}

    def run(self, run_id: str) -> DagsterRun | None:
        if run_id not in self._runs:
            self._runs[run_id] = self.instance.get_run_by_id(run_id)
        return self._runs[run_id]

    def finished(self, run_id: str) -> bool:
        run = self.run(run_id)
        return run is None or run.is_finished

    def problems(self, run_id: str, year: str, required: set[str]) -> list[str]:
        """Why the year may not fan out: failed blocking checks, or a required check
        without an evaluation for this year in the run. Empty: it may."""
        if run_id not in self._evaluations:
            self._evaluations[run_id] = [
                r.dagster_event.event_specific_data
                for r in self.instance.all_logs(
                    run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION
                )
            ]
        mine = [e for e in self._evaluations[run_id] if e.partition in (year, None)]
        failed = [e.check_name for e in mine if e.blocking and not e.passed]
        missing = required - {e.check_name for e in mine}
        run = self.run(run_id)
        if run is not None and run.asset_check_selection is not None:
            missing &= {k.name for k in run.asset_check_selection}
        return failed + [f"{name}: no evaluation" for name in sorted(missing)]

    def urgent(self, run_id: str) -> bool:
        run = self.run(run_id)
        return run is not None and BACKFILL_ID_TAG not in run.tags


def movie_run_requests(
    new_keys: list[str], ordered_after_add: list[str], batch_size: int, urgent: set[str]
) -> list[RunRequest]:
    """Ranged runs of at most batch_size movies, as even as the count allows; urgent
    movies in runs of their own that jump the queue."""
    requests = []
    for keys, tags in (
        ([k for k in new_keys if k in urgent], {PRIORITY_TAG: URGENT_PRIORITY}),
        ([k for k in new_keys if k not in urgent], {}),
    ):
        requests += [
            range_run_request(a, b, run_key=f"movies:{a}..{b}", tags=tags)
            for a, b in contiguous_ranges(keys, ordered_after_add, even_size(len(keys), batch_size))
        ]
    return requests


def even_size(count: int, batch_size: int) -> int:
    """The size of the fewest batches of at most batch_size that take `count` films, made
    even: 1,050 films go as 5 of 210, not 4 of 250 and one of 50. Batches of one upstream
    run one after another (pools), and the next run needs a few seconds to start: a short
    batch left TMDb idle for about 3 s after it, four times over the Oscar history."""
    if count <= batch_size:
        return batch_size
    batches = -(-count // batch_size)
    return -(-count // batches)


def _brought(
    context,
    verdicts: YearVerdicts,
    records,
    cursor: str | None,
    required: set[str],
    new: _NewFilms,
) -> str | None:
    """Adds to `new` the films of the year materializations that may fan out; returns the
    cursor past the last one handled. Stops before the first whose run has not finished
    (its checks may still come), and once `new` is full."""
    held = []
    for record in records:
        if new.full or not verdicts.finished(record.run_id):
            break
        cursor = EventLogCursor.from_storage_id(record.storage_id).to_string()
        year = record.partition_key
        problems = verdicts.problems(record.run_id, year, required)
        if problems:
            held.append(f"{year} ({', '.join(problems)})")
            continue
        metadata = record.asset_materialization.metadata
        for key in metadata["movie_ids"].value if "movie_ids" in metadata else []:
            try:
                new.add(validate_movie_key(key), verdicts.urgent(record.run_id))
            except ValueError as exc:
                context.log.warning(f"year {year}: {exc}")
    if held:
        context.log.warning(
            f"not fanning out {record.asset_key.to_user_string()} partitions whose blocking "
            "checks failed: " + "; ".join(held)
        )
    return cursor


class _NewFilms:
    """The films a tick adds: not yet partitions, each once, in the order brought; full
    at `room` films (a year or edition is never cut in two, so it may go over)."""

    def __init__(self, instance: DagsterInstance, room: int):
        self.instance = instance
        self.room = room
        self.keys: dict[str, None] = {}
        self.urgent: set[str] = set()
        self._existing: list[str] | None = None
        self._known: set[str] = set()

    def _load(self) -> None:
        # Read once, and only by a tick that has materializations to handle.
        if self._existing is None:
            self._existing = list(self.instance.get_dynamic_partitions(movies.name))
            self._known = set(self._existing)

    @property
    def existing(self) -> list[str]:
        """The movie partitions before this tick, in partition order."""
        self._load()
        return self._existing

    def add(self, key: str, urgent: bool) -> None:
        self._load()
        if key in self._known:
            return
        self.keys[key] = None
        if urgent:
            self.urgent.add(key)

    @property
    def full(self) -> bool:
        return len(self.keys) >= self.room


def _cursors(raw: str | None) -> dict[str, str]:
    """{asset: event-log cursor}; a bare cursor is one from before the award bodies."""
    if not raw:
        return {}
    return json.loads(raw) if raw.startswith("{") else {YEAR_ASSET.to_user_string(): raw}


def _new_films(
    context, sources: dict[AssetKey, set[str]], cursors: dict[str, str], new: _NewFilms
) -> tuple[bool, bool]:
    """(whether a cursor moved, whether anything new was seen) of the sources' new
    materializations, whose films go to `new`; moves `cursors` past the ones handled."""
    verdicts = YearVerdicts(context.instance)
    moved = seen = False
    for asset_key, required in sources.items():
        if new.full:
            break
        name = asset_key.to_user_string()
        result = context.instance.fetch_materializations(
            AssetRecordsFilter(asset_key=asset_key),
            limit=MAX_YEARS_PER_TICK,
            cursor=cursors.get(name),
            ascending=True,
        )
        if not result.records:
            continue
        seen = True
        cursor = _brought(context, verdicts, result.records, cursors.get(name), required, new)
        if cursor != cursors.get(name):
            cursors[name], moved = cursor, True
    return moved, seen


def movie_sensor(sources: Mapping[AssetKey, set[str]], settings: Settings) -> SensorDefinition:
    """The movie sensor watching `sources`: each asset whose partitions bring films, with
    the names of the checks a partition must have passed in the run that materialized it.
    The code location passes them in, so this module names neither the Oscar years' nor
    the award bodies' checks and imports nothing of theirs."""
    sources = dict(sources)
    batch_size = settings.movie_batch_size

    @sensor(
        name="movie_partitions_sensor",
        job=movie_assets_job,
        minimum_interval_seconds=settings.movie_sensor_interval_seconds,
        default_status=DefaultSensorStatus.RUNNING,
        description="Adds a `movies` partition for every film the latest materializations of "
        "imdb_enhanced_nominees and of the award bodies' `<key>_nominations` brought, once "
        "the run has finished and its blocking checks passed (a year or edition with "
        "warnings fans out its films), and requests their movie assets in runs of up to "
        "CINEGRAPH_MOVIE_BATCH_SIZE movies. A film nominated by several bodies is one "
        "partition. Movies of a year or edition that was not part of a bulk backfill jump "
        "the run queue.",
    )
    def movie_partitions_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
        cursors = _cursors(context.cursor)
        new = _NewFilms(context.instance, MAX_RUNS_PER_TICK * batch_size)
        moved, seen = _new_films(context, sources, cursors, new)
        if not moved:
            return SkipReason(
                "the runs of the new materializations have not finished yet"
                if seen
                else "no new year or edition materializations"
            )
        cursor = json.dumps(cursors, sort_keys=True)
        new_keys, urgent = list(new.keys), new.urgent
        if not new_keys:
            return SensorResult(cursor=cursor, skip_reason=SkipReason("no new movies"))
        context.log.info(
            f"adding {len(new_keys)} movie partitions ({len(urgent)} urgent)"
            + ("; more wait for the next tick" if new.full else "")
        )
        return SensorResult(
            run_requests=movie_run_requests(new_keys, new.existing + new_keys, batch_size, urgent),
            dynamic_partitions_requests=[movies.build_add_request(new_keys)],
            cursor=cursor,
        )

    return movie_partitions_sensor
