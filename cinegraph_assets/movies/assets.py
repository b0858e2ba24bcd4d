"""Per-movie assets on the `movies` dynamic partitions: TMDb, OMDb, collaborations."""

from datetime import datetime, timezone

from dagster import (
    AllPartitionMapping,
    AssetCheckResult,
    AssetCheckSpec,
    AssetDep,
    AssetExecutionContext,
    BackfillPolicy,
    Backoff,
    IdentityPartitionMapping,
    Jitter,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    asset,
)

from cinegraph_assets.ceremonies.assets import imdb_enhanced_nominees
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.movies import omdb_metrics, store, tmdb_records
from cinegraph_assets.movies.batch import Fetched, run_movies
from cinegraph_assets.movies.omdb_client import OmdbClient, OmdbNotFound
from cinegraph_assets.movies.partitions import movies
from cinegraph_assets.movies.tmdb_client import TmdbClient
from cinegraph_assets.settings import OWNERS, database_kind, describe, env_float, env_int

BATCH_SIZE = env_int("CINEGRAPH_MOVIE_BATCH_SIZE", 25)
RETRY_DELAY = env_float("CINEGRAPH_MOVIE_RETRY_DELAY_SECONDS", 30)

_batched = BackfillPolicy.multi_run(max_partitions_per_run=BATCH_SIZE)
# Step retries for failures that outlived the per-request retries (a long 5xx spell).
_retry = RetryPolicy(
    max_retries=2, delay=RETRY_DELAY, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS
)


@asset(
    partitions_def=movies,
    # Every year may bring any movie: depend on all ceremony years explicitly (Dagster
    # would otherwise silently map partitions by identity). Which years brought which
    # movie is recorded in the database (festival_nomination_movies).
    deps=[AssetDep(imdb_enhanced_nominees, partition_mapping=AllPartitionMapping())],
    check_specs=[
        AssetCheckSpec(
            "tmdb_record_matches_partition",
            asset="tmdb_movies",
            blocking=True,
            description="The TMDb record's imdb_id equals the partition key.",
        ),
        AssetCheckSpec(
            "credits_point_to_people",
            asset="tmdb_movies",
            blocking=True,
            description="Every movie credit points to an existing person.",
        ),
    ],
    backfill_policy=_batched,
    retry_policy=_retry,
    pool="tmdb",
    group_name="movies",
    kinds={"tmdb", database_kind()},
    owners=OWNERS,
    code_version="1",
    description=describe(
        "TMDb details and credits of a nominated film: the movies row filled in, "
        "people and movie_credits upserted, IMDb-named nominees linked to their TMDb person."
    ),
)
def tmdb_movies(
    context: AssetExecutionContext, tmdb: TmdbClient, db: DatabaseResource
) -> MaterializeResult:
    def work(imdb_id: str) -> Fetched:
        found = tmdb.find_movie(imdb_id)
        details = tmdb.movie_details(int(found["id"])) if found else None
        if details is None:
            reason = (
                "TMDb find returned no movie_results"
                if found is None
                else f"TMDb has no movie {found['id']} (HTTP 404)"
            )

            def write_not_found(conn):
                store.mark_tmdb_not_found(conn, imdb_id, reason)
                return {"imdb_url": f"https://www.imdb.com/title/{imdb_id}/", "reason": reason}

            return Fetched("not_found", write_not_found)

        credits = tmdb_records.credits(details)

        def write(conn):
            written = store.write_tmdb_movie(conn, imdb_id, details, credits)
            release = tmdb_records.parse_date(details.get("release_date"))
            return {
                "tmdb_id": details.get("id"),
                "tmdb_url": f"https://www.themoviedb.org/movie/{details.get('id')}",
                "imdb_url": f"https://www.imdb.com/title/{imdb_id}/",
                "title": details.get("title"),
                "year": release.year if release else None,
                "cast": written["cast"],
                "crew": written["crew"],
                "people": written["people"],
                "tmdb_id_conflict_with": written["tmdb_id_conflict_with"],
            }

        return Fetched("ok", write)

    def checks(keys: list[str]) -> list[AssetCheckResult]:
        with db.transaction() as conn:
            mismatched = store.tmdb_id_mismatches(conn, keys)
            orphans = store.orphan_credits(conn, keys)
        return [
            AssetCheckResult(
                check_name="tmdb_record_matches_partition",
                passed=not mismatched,
                metadata={"mismatched": MetadataValue.json(mismatched)},
            ),
            AssetCheckResult(
                check_name="credits_point_to_people",
                passed=orphans == 0,
                metadata={"credits_without_person": orphans},
            ),
        ]

    return run_movies(context, db, "tmdb_movies", work, checks=checks)


