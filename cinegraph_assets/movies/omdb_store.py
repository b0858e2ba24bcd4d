"""A film's OMDb answer in the database: the raw answer and its metrics."""

from __future__ import annotations

from sqlalchemy import Connection, and_, delete, select, update

from cinegraph_assets.db import insert_rows, table
from cinegraph_assets.identity import movie_id
from cinegraph_assets.movies.omdb_records import OmdbRecord


def write_omdb(conn: Connection, imdb_id: str, record: OmdbRecord) -> int:
    """The film's OMDb answer (record.data, stored as the raw JSON), its metrics and
    when it was fetched; the film's movies.id."""
    data, found_metrics, fetched_at = record.data, record.metrics, record.fetched_at
    m, em = table(conn, "movies"), table(conn, "external_metrics")
    mid = movie_id(conn, imdb_id)
    if data is None:
        # Not (or no longer) on OMDb: say so, keep what an earlier fetch found.
        conn.execute(
            update(m)
            .where(m.c.id == mid)
            .values(omdb_status="not_found", omdb_fetched_at=fetched_at)
        )
        return mid
    conn.execute(
        update(m)
        .where(m.c.id == mid)
        .values(omdb_data=data, omdb_status="found", omdb_fetched_at=fetched_at)
    )
    keep = {(x.source, x.metric_type) for x in found_metrics}
    # Metrics OMDb no longer reports ("N/A" now) must not linger from an earlier fetch.
    stale = [
        r.id
        for r in conn.execute(
            select(em.c.id, em.c.source, em.c.metric_type).where(
                and_(em.c.movie_id == mid, em.c.source.in_(_OMDB_SOURCES))
            )
        )
        if (r.source, r.metric_type) not in keep
    ]
    if stale:
        conn.execute(delete(em).where(em.c.id.in_(stale)))
    rows = [
        {
            "movie_id": mid,
            "source": x.source,
            "metric_type": x.metric_type,
            "value": x.value,
            "text_value": x.text_value,
            "metadata": x.metadata or None,
            "fetched_at": fetched_at,
        }
        for x in found_metrics
    ]
    if rows:
        insert_rows(
            conn,
            "external_metrics",
            rows,
            key=["movie_id", "source", "metric_type"],
            update=("value", "text_value", "metadata", "fetched_at"),
        )
    return mid


_OMDB_SOURCES = ("imdb", "metacritic", "rotten_tomatoes", "omdb")
