"""Database writes of the per-movie assets. Callers own the transaction.

Lock order (see db/locks.py): a TMDb write takes the IDENTITY lock first, then the
collaboration pairs it recounts (ascending id), then movie and people rows. A
collaborations rebuild takes pair rows in ascending id order and never re-keys a
person or a movie. Every statement works on a whole movie at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, case, delete, func, or_, select, update

from cinegraph_assets.ceremonies.text import best_assignment, name_similarity
from cinegraph_assets.db import insert_ignore, insert_rows, is_in, locks, table
from cinegraph_assets.movies import collaborations as collab
from cinegraph_assets.movies.omdb_metrics import Metric
from cinegraph_assets.movies.tmdb_records import Credit, imdb_id_of, movie_columns
from cinegraph_assets.movies.tmdb_records import credits as record_credits

NOMINEE_MATCH = 0.9  # a nominee is a credited person only at this name similarity
_TIE = 0.005
_CHUNK = 500


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- movies ----------------------------------------------------------------------------


def movie_ids(conn: Connection, imdb_ids: Iterable[str]) -> dict[str, int]:
    """movies.id of each IMDb id, creating missing rows. No row lock on existing rows
    (ON CONFLICT DO NOTHING), new ones inserted in key order so writers never cross."""
    wanted = sorted(set(imdb_ids))
    if not wanted:
        return {}
    m = table(conn, "movies")
    insert_ignore(conn, "movies", [{"imdb_id": k} for k in wanted], key=["imdb_id"])
    out: dict[str, int] = {}
    for chunk in _chunks(wanted):
        out.update(conn.execute(select(m.c.imdb_id, m.c.id).where(m.c.imdb_id.in_(chunk))).all())
    return out


def movie_id(conn: Connection, imdb_id: str) -> int:
    return movie_ids(conn, [imdb_id])[imdb_id]


def mark_tmdb_not_found(
    conn: Connection, imdb_id: str, reason: str, not_film: dict | None = None
) -> int:
    """TMDb has no film for imdb_id; not_film: what TMDb knows it as instead (a series),
    kept in tmdb_data so that no later import takes it for a film."""
    locks.take(conn, locks.IDENTITY)
    m = table(conn, "movies")
    mid = movie_id(conn, imdb_id)
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
    conn: Connection, mid: int, imdb_id: str, tmdb_id: int | None, details: dict
) -> tuple[bool, str | None]:
    """Whether this movie owns TMDb film tmdb_id (its credits, its collaborations),
    and the IMDb id of the other movie claiming it, if any.

    Two IMDb ids can resolve to one TMDb film. Exactly one owns it, whichever is
    written first: the id TMDb's own record names, else the smaller one. A loser
    keeps the TMDb data but no TMDb id, credits or collaborations, so the film counts
    once everywhere.
    """
    if tmdb_id is None:
        return True, None
    m = table(conn, "movies")
    other = conn.execute(
        select(m.c.id, m.c.imdb_id).where(and_(m.c.tmdb_id == tmdb_id, m.c.id != mid))
    ).first()
    if other is None:
        return True, None
    canonical = imdb_id_of(details)
    mine = imdb_id == canonical or (other.imdb_id != canonical and imdb_id < other.imdb_id)
    if mine:
        drop_credits(conn, other.id)
        conn.execute(update(m).where(m.c.id == other.id).values(tmdb_id=None))
    return mine, other.imdb_id


def write_tmdb_movie(
    conn: Connection, imdb_id: str, details: dict[str, Any], credits: list[Credit]
) -> dict[str, Any]:
    locks.take(conn, locks.IDENTITY)
    m = table(conn, "movies")
    mid = movie_id(conn, imdb_id)
    values = movie_columns(details)
    owns, conflict = _claim_tmdb_id(conn, mid, imdb_id, values["tmdb_id"], details)
    if not owns:
        drop_credits(conn, mid)
        values["tmdb_id"] = None
    conn.execute(
        update(m)
        .where(m.c.id == mid)
        .values(
            **values,
            tmdb_data=details,
            tmdb_status="found",
            tmdb_fetched_at=datetime.now(timezone.utc),
        )
    )
    stored = credits if owns else []
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
    conn.execute(
        delete(mc).where(
            and_(mc.c.movie_id == mid, mc.c.credit_id.not_in([r["credit_id"] for r in rows]))
        )
    )
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


# -- people ----------------------------------------------------------------------------


def _nominee_candidates(conn: Connection, mid: int) -> list[tuple[int, str, str | None]]:
    """People IMDb named on this film's nominations that TMDb has not claimed yet."""
    p, np_, nm = (
        table(conn, t)
        for t in ("people", "festival_nomination_people", "festival_nomination_movies")
    )
    # Three lookups by key rather than one join: during a bulk import the statistics
    # of `people` lag far behind (100 rows estimated without a TMDb id, 7,000 there),
    # and the planner's hash join over them took 30 ms a film under IDENTITY.
    nominations = (
        conn.execute(select(nm.c.nomination_id).where(nm.c.movie_id == mid)).scalars().all()
    )
    if not nominations:
        return []
    person_ids = (
        conn.execute(select(np_.c.person_id).where(is_in(conn, np_.c.nomination_id, nominations)))
        .scalars()
        .all()
    )
    if not person_ids:
        return []
    rows = conn.execute(
        select(p.c.id, p.c.name, p.c.imdb_id)
        .where(and_(is_in(conn, p.c.id, sorted(set(person_ids))), p.c.tmdb_id.is_(None)))
        .order_by(p.c.id)
    ).all()
    return [(r.id, r.name, r.imdb_id) for r in rows]