@asset(
    partitions_def=movies,
    deps=[AssetDep(tmdb_movies, partition_mapping=IdentityPartitionMapping())],
    backfill_policy=_batched,
    retry_policy=_retry,
    pool="omdb",
    group_name="movies",
    kinds={"omdb", database_kind()},
    owners=OWNERS,
    code_version="1",
    description=describe(
        "OMDb ratings, awards text, box office and content rating of a film: raw "
        "JSON in movies.omdb_data and one external_metrics row per metric."
    ),
)
def omdb_enrichment(
    context: AssetExecutionContext, omdb: OmdbClient, db: DatabaseResource
) -> MaterializeResult:
    def work(imdb_id: str) -> Fetched:
        fetched_at = datetime.now(timezone.utc)
        try:
            data = omdb.movie(imdb_id)
        except OmdbNotFound as exc:
            reason = exc.message

            def write_not_found(conn):
                store.write_omdb(conn, imdb_id, None, [], fetched_at)
                return {"reason": reason}

            return Fetched("not_found", write_not_found)
        found = omdb_metrics.metrics(data)

        def write(conn):
            store.write_omdb(conn, imdb_id, data, found, fetched_at)
            return {
                "imdb_url": f"https://www.imdb.com/title/{imdb_id}/",
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

    return run_movies(
        context, db, "omdb_enrichment", work, quota_retry_seconds=omdb.quota_retry_seconds
    )


@asset(
    name="collaborations",
    partitions_def=movies,
    deps=[AssetDep(tmdb_movies, partition_mapping=IdentityPartitionMapping())],
    check_specs=[
        AssetCheckSpec(
            "pairs_ordered_and_unique",
            asset="collaborations",
            blocking=True,
            description="Each pair is stored once, as person_a_id < person_b_id.",
        )
    ],
    backfill_policy=_batched,
    retry_policy=_retry,
    group_name="movies",
    kinds={database_kind()},
    owners=OWNERS,
    code_version="1",
    description=describe(
        "Every pair of a film's key people (top-20 cast, director, producers, "
        "writers, cinematographer, composer, editor) as collaboration_details, with the "
        "pair aggregates in collaborations recomputed."
    ),
)
def collaborations_asset(context: AssetExecutionContext, db: DatabaseResource) -> MaterializeResult:
    def work(imdb_id: str) -> Fetched:
        def write(conn):
            built = store.rebuild_collaborations(conn, imdb_id)
            top = store.top_collaborations(conn, imdb_id)
            table = ["| person | person | type | movies together |", "|---|---|---|---:|"]
            table += [
                f"| {r['a']} | {r['b']} | {r['collaboration_type']} | {r['collaboration_count']} |"
                for r in top
            ]
            return {
                "key_people": built["key_people"],
                "pairs": built["pairs"],
                "pair_types": built["types"],
                "top_collaborations_md": "\n".join(table) if top else "No key people.",
            }

        return Fetched("ok", write)

    def checks(keys: list[str]) -> list[AssetCheckResult]:
        with db.transaction() as conn:
            problems = store.collaboration_pair_problems(conn, keys)
        return [
            AssetCheckResult(
                check_name="pairs_ordered_and_unique",
                passed=not any(problems.values()),
                metadata=problems,
            )
        ]

    return run_movies(context, db, "collaborations", work, checks=checks)
