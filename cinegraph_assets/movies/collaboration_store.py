"""Collaborations in the database: a film's pair details, and the pairs' aggregates
kept equal to a recount of their details. Writers lock pair rows in pair order
(person_a_id, person_b_id) and never re-key a person or a movie, so they need no
IDENTITY lock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, case, delete, func, or_, select, update
from sqlalchemy.dialects import sqlite

from cinegraph_assets.db import array_columns, insert_ignore, insert_rows, is_in, run_raw, table
from cinegraph_assets.identity import movie_id
from cinegraph_assets.movies import collaborations as collab


class PairCount(NamedTuple):
    """A pair's aggregate row as the movie's write left it (a tuple: a film makes
    hundreds, and a frozen dataclass cost three times as much to create)."""

    person_a_id: int
    person_b_id: int
    collaboration_count: int


def ensure_pairs(conn: Connection, pairs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """collaborations.id of each (person_a_id, person_b_id), creating missing rows in
    pair order (so concurrent writers wait for each other in one order, never crosswise)."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    c_t = table(conn, "collaborations")
    people = sorted({p for pair in wanted for p in pair})
    among = and_(is_in(conn, c_t.c.person_a_id, people), is_in(conn, c_t.c.person_b_id, people))

    def existing() -> dict[tuple[int, int], int]:
        rows = conn.execute(select(c_t.c.person_a_id, c_t.c.person_b_id, c_t.c.id).where(among))
        return {(r.person_a_id, r.person_b_id): r.id for r in rows}

    found = existing()
    missing = [pair for pair in wanted if pair not in found]
    if missing:
        insert_ignore(
            conn,
            "collaborations",
            [{"person_a_id": a, "person_b_id": b, "collaboration_count": 0} for a, b in missing],
            key=["person_a_id", "person_b_id"],
        )
        found = existing()
    return {pair: found[pair] for pair in wanted if pair in found}


