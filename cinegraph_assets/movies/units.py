"""The movie assets' units of work (runtime/unit.py): one film, keyed by its IMDb id.

Each unit fetches one upstream answer for the film, writes it in the film's own
transaction through the stores, returns the film's metadata, and gives the checks'
verdicts for the films the step wrote. The assets (assets.py) only declare them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection

from cinegraph_assets import assignment
from cinegraph_assets.identity import nominated_at
from cinegraph_assets.movies import (
    check_queries,
    collaboration_store,
    omdb_metrics,
    omdb_store,
    store,
)
from cinegraph_assets.movies.omdb_client import OmdbClient, OmdbNotFound
from cinegraph_assets.movies.omdb_records import OmdbRecord
from cinegraph_assets.movies.partitions import validate_movie_key
from cinegraph_assets.runtime.unit import Check, CheckDef, Fetched, PartitionWork, Status
from cinegraph_assets.tmdb import records as tmdb_records
from cinegraph_assets.tmdb.client import MovieAnswer, MovieLookup


def imdb_url(imdb_id: str) -> str:
    return f"https://www.imdb.com/title/{imdb_id}/"


class _Film(PartitionWork[str, Any]):
    """A movie partition's key is the IMDb id itself, validated once."""

    def key(self, partition_key: str) -> str:
        return validate_movie_key(partition_key)


@dataclass(frozen=True)
class TmdbRecord:
    answer: MovieAnswer  # why TMDb has no film, when it has none
    movie: tmdb_records.TmdbMovie | None  # the film, read once


TMDB_RECORD_MATCHES = CheckDef(
    "tmdb_record_matches_partition",
    "WARN: the TMDb record names another IMDb id than the partition (TMDb resolves two "
    "IMDb ids to one film; only one of them owns its credits).",
)
CREDITS_MATCH = CheckDef(
    "credits_match_tmdb_record",
    "The movie's stored credits are exactly as many as the distinct credits of the TMDb "
    "record they were written from (none for a movie that does not own its TMDb film).",
    blocking=True,
)
PAIR_AGGREGATES_MATCH = CheckDef(
    "pair_aggregates_match_details",
    "Each pair of the movie's key people has the collaboration_count and first/latest "
    "dates a recount of its collaboration_details gives.",
    blocking=True,
)


class TmdbWork(_Film):
    """tmdb_movies: the film's TMDb record (one request), credits, people."""

    CHECKS = (TMDB_RECORD_MATCHES, CREDITS_MATCH)

    def __init__(self, lookup: MovieLookup):
        self.lookup = lookup
        # Before the first write takes IDENTITY (assignment.load).
        assignment.load()

    def fetch(self, key: str) -> Fetched[TmdbRecord]:
        answer = self.lookup.movie(key)
        if answer.details is None:
            return Fetched(Status.NOT_FOUND, TmdbRecord(answer, None))
        return Fetched(Status.OK, TmdbRecord(answer, tmdb_records.parse_movie(answer.details)))

    def write(self, conn: Connection, key: str, fetched: Fetched[TmdbRecord]) -> dict[str, Any]:
        # Read before the store takes IDENTITY: the lock is held until commit.
        brought = nominated_at(conn, [key]).get(key, [])
        answer, movie = fetched.record.answer, fetched.record.movie
        if movie is None:
            store.mark_tmdb_not_found(conn, key, answer.reason, answer.not_film)
            return {"imdb_url": imdb_url(key), "reason": answer.reason, "nominated_at": brought}
        written = store.write_tmdb_movie(conn, key, movie)
        # The metadata shows TMDb's own id and title as answered.
        tmdb_id = movie.raw.get("id")
        return {
            "tmdb_id": tmdb_id,
            "tmdb_url": f"https://www.themoviedb.org/movie/{tmdb_id}",
            "imdb_url": imdb_url(key),
            "title": movie.raw.get("title"),
            "year": movie.release_date.year if movie.release_date else None,
            "cast": written["cast"],
            "crew": written["crew"],
            "people": written["people"],
            "tmdb_id_conflict_with": written["tmdb_id_conflict_with"],
            "nominated_at": brought,
        }

    def checks(self, conn: Connection, keys: list[str]) -> dict[str, list[Check]]:
        mismatched = check_queries.tmdb_id_mismatches(conn, keys)
        miscounted = check_queries.credit_count_mismatches(conn, keys)
        return {
            k: [
                TMDB_RECORD_MATCHES.verdict(
                    k not in mismatched, {"tmdb_record_imdb_id": mismatched.get(k)}
                ),
                CREDITS_MATCH.verdict(k not in miscounted, miscounted.get(k, {})),
            ]
            for k in keys
        }

    def summary(self) -> dict[str, Any]:
        return self.lookup.summary()


class OmdbWork(_Film):
    """omdb_enrichment: the film's OMDb answer and the metrics read from it."""

    def __init__(self, omdb: OmdbClient):
        self.omdb = omdb

    def fetch(self, key: str) -> Fetched[OmdbRecord]:
        fetched_at = datetime.now(timezone.utc)
        try:
            data = self.omdb.movie(key)
        except OmdbNotFound as exc:
            return Fetched(Status.NOT_FOUND, OmdbRecord(None, [], fetched_at, exc.message))
        return Fetched(Status.OK, OmdbRecord(data, omdb_metrics.metrics(data), fetched_at))

    def write(self, conn: Connection, key: str, fetched: Fetched[OmdbRecord]) -> dict[str, Any]:
        record = fetched.record
        omdb_store.write_omdb(conn, key, record)
        if record.data is None:
            return {"reason": record.reason}
        found = record.metrics
        return {
            "imdb_url": imdb_url(key),
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


def _top_table(top: list[dict]) -> str:
    rows = ["| person | person | type | movies together |", "|---|---|---|---:|"]
    rows += [
        f"| {r['a']} | {r['b']} | {r['collaboration_type']} | {r['collaboration_count']} |"
        for r in top
    ]
    return "\n".join(rows) if top else "No key people."


class CollaborationsWork(_Film):
    """collaborations: no upstream; the film's pairs rebuilt from its stored credits."""

    CHECKS = (PAIR_AGGREGATES_MATCH,)

    def fetch(self, key: str) -> Fetched[None]:
        return Fetched(Status.OK, None)

    def write(self, conn: Connection, key: str, fetched: Fetched[None]) -> dict[str, Any]:
        built = collaboration_store.rebuild_collaborations(conn, key)
        return {
            "key_people": built["key_people"],
            "pairs": built["pairs"],
            "pair_types": built["types"],
            "top_collaborations_md": _top_table(
                collaboration_store.top_collaborations(
                    conn, built["pair_kinds"], counts=built["pair_counts"]
                )
            ),
        }

    def checks(self, conn: Connection, keys: list[str]) -> dict[str, list[Check]]:
        wrong = check_queries.collaboration_count_mismatches(conn, keys)
        return {
            k: [PAIR_AGGREGATES_MATCH.verdict(k not in wrong, {"pairs": wrong.get(k, [])})]
            for k in keys
        }
