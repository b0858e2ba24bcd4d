"""Per-movie assets on the `movies` dynamic partitions: TMDb, OMDb, collaborations.

Built by functions of the Settings that shape them (batch size, step retries, fetch
concurrency): the code location builds them from its settings (definitions.py).
"""

from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    Backoff,
    IdentityPartitionMapping,
    Jitter,
    RetryPolicy,
    asset,
)

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.movies.omdb_client import OmdbClient
from cinegraph_assets.movies.partitions import movies
from cinegraph_assets.movies.units import CollaborationsWork, OmdbWork, TmdbWork
from cinegraph_assets.runtime.batches import run_partitions
from cinegraph_assets.settings import Settings
from cinegraph_assets.tmdb.client import TmdbClient

# Set on a run whose TMDb lookups fell back to two calls per film (tmdb/client.py);
# its value is the IMDb id that showed TMDb's movie endpoint not resolving IMDb ids.
TMDB_FALLBACK_TAG = "cinegraph/tmdb_two_call_fallback"
# OMDb and collaborations read what tmdb_movies wrote for the same film.
_AFTER_TMDB = AssetDep(AssetKey("tmdb_movies"), partition_mapping=IdentityPartitionMapping())


def _shared(settings: Settings) -> dict:
    """What every movie asset takes from the settings: ranged backfill runs of
    CINEGRAPH_MOVIE_BATCH_SIZE films, and step retries for failures that outlived the
    per-request retries (a long 5xx spell)."""
    return {
        "partitions_def": movies,
        "group_name": "movies",
        "code_version": "2",
        "backfill_policy": BackfillPolicy.multi_run(
            max_partitions_per_run=settings.movie_batch_size
        ),
        "retry_policy": RetryPolicy(
            max_retries=2,
            delay=settings.movie_retry_delay_seconds,
            backoff=Backoff.EXPONENTIAL,
            jitter=Jitter.PLUS_MINUS,
        ),
    }


def _tmdb_fallback_of_run(context: AssetExecutionContext) -> str | None:
    """The IMDb id at which this run fell back to two TMDb calls per film, if it did.
    Read from the run's tags as they are now (not as the run started): a step retry
    keeps the fallback of its earlier attempt, another run starts afresh."""
    run = context.instance.get_run_by_id(context.run.run_id) or context.run
    return run.tags.get(TMDB_FALLBACK_TAG)


def _report_tmdb_fallback(context: AssetExecutionContext, imdb_id: str, message: str) -> None:
    context.log.warning(message)
    try:
        context.instance.add_run_tags(context.run.run_id, {TMDB_FALLBACK_TAG: imdb_id})
    except Exception as exc:  # the films still go through; the log and metadata say it
        context.log.error(f"could not tag the run with {TMDB_FALLBACK_TAG}: {exc}")


def build_tmdb_movies(settings: Settings) -> AssetsDefinition:
    concurrency = settings.movie_fetch_concurrency

    @asset(
        # Its upstreams, every year and every award body's edition (each may bring any
        # movie), are wired by the code location (definitions.nominations_upstream):
        # this module does not import the award side.
        check_specs=[c.spec("tmdb_movies") for c in TmdbWork.CHECKS],
        pool="tmdb",
        kinds={"tmdb"},
        description="TMDb details and credits of a nominated film: the movies row filled "
        "in, people and movie_credits upserted, IMDb-named nominees linked to their TMDb "
        "person.",
        **_shared(settings),
    )
    def tmdb_movies(context: AssetExecutionContext, tmdb: TmdbClient, db: DatabaseResource):
        lookup = tmdb.movie_lookup(
            fallback_since=_tmdb_fallback_of_run(context),
            on_fallback=lambda imdb_id, message: _report_tmdb_fallback(context, imdb_id, message),
        )
        work = TmdbWork(lookup)
        yield from run_partitions(
            context, db, work, per_partition_checks=False, concurrency=concurrency
        )

    return tmdb_movies


def build_omdb_enrichment(settings: Settings) -> AssetsDefinition:
    concurrency = settings.movie_fetch_concurrency

    @asset(
        deps=[_AFTER_TMDB],
        pool="omdb",
        kinds={"omdb"},
        description="OMDb ratings, awards text, box office and content rating of a film: "
        "raw JSON in movies.omdb_data and one external_metrics row per metric.",
        **_shared(settings),
    )
    def omdb_enrichment(context: AssetExecutionContext, omdb: OmdbClient, db: DatabaseResource):
        yield from run_partitions(
            context,
            db,
            OmdbWork(omdb),
            concurrency=concurrency,
            quota_retry_seconds=omdb.quota_retry_seconds,
        )

    return omdb_enrichment


def build_collaborations(settings: Settings) -> AssetsDefinition:
    concurrency = settings.collaboration_concurrency

    @asset(
        name="collaborations",
        deps=[_AFTER_TMDB],
        check_specs=[c.spec("collaborations") for c in CollaborationsWork.CHECKS],
        description="Every pair of a film's key people (top-20 cast, director, producers, "
        "writers, cinematographer, composer, editor) as collaboration_details, with the "
        "pair aggregates in collaborations recomputed.",
        **_shared(settings),
    )
    def collaborations_asset(context: AssetExecutionContext, db: DatabaseResource):
        work = CollaborationsWork()
        yield from run_partitions(
            context, db, work, per_partition_checks=False, concurrency=concurrency
        )

    return collaborations_asset


def build_movie_assets(settings: Settings) -> list[AssetsDefinition]:
    return [
        build_tmdb_movies(settings),
        build_omdb_enrichment(settings),
        build_collaborations(settings),
    ]
