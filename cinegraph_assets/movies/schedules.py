"""Weekly OMDb refresh of recent ceremonies' movies (ratings and box office move)."""

from dagster import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)
from sqlalchemy import text

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.movies.jobs import omdb_refresh_job
from cinegraph_assets.movies.partitions import movies
from cinegraph_assets.runtime.ranges import contiguous_ranges, range_run_request
from cinegraph_assets.settings import SETTINGS, Settings

# The Academy's latest ceremonies: the films most looked at, within one key's quota
# (the festivals' ~30,000 films would need thirty days of it).
_RECENT = text("""
SELECT DISTINCT cm.imdb_id FROM ceremony_movies cm
JOIN festival_organizations o ON o.id = cm.organization_id AND o.body_key = 'oscars'
WHERE cm.year IN (
    SELECT c.year FROM festival_ceremonies c
    JOIN festival_organizations a ON a.id = c.organization_id AND a.body_key = 'oscars'
    ORDER BY c.year DESC LIMIT :n
)
""")


def refresh_requests(
    keys: list[str],
    partition_order: list[str],
    budget: int,
    stamp: str,
    batch_size: int = SETTINGS.movie_batch_size,
) -> list[RunRequest]:
    known = set(partition_order)
    ordered = [k for k in partition_order if k in set(keys) & known][:budget]
    return [
        range_run_request(a, b, f"omdb-refresh:{stamp}:{a}..{b}")
        for a, b in contiguous_ranges(ordered, partition_order, batch_size)
    ]


def _weekly_refresh(settings: Settings, context: ScheduleEvaluationContext, db: DatabaseResource):
    with db.transaction() as conn:
        keys = list(conn.execute(_RECENT, {"n": settings.omdb_refresh_ceremonies}).scalars())
    if not keys:
        return SkipReason("no ceremonies imported yet")
    # OMDb's free tier allows 1,000 requests a day per key; leave room for new movies.
    budget = int(settings.omdb_daily_quota * 0.9)
    if len(keys) > budget:
        context.log.warning(f"{len(keys)} movies, refreshing the first {budget} (OMDb quota)")
    stamp = context.scheduled_execution_time.strftime("%Y-%m-%d")
    order = list(context.instance.get_dynamic_partitions(movies.name))
    return refresh_requests(keys, order, budget, stamp, settings.movie_batch_size)


def build_omdb_weekly_refresh(settings: Settings) -> ScheduleDefinition:
    @schedule(
        name="omdb_weekly_refresh",
        job=omdb_refresh_job,
        cron_schedule="0 6 * * 1",
        execution_timezone="UTC",
        default_status=DefaultScheduleStatus.RUNNING,
        description="Mondays 06:00 UTC: re-run omdb_enrichment for the movies of the last "
        "CINEGRAPH_OMDB_REFRESH_CEREMONIES (3) ceremonies, at most 90% of the OMDb daily quota.",
    )
    def omdb_weekly_refresh(context: ScheduleEvaluationContext, db: DatabaseResource):
        return _weekly_refresh(settings, context, db)

    return omdb_weekly_refresh
