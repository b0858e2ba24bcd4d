"""Per-movie assets on the `movies` dynamic partitions: TMDb, OMDb, collaborations."""

from datetime import datetime, timezone

from dagster import (
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetDep,
    AssetExecutionContext,
    BackfillPolicy,
    Backoff,
    Failure,
    IdentityPartitionMapping,
    Jitter,
    RetryPolicy,
    asset,
)

from cinegraph_assets.batches import Check, Fetched, run_partitions
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.identity import nominated_at
from cinegraph_assets.movies import (
    check_queries,
    collaboration_store,
    omdb_metrics,
    omdb_store,
    store,
)
from cinegraph_assets.movies.omdb_client import OmdbClient, OmdbNotFound
from cinegraph_assets.movies.partitions import MovieKeyError, movies, validate_movie_key
from cinegraph_assets.settings import SETTINGS
from cinegraph_assets.tmdb import records as tmdb_records
from cinegraph_assets.tmdb.client import TmdbClient

# Set on a run whose TMDb lookups fell back to two calls per film (tmdb/client.py);
# its value is the IMDb id that showed TMDb's movie endpoint not resolving IMDb ids.
TMDB_FALLBACK_TAG = "cinegraph/tmdb_two_call_fallback"
_batched = BackfillPolicy.multi_run(max_partitions_per_run=SETTINGS.movie_batch_size)
# Step retries for failures that outlived the per-request retries (a long 5xx spell).
_retry = RetryPolicy(
    max_retries=2,
    delay=SETTINGS.movie_retry_delay_seconds,
    backoff=Backoff.EXPONENTIAL,
    jitter=Jitter.PLUS_MINUS,
)


def _keys(context: AssetExecutionContext) -> list[str]:
    try:
        return [validate_movie_key(k) for k in context.partition_keys]
    except MovieKeyError as exc:
        raise Failure(str(exc), allow_retries=False) from None


def _imdb_url(imdb_id: str) -> str:
    return f"https://www.imdb.com/title/{imdb_id}/"


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


def _tmdb_checks(conn, keys: list[str]) -> dict[str, list[Check]]:
    mismatched = check_queries.tmdb_id_mismatches(conn, keys)
    miscounted = check_queries.credit_count_mismatches(conn, keys)
    return {
        k: [
            Check(
                "tmdb_record_matches_partition",
                k not in mismatched,
                {"tmdb_record_imdb_id": mismatched.get(k)},
                AssetCheckSeverity.WARN,
            ),
            Check("credits_match_tmdb_record", k not in miscounted, miscounted.get(k, {})),
        ]
        for k in keys
    }


@asset(
    partitions_def=movies,
    # Its upstreams, every year and every award body's edition (each may bring any
    # movie), are wired by the code location (definitions.nominations_upstream): this
    # module does not import the award side.
    check_specs=[
        AssetCheckSpec(
            "tmdb_record_matches_partition",
            asset="tmdb_movies",
            description="WARN: the TMDb record names another IMDb id than the partition "
            "(TMDb resolves two IMDb ids to one film; only one of them owns its credits).",
        ),
        AssetCheckSpec(
            "credits_match_tmdb_record",
            asset="tmdb_movies",
            blocking=True,
            description="The movie's stored credits are exactly as many as the distinct "
            "credits of the TMDb record they were written from (none for a movie that "
            "does not own its TMDb film).",
        ),
    ],
    backfill_policy=_batched,
    retry_policy=_retry,
    pool="tmdb",
    group_name="movies",
    kinds={"tmdb"},
    code_version="2",
    description="TMDb details and credits of a nominated film: the movies row filled in, "
    "people and movie_credits upserted, IMDb-named nominees linked to their TMDb person.",
)
def tmdb_movies(context: AssetExecutionContext, tmdb: TmdbClient, db: DatabaseResource):
    lookup = tmdb.movie_lookup(
        fallback_since=_tmdb_fallback_of_run(context),
        on_fallback=lambda imdb_id, message: _report_tmdb_fallback(context, imdb_id, message),
    )

    def work(imdb_id: str) -> Fetched:
        answer = lookup.movie(imdb_id)
        details = answer.details
        if details is None:

            def write_not_found(conn):
                # Read before the store takes IDENTITY: the lock is held until commit.
                brought = nominated_at(conn, [imdb_id]).get(imdb_id, [])
                store.mark_tmdb_not_found(conn, imdb_id, answer.reason, answer.not_film)
                return {
                    "imdb_url": _imdb_url(imdb_id),
                    "reason": answer.reason,
                    "nominated_at": brought,
                }

            return Fetched("not_found", write_not_found)

        credits = tmdb_records.credits(details)

        def write(conn):
            # Read before the store takes IDENTITY: the lock is held until commit.
            brought = nominated_at(conn, [imdb_id]).get(imdb_id, [])
            written = store.write_tmdb_movie(conn, imdb_id, details, credits)
            release = tmdb_records.parse_date(details.get("release_date"))
            return {
                "tmdb_id": details.get("id"),
                "tmdb_url": f"https://www.themoviedb.org/movie/{details.get('id')}",
                "imdb_url": _imdb_url(imdb_id),
                "title": details.get("title"),
                "year": release.year if release else None,
                "cast": written["cast"],
                "crew": written["crew"],
                "people": written["people"],
                "tmdb_id_conflict_with": written["tmdb_id_conflict_with"],
                "nominated_at": brought,
            }

        return Fetched("ok", write)

    yield from run_partitions(
        context,
        db,
        work,
        keys=_keys(context),
        checks=_tmdb_checks,
        per_partition_checks=False,
        concurrency=SETTINGS.movie_fetch_concurrency,
        summary=lookup.summary,
    )