def best_nominee_matches(nominees: Sequence[str], credited: Sequence[str]) -> dict[int, int]:
    """{nominee index: credited index}: one-to-one, best total name similarity, each
    pair at least NOMINEE_MATCH and without an equally good rival for either side."""
    if not nominees or not credited:
        return {}
    score = np.array([[name_similarity(n, c) for c in credited] for n in nominees])
    out = {}
    for r, c in zip(*best_assignment(score), strict=True):
        s = score[r, c]
        if s < NOMINEE_MATCH:
            continue
        row_rivals = np.sum(score[r] >= s - _TIE) > 1
        col_rivals = np.sum(score[:, c] >= s - _TIE) > 1
        if not (row_rivals or col_rivals):
            out[int(r)] = int(c)
    return out


def _merge_person(conn: Connection, keep: int, drop: int, drop_imdb: str | None) -> bool:
    """Fold the IMDb-only row `drop` into `keep`: one human, one people row."""
    p, np_ = table(conn, "people"), table(conn, "festival_nomination_people")
    kept_imdb = conn.execute(select(p.c.imdb_id).where(p.c.id == keep)).scalar_one()
    if kept_imdb and drop_imdb and kept_imdb != drop_imdb:
        return False  # two IMDb people who share a name: not the same human
    on_keep = select(np_.c.nomination_id).where(np_.c.person_id == keep)
    conn.execute(
        update(np_)
        .where(and_(np_.c.person_id == drop, np_.c.nomination_id.not_in(on_keep)))
        .values(person_id=keep)
    )
    conn.execute(delete(np_).where(np_.c.person_id == drop))
    conn.execute(delete(p).where(p.c.id == drop))
    if drop_imdb:
        conn.execute(
            update(p).where(and_(p.c.id == keep, p.c.imdb_id.is_(None))).values(imdb_id=drop_imdb)
        )
    return True


def _person_values(c: Credit) -> dict[str, Any]:
    return {
        "tmdb_id": c.tmdb_person_id,
        "name": c.name,
        "known_for_department": c.known_for_department,
        "gender": c.gender,
        "profile_path": c.profile_path,
        "popularity": c.popularity,
    }


