"""What the movie assets' checks read: stored rows against the records they were
written from."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, and_, func, or_, select

from cinegraph_assets.db import chunks, is_in, table
from cinegraph_assets.tmdb.records import credits as record_credits
from cinegraph_assets.tmdb.records import imdb_id_of


def tmdb_id_mismatches(conn: Connection, keys: list[str]) -> dict[str, str | None]:
    """Movies whose TMDb record names another IMDb id than their partition key."""
    m = table(conn, "movies")
    rows = conn.execute(
        select(m.c.imdb_id, m.c.tmdb_data).where(
            and_(m.c.imdb_id.in_(keys), m.c.tmdb_status == "found")
        )
    ).all()
    return {
        r.imdb_id: imdb_id_of(r.tmdb_data or {})
        for r in rows
        if imdb_id_of(r.tmdb_data or {}) != r.imdb_id
    }


def credit_count_mismatches(conn: Connection, keys: list[str]) -> dict[str, dict[str, int]]:
    """Movies whose stored credits differ in number from the credits of the TMDb record
    they were written from (none for a movie that does not own its TMDb film)."""
    m, mc = table(conn, "movies"), table(conn, "movie_credits")
    stored = dict(
        conn.execute(
            select(m.c.imdb_id, func.count(mc.c.id))
            .select_from(m.outerjoin(mc, mc.c.movie_id == m.c.id))
            .where(m.c.imdb_id.in_(keys))
            .group_by(m.c.imdb_id)
        ).all()
    )
    out = {}
    for r in conn.execute(
        select(m.c.imdb_id, m.c.tmdb_id, m.c.tmdb_data).where(
            and_(m.c.imdb_id.in_(keys), m.c.tmdb_status == "found")
        )
    ):
        expected = len({c.credit_id for c in record_credits(r.tmdb_data or {})})
        expected = expected if r.tmdb_id is not None else 0
        if stored.get(r.imdb_id, 0) != expected:
            out[r.imdb_id] = {"stored": stored.get(r.imdb_id, 0), "in_tmdb_record": expected}
    return out


def collaboration_count_mismatches(conn: Connection, keys: list[str]) -> dict[str, list[dict]]:
    """{imdb id: pairs of its key people whose stored aggregates differ from a recount
    of their details (count of distinct movies, first and latest date)}.

    Shaped so that every row is reached through an index whatever the statistics say:
    each film's details by movie, the pairs by primary key, each pair's recount by
    correlated subqueries on its own details. As one join, every body's history (7
    million details, 90,000 pairs a batch) had the planner hash both big tables whole
    for every batch, with fresh statistics or none: 7-11 s a batch against under 1 s.
    """
    m, c_t, d_t = (
        table(conn, "movies"),
        table(conn, "collaborations"),
        table(conn, "collaboration_details"),
    )
    films = dict(conn.execute(select(m.c.id, m.c.imdb_id).where(m.c.imdb_id.in_(keys))).all())
    of_pair: dict[int, set[str]] = defaultdict(set)
    for mid, imdb_id in films.items():
        for cid in conn.execute(select(d_t.c.collaboration_id).where(d_t.c.movie_id == mid)):
            of_pair[cid[0]].add(imdb_id)
    mine = d_t.c.collaboration_id == c_t.c.id
    recount = select(func.count(func.distinct(d_t.c.movie_id))).where(mine).scalar_subquery()
    first = select(func.min(d_t.c.release_date)).where(mine).scalar_subquery()
    latest = select(func.max(d_t.c.release_date)).where(mine).scalar_subquery()
    out: dict[str, list[dict]] = defaultdict(list)
    for chunk in chunks(sorted(of_pair), 20_000):
        wrong = conn.execute(
            select(c_t.c.id, c_t.c.collaboration_count, recount.label("n")).where(
                is_in(conn, c_t.c.id, chunk),
                or_(
                    c_t.c.collaboration_count != recount,
                    c_t.c.first_collaboration_date.is_distinct_from(first),
                    c_t.c.latest_collaboration_date.is_distinct_from(latest),
                ),
            )
        )
        for r in wrong:
            for imdb_id in sorted(of_pair[r.id]):
                if len(out[imdb_id]) < 20:
                    out[imdb_id].append(
                        {"pair": r.id, "stored": r.collaboration_count, "recounted": r.n}
                    )
    return dict(out)