@asset(
    partitions_def=movies,
    deps=[AssetDep(tmdb_movies, partition_mapping=IdentityPartitionMapping())],
    backfill_policy=_batched,
    retry_policy=_retry,
    pool="omdb",
    group_name="movies",
    kinds={"omdb"},
    code_version="2",
    description="OMDb ratings, awards text, box office and content rating of a film: raw "
    "JSON in movies.omdb_data and one external_metrics row per metric.",
)
def omdb_enrichment(context: AssetExecutionContext, omdb: OmdbClient, db: DatabaseResource):
    def work(imdb_id: str) -> Fetched:
        fetched_at = datetime.now(timezone.utc)
        try:
            data = omdb.movie(imdb_id)
        except OmdbNotFound as exc:
            reason = exc.message

            def write_not_found(conn):
                omdb_store.write_omdb(conn, imdb_id, None, [], fetched_at)
                return {"reason": reason}

            return Fetched("not_found", write_not_found)
        found = omdb_metrics.metrics(data)

        def write(conn):
            omdb_store.write_omdb(conn, imdb_id, data, found, fetched_at)
            return {
                "imdb_url": _imdb_url(imdb_id),
                "metrics": len(found),
                **{
                    f"{m.source}_{m.metric_type}": m.value if m.value is not None else m.text_value
                    for m in found
                    if m.metric_type != "awards_summary"
                },
                **{
                    f"awards_{k}": v
                    for m in found
                    if m.metric_type == "awards_summary"
                    for k, v in m.metadata.items()
                },
            }

        return Fetched("ok", write)

    yield from run_partitions(
        context,
        db,
        work,
        keys=_keys(context),
        concurrency=SETTINGS.movie_fetch_concurrency,
        quota_retry_seconds=omdb.quota_retry_seconds,
    )


def _collaboration_checks(conn, keys: list[str]) -> dict[str, list[Check]]:
    wrong = check_queries.collaboration_count_mismatches(conn, keys)
    return {
        k: [Check("pair_aggregates_match_details", k not in wrong, {"pairs": wrong.get(k, [])})]
        for k in keys
    }


def _top_table(top: list[dict]) -> str:
    rows = ["| person | person | type | movies together |", "|---|---|---|---:|"]
    rows += [
        f"| {r['a']} | {r['b']} | {r['collaboration_type']} | {r['collaboration_count']} |"
        for r in top
    ]
    return "\n".join(rows) if top else "No key people."


@asset(
    name="collaborations",
    partitions_def=movies,
    deps=[AssetDep(tmdb_movies, partition_mapping=IdentityPartitionMapping())],
    check_specs=[
        AssetCheckSpec(
            "pair_aggregates_match_details",
            asset="collaborations",
            blocking=True,
            description="Each pair of the movie's key people has the collaboration_count "
            "and first/latest dates a recount of its collaboration_details gives.",
        )
    ],
    backfill_policy=_batched,
    retry_policy=_retry,
    group_name="movies",
    code_version="2",
    description="Every pair of a film's key people (top-20 cast, director, producers, "
    "writers, cinematographer, composer, editor) as collaboration_details, with the "
    "pair aggregates in collaborations recomputed.",
)
def collaborations_asset(context: AssetExecutionContext, db: DatabaseResource):
    def work(imdb_id: str) -> Fetched:
        def write(conn):
            built = collaboration_store.rebuild_collaborations(conn, imdb_id)
            return {
                "key_people": built["key_people"],
                "pairs": built["pairs"],
                "pair_types": built["types"],
                "top_collaborations_md": _top_table(
                    collaboration_store.top_collaborations(conn, built["pair_kinds"])
                ),
            }

        return Fetched("ok", write)

    yield from run_partitions(
        context,
        db,
        work,
        keys=_keys(context),
        checks=_collaboration_checks,
        per_partition_checks=False,
        concurrency=SETTINGS.movie_fetch_concurrency,
    )