def link_people(conn: Connection, mid: int, credits: list[Credit]) -> dict[int, int]:
    """people.id for every TMDb person of the credits; the film's IMDb-named nominees
    become the TMDb person they are (best match, one-to-one). Caller holds IDENTITY."""
    p = table(conn, "people")
    by_tmdb: dict[int, Credit] = {}
    for c in credits:
        by_tmdb.setdefault(c.tmdb_person_id, c)
    order = sorted(by_tmdb)
    existing: dict[int, int] = {}
    for chunk in _chunks(order):
        existing.update(
            conn.execute(select(p.c.tmdb_id, p.c.id).where(p.c.tmdb_id.in_(chunk))).all()
        )
    candidates = _nominee_candidates(conn, mid)
    matched = best_nominee_matches(
        [name for _, name, _ in candidates], [by_tmdb[t].name for t in order]
    )
    for r, col in sorted(matched.items(), key=lambda rc: order[rc[1]]):
        tmdb_id, (nominee, _, nominee_imdb) = order[col], candidates[r]
        if tmdb_id in existing:
            _merge_person(conn, keep=existing[tmdb_id], drop=nominee, drop_imdb=nominee_imdb)
        else:
            conn.execute(
                update(p).where(p.c.id == nominee).values(**_person_values(by_tmdb[tmdb_id]))
            )
            existing[tmdb_id] = nominee
    new = [_person_values(by_tmdb[t]) for t in order if t not in existing]
    insert_ignore(conn, "people", new, key=["tmdb_id"])
    ids: dict[int, int] = {}
    for chunk in _chunks(order):
        ids.update(conn.execute(select(p.c.tmdb_id, p.c.id).where(p.c.tmdb_id.in_(chunk))).all())
    _refresh_people(conn, [by_tmdb[t] for t in order if t in existing])
    return ids


def _refresh_people(conn: Connection, credits: list[Credit]) -> None:
    """TMDb's latest word on people already known (a profile picture, popularity)."""
    if not credits:
        return
    p = table(conn, "people")
    columns = ("name", "known_for_department", "gender", "profile_path", "popularity")
    known = {}
    for chunk in _chunks([c.tmdb_person_id for c in credits]):
        known.update(
            (r.tmdb_id, tuple(r[1:]))
            for r in conn.execute(
                select(p.c.tmdb_id, *(p.c[c] for c in columns)).where(p.c.tmdb_id.in_(chunk))
            )
        )
    for c in credits:
        values = _person_values(c)
        fresh = tuple(values[k] for k in columns)
        if known.get(c.tmdb_person_id) != fresh:
            conn.execute(
                update(p)
                .where(p.c.tmdb_id == c.tmdb_person_id)
                .values({k: values[k] for k in columns})
            )


# -- OMDb ------------------------------------------------------------------------------


def write_omdb(
    conn: Connection,
    imdb_id: str,
    data: dict[str, Any] | None,
    found_metrics: list[Metric],
    fetched_at: datetime,
) -> int:
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


# -- collaborations --------------------------------------------------------------------


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
    """Lock collaboration rows in ascending id order; returns the ids that still exist.
    (SQLite: the write transaction holds the whole database already.)"""
    c_t = table(conn, "collaborations")
    query = select(c_t.c.id).where(is_in(conn, c_t.c.id, sorted(set(ids)))).order_by(c_t.c.id)
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