def lock_pairs(conn: Connection, ids: Iterable[int]) -> set[int]:
    """Lock collaboration rows in pair order, the order in which every writer inserts
    and upserts them; returns the ids that still exist. (SQLite: the write transaction
    holds the whole database already.)"""
    c_t = table(conn, "collaborations")
    query = (
        select(c_t.c.id)
        .where(is_in(conn, c_t.c.id, sorted(set(ids))))
        .order_by(c_t.c.person_a_id, c_t.c.person_b_id)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return set(conn.execute(query).scalars())


def recompute_pairs(conn: Connection, ids: Iterable[int]) -> None:
    """Aggregates of these pairs recounted from their details in one statement; a pair
    left without details goes. Caller holds the pairs' row locks."""
    ids = sorted(set(ids))
    if not ids:
        return
    c_t, d_t = table(conn, "collaborations"), table(conn, "collaboration_details")
    stats = (
        select(
            d_t.c.collaboration_id.label("cid"),
            func.count(func.distinct(d_t.c.movie_id)).label("n"),
            func.min(d_t.c.release_date).label("first"),
            func.max(d_t.c.release_date).label("latest"),
            (func.max(d_t.c.year) - func.min(d_t.c.year) + 1).label("span"),
        )
        .where(is_in(conn, d_t.c.collaboration_id, ids))
        .group_by(d_t.c.collaboration_id)
        .subquery()
    )
    conn.execute(
        update(c_t)
        .where(c_t.c.id == stats.c.cid)
        .values(
            collaboration_count=stats.c.n,
            first_collaboration_date=stats.c.first,
            latest_collaboration_date=stats.c.latest,
            years_active=stats.c.span,
        )
    )
    with_details = select(d_t.c.collaboration_id).where(is_in(conn, d_t.c.collaboration_id, ids))
    conn.execute(delete(c_t).where(and_(is_in(conn, c_t.c.id, ids), c_t.c.id.not_in(with_details))))


def _key_people(conn: Connection, mid: int) -> dict[int, collab.Roles]:
    mc = table(conn, "movie_credits")
    rows = conn.execute(
        select(mc.c.person_id, mc.c.credit_type, mc.c.job, mc.c.cast_order).where(
            mc.c.movie_id == mid
        )
    ).all()
    return collab.key_people(
        collab.CreditRole(r.person_id, r.credit_type, r.job, r.cast_order) for r in rows
    )


def _locked_pair_ids(
    conn: Connection, pairs: list[tuple[int, int, str]], old: Iterable[int]
) -> dict[tuple[int, int], int]:
    """Pair ids for `pairs`, with every pair this rebuild touches locked (id order).
    A pair deleted by a concurrent writer between insert and lock is made again."""
    ids = ensure_pairs(conn, [(a, b) for a, b, _ in pairs])
    for _ in range(5):
        locked = lock_pairs(conn, set(ids.values()) | set(old))
        missing = [k for k, v in ids.items() if v not in locked]
        if not missing:
            return ids
        ids.update(ensure_pairs(conn, missing))
    raise RuntimeError("collaboration pairs kept disappearing under a concurrent writer")


def count_new_movie(conn: Connection, ids: Iterable[int], release) -> None:
    """Add one movie (released on `release`) to the aggregates of these pairs, which had
    no detail for it before. Caller holds the pairs' row locks."""
    ids = sorted(set(ids))
    if not ids:
        return
    c_t = table(conn, "collaborations")
    first, latest = c_t.c.first_collaboration_date, c_t.c.latest_collaboration_date
    values: dict[str, Any] = {"collaboration_count": c_t.c.collaboration_count + 1}
    if release is not None:
        new_first = case((or_(first.is_(None), first > release), release), else_=first)
        new_latest = case((or_(latest.is_(None), latest < release), release), else_=latest)
        values.update(
            first_collaboration_date=new_first,
            latest_collaboration_date=new_latest,
            years_active=func.extract("year", new_latest) - func.extract("year", new_first) + 1,
        )
    conn.execute(update(c_t).where(is_in(conn, c_t.c.id, ids)).values(**values))


def _movie_details(conn: Connection, mid: int) -> dict[tuple[int, str], Any]:
    d_t = table(conn, "collaboration_details")
    return {
        (r.collaboration_id, r.collaboration_type): r
        for r in conn.execute(
            select(
                d_t.c.id, d_t.c.collaboration_id, d_t.c.collaboration_type, d_t.c.release_date
            ).where(d_t.c.movie_id == mid)
        )
    }


# A new movie's pairs in one statement: created with this movie as their only one, or
# counted once more with their dates widened. ON CONFLICT DO UPDATE locks each existing
# pair as it goes, in pair order (ORDER BY, as lock_pairs), and updates no key column,
# so its lock (NO KEY UPDATE) lets other writers' detail inserts reference the pair. The
# pairs come as two array literals (db.pg_array), not a VALUES list that execute_values
# renders row by row in Python, and the server parses one short statement. The counts
# it returns are the ones the metadata ranks.
_NEW_MOVIE_PAIRS_PG = """
INSERT INTO collaborations AS c (person_a_id, person_b_id, collaboration_count,
    first_collaboration_date, latest_collaboration_date, years_active)
SELECT a, b, 1, %(release)s::date, %(release)s::date, %(span)s::integer
FROM unnest(%(a)s::bigint[], %(b)s::bigint[]) AS pair (a, b)
ORDER BY a, b
ON CONFLICT (person_a_id, person_b_id) DO UPDATE SET
    collaboration_count = c.collaboration_count + 1,
    first_collaboration_date = LEAST(c.first_collaboration_date, EXCLUDED.first_collaboration_date),
    latest_collaboration_date =
        GREATEST(c.latest_collaboration_date, EXCLUDED.latest_collaboration_date),
    years_active =
        EXTRACT(YEAR FROM GREATEST(c.latest_collaboration_date, EXCLUDED.latest_collaboration_date))
        - EXTRACT(YEAR FROM LEAST(c.first_collaboration_date, EXCLUDED.first_collaboration_date))
        + 1
RETURNING id, person_a_id, person_b_id, collaboration_count
"""


def count_pairs_of_new_movie(
    conn: Connection, pairs: Sequence[tuple[int, int]], release
) -> dict[int, PairCount]:
    """Add a movie that has no collaboration details yet to these pairs' aggregates,
    creating the pairs it is the first movie of; {pair id: its row after}. The same
    result as ensure_pairs, lock_pairs and count_new_movie, in one statement instead of
    four reads and writes of every pair."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    span = 1 if release is not None else None
    if conn.dialect.name == "postgresql":
        a, b = array_columns(wanted)
        rows = run_raw(
            conn,
            _NEW_MOVIE_PAIRS_PG,
            {"release": release, "span": span, "a": a, "b": b},
            fetch=True,
        )
    else:
        rows = conn.execute(_new_movie_pairs_sqlite(conn), [
            {"person_a_id": a, "person_b_id": b, "collaboration_count": 1,
             "first_collaboration_date": release, "latest_collaboration_date": release,
             "years_active": span}
            for a, b in wanted
        ]).all()  # fmt: skip
    return {r[0]: PairCount(r[1], r[2], r[3]) for r in rows}


def _new_movie_pairs_sqlite(conn: Connection):
    """The statement of _NEW_MOVIE_PAIRS_PG for SQLite (whose min/max of NULL is NULL)."""
    c_t = table(conn, "collaborations")
    stmt = sqlite.insert(c_t)
    new, first, latest = (
        stmt.excluded,
        c_t.c.first_collaboration_date,
        c_t.c.latest_collaboration_date,
    )
    new_first = case(
        (or_(first.is_(None), first > new.first_collaboration_date), new.first_collaboration_date),
        else_=first,
    )
    new_latest = case(
        (
            or_(latest.is_(None), latest < new.latest_collaboration_date),
            new.latest_collaboration_date,
        ),
        else_=latest,
    )
    return stmt.on_conflict_do_update(
        index_elements=["person_a_id", "person_b_id"],
        set_={
            "collaboration_count": c_t.c.collaboration_count + 1,
            "first_collaboration_date": new_first,
            "latest_collaboration_date": new_latest,
            "years_active": func.extract("year", new_latest) - func.extract("year", new_first) + 1,
        },
    ).returning(c_t.c.id, c_t.c.person_a_id, c_t.c.person_b_id, c_t.c.collaboration_count)


def _pair_counts(conn: Connection, ids: Iterable[int]) -> dict[int, PairCount]:
    c_t = table(conn, "collaborations")
    rows = conn.execute(
        select(c_t.c.id, c_t.c.person_a_id, c_t.c.person_b_id, c_t.c.collaboration_count).where(
            is_in(conn, c_t.c.id, sorted(set(ids)))
        )
    )
    return {r.id: PairCount(r.person_a_id, r.person_b_id, r.collaboration_count) for r in rows}


# A film's details (hundreds) as one array per varying column, for the reason above.
_DETAILS_PG = """
INSERT INTO collaboration_details
    (collaboration_id, movie_id, collaboration_type, year, release_date)
SELECT pair, %(movie)s, kind, %(year)s::integer, %(release)s::date
FROM unnest(%(pairs)s::bigint[], %(kinds)s::text[]) AS detail (pair, kind)
"""


def _insert_details(conn: Connection, mid: int, release, fresh: Iterable[tuple[int, str]]) -> None:
    year = release.year if release else None
    fresh = sorted(fresh)
    if not fresh:
        return
    if conn.dialect.name == "postgresql":
        pairs, kinds = array_columns(fresh)
        params = {"movie": mid, "year": year, "release": release, "pairs": pairs, "kinds": kinds}
        run_raw(conn, _DETAILS_PG, params)
        return
    insert_rows(
        conn,
        "collaboration_details",
        [
            {"collaboration_id": cid, "movie_id": mid, "collaboration_type": kind,
             "year": year, "release_date": release}
            for cid, kind in fresh
        ],
    )  # fmt: skip


def _rebuild_existing(
    conn: Connection, mid: int, release, pairs: list[tuple[int, int, str]], old: dict
) -> dict[tuple[int, int], int]:
    """A movie written before: details replaced, and the pairs whose details changed
    recounted. Returns the pair ids."""
    d_t = table(conn, "collaboration_details")
    ids = _locked_pair_ids(conn, pairs, (cid for cid, _ in old))
    wanted = {(ids[(a, b)], kind) for a, b, kind in pairs}
    stale = [k for k in old if k not in wanted]
    if stale:
        conn.execute(delete(d_t).where(d_t.c.id.in_([old[k].id for k in stale])))
    fresh = wanted - set(old)
    _insert_details(conn, mid, release, fresh)
    redated = [k for k in wanted & set(old) if old[k].release_date != release]
    if redated:
        conn.execute(
            update(d_t)
            .where(d_t.c.movie_id == mid)
            .values(year=release.year if release else None, release_date=release)
        )
    recount = {cid for cid, _ in stale} | {cid for cid, _ in redated}
    recompute_pairs(conn, recount)
    count_new_movie(conn, {cid for cid, _ in fresh} - recount, release)
    return ids


def rebuild_collaborations(conn: Connection, imdb_id: str) -> dict[str, Any]:
    """Replace this movie's collaboration details and bring the pairs' aggregates along:
    a pair new to the movie counts it once more; a pair that lost or changed a detail
    is recounted from its details. A movie without details yet (every movie of a first
    import) takes the one-statement path."""
    m = table(conn, "movies")
    mid = movie_id(conn, imdb_id)
    release = conn.execute(select(m.c.release_date).where(m.c.id == mid)).scalar()
    roles = _key_people(conn, mid)
    pairs = collab.pairs(roles)
    old = _movie_details(conn, mid)
    if old:
        ids = _rebuild_existing(conn, mid, release, pairs, old)
        counts = _pair_counts(conn, ids.values())
    else:
        counts = count_pairs_of_new_movie(conn, [(a, b) for a, b, _ in pairs], release)
        ids = {(c.person_a_id, c.person_b_id): cid for cid, c in counts.items()}
        _insert_details(conn, mid, release, ((ids[(a, b)], kind) for a, b, kind in pairs))
    kinds: dict[str, int] = defaultdict(int)
    for _, _, kind in pairs:
        kinds[kind] += 1
    return {
        "movie_id": mid,
        "key_people": len(roles),
        "pairs": len(pairs),
        "types": dict(kinds),
        "pair_kinds": {ids[(a, b)]: kind for a, b, kind in pairs},
        "pair_counts": counts,
    }


def top_collaborations(
    conn: Connection,
    pair_kinds: dict[int, str],
    limit: int = 10,
    counts: Mapping[int, PairCount] | None = None,
) -> list[dict[str, Any]]:
    """The movie's pairs (collaboration id -> type) that worked together most often;
    `counts`: their rows, when the write already returned them."""
    if not pair_kinds:
        return []
    p = table(conn, "people")
    # Lookups by key, ranked here, rather than one join of people twice: under a bulk
    # import the planner hashed the whole people table for each side of every film's join
    # (two sequential scans a film, 400 million rows read over the Oscar history).
    pairs = counts if counts is not None else _pair_counts(conn, pair_kinds)
    ids = sorted({c.person_a_id for c in pairs.values()} | {c.person_b_id for c in pairs.values()})
    names = dict(conn.execute(select(p.c.id, p.c.name).where(is_in(conn, p.c.id, ids))).all())
    ranked = sorted(
        pairs.items(),
        key=lambda kv: (
            -kv[1].collaboration_count,
            names[kv[1].person_a_id],
            names[kv[1].person_b_id],
        ),
    )
    return [
        {"a": names[c.person_a_id], "b": names[c.person_b_id],
         "collaboration_type": pair_kinds[cid], "collaboration_count": c.collaboration_count}
        for cid, c in ranked[:limit]
    ]  # fmt: skip
