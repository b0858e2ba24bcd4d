"""A film's TMDb record in the database: the movie row, the two-IMDb-ids rule, and its
credits. Callers own the transaction.

Lock order (see db/locks.py): a TMDb write takes the IDENTITY lock first, then the
collaboration pairs it recounts (pair order), then movie and people rows. Every
statement works on a whole movie at once. People linking is in people_store, the
collaborations in collaboration_store, OMDb in omdb_store, the checks' queries in
check_queries.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Table,
    Text,
    all_,
    and_,
    bindparam,
    cast,
    delete,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY

from cinegraph_assets.db import bound, ids_by, insert_rows, locks, pg_array, table, update_by
from cinegraph_assets.identity import movie_id
from cinegraph_assets.movies.collaboration_store import lock_pairs, recompute_pairs
from cinegraph_assets.movies.people_store import link_people
from cinegraph_assets.tmdb.records import Credit, TmdbMovie


def mark_tmdb_not_found(
    conn: Connection, imdb_id: str, reason: str, not_film: dict | None = None
) -> int:
    """TMDb has no film for imdb_id; not_film: what TMDb knows it as instead (a series),
    kept in tmdb_data so that no later import takes it for a film."""
    mid = _identified(conn, imdb_id)
    m = table(conn, "movies")
    conn.execute(
        update(m)
        .where(m.c.id == mid)
        .values(
            tmdb_status="not_found",
            tmdb_fetched_at=datetime.now(timezone.utc),
            tmdb_data={"not_found": reason, **({"not_film": not_film} if not_film else {})},
        )
    )
    return mid


def _claim_tmdb_id(
    conn: Connection, mid: int, imdb_id: str, movie: TmdbMovie
) -> tuple[bool, str | None]:
    """Whether this movie owns TMDb film tmdb_id (its credits, its collaborations),
    and the IMDb id of the other movie claiming it, if any.

    Two IMDb ids can resolve to one TMDb film. Exactly one owns it, whichever is
    written first: the id TMDb's own record names, else the smaller one. A loser
    keeps the TMDb data but no TMDb id, credits or collaborations, so the film counts
    once everywhere.
    """
    if movie.tmdb_id is None:
        return True, None
    m = table(conn, "movies")
    other = conn.execute(_claimed_by_other(m), {"tmdb_id": movie.tmdb_id, "mid": mid}).first()
    if other is None:
        return True, None
    canonical = movie.imdb_id
    mine = imdb_id == canonical or (other.imdb_id != canonical and imdb_id < other.imdb_id)
    if mine:
        drop_credits(conn, other.id)
        conn.execute(update(m).where(m.c.id == other.id).values(tmdb_id=None))
    return mine, other.imdb_id


def _identified(conn: Connection, imdb_id: str) -> int:
    """The film's movies.id, with IDENTITY taken. A movies row is never deleted and its
    IMDb id never changes, so the id of a film already registered (every film a year or
    edition brought) is read before the lock: one statement less in the section every
    TMDb write waits for. Only a film not registered yet is created under it."""
    known = ids_by(conn, "movies", "imdb_id", [imdb_id]).get(imdb_id)
    locks.take(conn, locks.IDENTITY)
    return known if known is not None else movie_id(conn, imdb_id)


def write_tmdb_movie(conn: Connection, imdb_id: str, movie: TmdbMovie) -> dict[str, Any]:
    mid = _identified(conn, imdb_id)
    m = table(conn, "movies")
    values = dict(movie.columns)
    owns, conflict = _claim_tmdb_id(conn, mid, imdb_id, movie)
    if not owns:
        drop_credits(conn, mid)
        values["tmdb_id"] = None
    values.update(
        tmdb_data=movie.raw, tmdb_status="found", tmdb_fetched_at=datetime.now(timezone.utc)
    )
    conn.execute(update_by(m, "id", tuple(values)), {"b_id": mid, **bound(values)})
    stored = list(movie.credits) if owns else []
    person_ids = link_people(conn, mid, stored)
    _write_credits(conn, mid, stored, person_ids)
    return {
        "movie_id": mid,
        "tmdb_id_conflict_with": conflict,
        "owns_tmdb_film": owns,
        "cast": sum(c.credit_type == "cast" for c in stored),
        "crew": sum(c.credit_type == "crew" for c in stored),
        "people": len(person_ids),
    }


def _write_credits(
    conn: Connection, mid: int, credits: list[Credit], person_ids: dict[int, int]
) -> None:
    """TMDb's credit list is the truth for this movie: replace it by credit_id, so
    unchanged credits keep their rows and are not rewritten."""
    mc = table(conn, "movie_credits")
    rows = list(
        {
            c.credit_id: {
                "movie_id": mid,
                "person_id": person_ids[c.tmdb_person_id],
                "credit_id": c.credit_id,
                "credit_type": c.credit_type,
                "department": c.department,
                "job": c.job,
                "character": c.character,
                "cast_order": c.cast_order,
            }
            for c in credits
        }.values()
    )
    kept = [r["credit_id"] for r in rows]
    if conn.dialect.name == "postgresql":
        conn.execute(_stale_credits_pg(mc), {"mid": mid, "kept": pg_array(kept)})
    else:
        conn.execute(_stale_credits(mc), {"mid": mid, "kept": kept})
    if not rows:
        return
    columns = [c for c in rows[0] if c != "credit_id"]
    insert_rows(
        conn, "movie_credits", rows, key=["credit_id"], update=columns, only_if_changed=True
    )


def drop_credits(conn: Connection, mid: int) -> None:
    """A movie that no longer owns its TMDb film loses its credits and collaborations."""
    d_t, mc = table(conn, "collaboration_details"), table(conn, "movie_credits")
    touched = set(
        conn.execute(select(d_t.c.collaboration_id).where(d_t.c.movie_id == mid)).scalars()
    )
    if touched:
        lock_pairs(conn, touched)
        conn.execute(delete(d_t).where(d_t.c.movie_id == mid))
        recompute_pairs(conn, touched)
    conn.execute(delete(mc).where(mc.c.movie_id == mid))


# The TMDb write's other statements, built once per table (as db.update_by): every film
# runs them, and SQLAlchemy computes a statement's cache key anew for every new object,
# which cost more than running the statement.


@lru_cache(maxsize=8)
def _claimed_by_other(m: Table):
    return select(m.c.id, m.c.imdb_id).where(
        and_(m.c.tmdb_id == bindparam("tmdb_id"), m.c.id != bindparam("mid"))
    )


@lru_cache(maxsize=8)
def _stale_credits(mc: Table):
    """The movie's credits TMDb no longer lists (an empty list: all of them)."""
    return delete(mc).where(
        and_(
            mc.c.movie_id == bindparam("mid"),
            mc.c.credit_id.not_in(bindparam("kept", expanding=True)),
        )
    )


@lru_cache(maxsize=8)
def _stale_credits_pg(mc: Table):
    """The same with the kept ids as one array parameter (db.pg_array): an expanding
    list binds and renders a parameter per credit, dozens a film."""
    kept = cast(bindparam("kept", type_=Text), ARRAY(mc.c.credit_id.type))
    return delete(mc).where(and_(mc.c.movie_id == bindparam("mid"), mc.c.credit_id != all_(kept)))