def rebuild_collaborations(conn: Connection, imdb_id: str) -> dict[str, Any]:
    """Replace this movie's collaboration details and bring the pairs' aggregates along:
    a pair new to the movie counts it once more; a pair that lost or changed a detail
    is recounted from its details."""
    m, d_t = table(conn, "movies"), table(conn, "collaboration_details")
    mid = movie_id(conn, imdb_id)
    release = conn.execute(select(m.c.release_date).where(m.c.id == mid)).scalar()
    roles = _key_people(conn, mid)
    pairs = collab.pairs(roles)
    old = _movie_details(conn, mid)
    ids = _locked_pair_ids(conn, pairs, (cid for cid, _ in old))
    wanted = {(ids[(a, b)], kind) for a, b, kind in pairs}
    stale = [k for k in old if k not in wanted]
    if stale:
        conn.execute(delete(d_t).where(d_t.c.id.in_([old[k].id for k in stale])))
    fresh = sorted(wanted - set(old))
    if fresh:
        year = release.year if release else None
        insert_rows(
            conn,
            "collaboration_details",
            [
                {"collaboration_id": cid, "movie_id": mid, "collaboration_type": kind,
                 "year": year, "release_date": release}
                for cid, kind in fresh
            ],
        )  # fmt: skip
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
    kinds: dict[str, int] = defaultdict(int)
    for _, _, kind in pairs:
        kinds[kind] += 1
    return {
        "movie_id": mid,
        "key_people": len(roles),
        "pairs": len(pairs),
        "types": dict(kinds),
        "pair_kinds": {ids[(a, b)]: kind for a, b, kind in pairs},
    }


def top_collaborations(
    conn: Connection, pair_kinds: dict[int, str], limit: int = 10
) -> list[dict[str, Any]]:
    """The movie's pairs (collaboration id -> type) that worked together most often."""
    if not pair_kinds:
        return []
    c_t, p = table(conn, "collaborations"), table(conn, "people")
    # Two lookups by key, ranked here, rather than one join of people twice: under a bulk
    # import the planner hashed the whole people table for each side of every film's join
    # (two sequential scans a film, 400 million rows read over the Oscar history).
    pairs = conn.execute(
        select(c_t.c.id, c_t.c.person_a_id, c_t.c.person_b_id, c_t.c.collaboration_count).where(
            is_in(conn, c_t.c.id, sorted(pair_kinds))
        )
    ).all()
    ids = sorted({r.person_a_id for r in pairs} | {r.person_b_id for r in pairs})
    names = dict(conn.execute(select(p.c.id, p.c.name).where(is_in(conn, p.c.id, ids))).all())
    ranked = sorted(
        pairs, key=lambda r: (-r.collaboration_count, names[r.person_a_id], names[r.person_b_id])
    )
    return [
        {"a": names[r.person_a_id], "b": names[r.person_b_id],
         "collaboration_type": pair_kinds[r.id], "collaboration_count": r.collaboration_count}
        for r in ranked[:limit]
    ]  # fmt: skip


# -- checks ----------------------------------------------------------------------------


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
    of their details (count of distinct movies, first and latest date)}."""
    m, c_t, d_t = (
        table(conn, "movies"),
        table(conn, "collaborations"),
        table(conn, "collaboration_details"),
    )
    mine = (
        select(d_t.c.collaboration_id.label("cid"), m.c.imdb_id)
        .join(m, m.c.id == d_t.c.movie_id)
        .where(m.c.imdb_id.in_(keys))
        .distinct()
        .subquery()
    )
    recount = (
        select(
            d_t.c.collaboration_id.label("cid"),
            func.count(func.distinct(d_t.c.movie_id)).label("n"),
            func.min(d_t.c.release_date).label("first"),
            func.max(d_t.c.release_date).label("latest"),
        )
        .where(d_t.c.collaboration_id.in_(select(mine.c.cid)))
        .group_by(d_t.c.collaboration_id)
        .subquery()
    )
    rows = conn.execute(
        select(mine.c.imdb_id, c_t.c.id, c_t.c.collaboration_count, recount.c.n)
        .join(c_t, c_t.c.id == mine.c.cid)
        .join(recount, recount.c.cid == c_t.c.id)
        .where(
            or_(
                c_t.c.collaboration_count != recount.c.n,
                c_t.c.first_collaboration_date.is_distinct_from(recount.c.first),
                c_t.c.latest_collaboration_date.is_distinct_from(recount.c.latest),
            )
        )
    ).all()
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if len(out[r.imdb_id]) < 20:
            out[r.imdb_id].append({"pair": r.id, "stored": r.collaboration_count, "recounted": r.n})
    return dict(out)
