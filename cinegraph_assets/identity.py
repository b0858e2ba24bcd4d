"""The identity store both domains share: a film is one `movies` row, keyed by its IMDb
id, whether an award page or TMDb named it first. The award side registers films here;
the movie side writes everything else about them. Writers that create, re-key or merge
movies and people take the IDENTITY lock first (db/locks.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from cinegraph_assets.db import chunks, insert_ignore, table


def movie_ids(conn: Connection, imdb_ids: Iterable[str]) -> dict[str, int]:
    """movies.id of each IMDb id, creating missing rows. No row lock on existing rows
    (ON CONFLICT DO NOTHING), new ones inserted in key order so writers never cross."""
    wanted = sorted(set(imdb_ids))
    if not wanted:
        return {}
    m = table(conn, "movies")
    insert_ignore(conn, "movies", [{"imdb_id": k} for k in wanted], key=["imdb_id"])
    out: dict[str, int] = {}
    for chunk in chunks(wanted):
        out.update(conn.execute(select(m.c.imdb_id, m.c.id).where(m.c.imdb_id.in_(chunk))).all())
    return out


def movie_id(conn: Connection, imdb_id: str) -> int:
    return movie_ids(conn, [imdb_id])[imdb_id]
