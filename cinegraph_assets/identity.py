"""The identity store both domains share: a film is one `movies` row, keyed by its IMDb
id, whether an award page or TMDb named it first. The award side registers films here;
the movie side writes everything else about them, and reads here what brought a film
(`nominated_at`) without importing the award side. Writers that create, re-key or merge
movies and people take the IDENTITY lock first (db/locks.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Connection, Table, bindparam, select

from cinegraph_assets.db import ids_by, insert_ignore, table


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


def edition_key(year: int, instance: int = 1) -> str:
    """An edition's partition key: '2024', or '2016-2' for IMDb's second edition of a
    year (awards.editions.Edition.key). Here because both sides name editions by it."""
    return str(year) if instance == 1 else f"{year}-{instance}"


def nominated_at(conn: Connection, imdb_ids: Iterable[str]) -> dict[str, list[str]]:
    """{film: ["<body> <edition>: <award> / <category>", ...]}: what brought each film."""
    wanted = sorted(set(imdb_ids))
    if not wanted:
        return {}
    tables = tuple(table(conn, t) for t in _NOMINATED_AT_TABLES)
    rows = conn.execute(_nominated_at_query(*tables), {"imdb_ids": wanted})
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        edition = edition_key(r.year, r.instance)
        category = r.name if r.name == r.award_name else f"{r.award_name} / {r.name}"
        entry = f"{r.body_key or r.body} {edition}: {category}" + (" (won)" if r.won else "")
        if entry not in out[r.imdb_id]:
            out[r.imdb_id].append(entry)
    return dict(out)


_NOMINATED_AT_TABLES = (
    "movies",
    "festival_nomination_movies",
    "festival_nominations",
    "festival_ceremonies",
    "festival_categories",
    "festival_organizations",
)


@lru_cache(maxsize=16)
def _nominated_at_query(m: Table, nm: Table, n: Table, c: Table, cat: Table, o: Table):
    """The six-table join, built once per set of tables (as db.upsert's ids_by): every
    TMDb write asks it for its film, and building it anew, cache key included, cost
    several times what the query costs the database."""
    return (
        select(
            m.c.imdb_id,
            o.c.body_key,
            o.c.name.label("body"),
            c.c.year,
            c.c.instance,
            cat.c.award_name,
            cat.c.name,
            n.c.won,
        )
        .join(nm, nm.c.movie_id == m.c.id)
        .join(n, n.c.id == nm.c.nomination_id)
        .join(c, c.c.id == n.c.ceremony_id)
        .join(cat, cat.c.id == n.c.category_id)
        .join(o, o.c.id == c.c.organization_id)
        .where(m.c.imdb_id.in_(bindparam("imdb_ids", expanding=True)))
        .order_by(m.c.imdb_id, c.c.year, o.c.body_key, cat.c.award_name, cat.c.name)
    )
