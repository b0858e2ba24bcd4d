"""The identity store both domains share: a film is one `movies` row, keyed by its IMDb
id, whether an award page or TMDb named it first. The award side registers films here;
the movie side writes everything else about them. Writers that create, re-key or merge
movies and people take the IDENTITY lock first (db/locks.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from cinegraph_assets.db import ids_by, insert_ignore


def movie_ids(conn: Connection, imdb_ids: Iterable[str]) -> dict[str, int]:
    """movies.id of each IMDb id, creating missing rows. No row lock on existing rows
    (ON CONFLICT DO NOTHING), new ones inserted in key order so writers never cross."""
    wanted = sorted(set(imdb_ids))
    if not wanted:
        return {}
    # Read first: the movie-side writers ask for films the year writers registered, and
    # an INSERT ... ON CONFLICT for every lookup sat on their hot path.
    found = ids_by(conn, "movies", "imdb_id", wanted)
    missing = [k for k in wanted if k not in found]
    if missing:
        insert_ignore(conn, "movies", [{"imdb_id": k} for k in missing], key=["imdb_id"])
        found.update(ids_by(conn, "movies", "imdb_id", missing))
    return found


def movie_id(conn: Connection, imdb_id: str) -> int:
    return movie_ids(conn, [imdb_id])[imdb_id]
