"""Database writes of the per-movie assets. Callers own the transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, and_, delete, func, select, text, update

from cinegraph_assets.ceremonies.text import name_similarity
from cinegraph_assets.db import insert_ignore, table, upsert
from cinegraph_assets.movies import collaborations as collab
from cinegraph_assets.movies.omdb_metrics import Metric
from cinegraph_assets.movies.tmdb_records import Credit, movie_columns

_LOCKS = {"people": 74_120_932, "collaborations": 74_120_933}


def serialize(conn: Connection, what: str) -> None:
    """Make concurrent writers of one shared structure take turns (PostgreSQL).

    SQLite transactions already take the database write lock at BEGIN IMMEDIATE.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCKS[what]})


def movie_id(conn: Connection, imdb_id: str) -> int:
    """The movies row of a partition, created from the IMDb id if nothing made it yet."""
    return upsert(conn, "movies", {"imdb_id": imdb_id}, key=["imdb_id"], update=[])


def mark_tmdb_not_found(conn: Connection, imdb_id: str, reason: str) -> int:
    m = table(conn, "movies")
    mid = movie_id(conn, imdb_id)
    conn.execute(
        update(m)
        .where(m.c.id == mid)
        .values(
            tmdb_status="not_found",
            tmdb_fetched_at=datetime.now(timezone.utc),
            tmdb_data={"not_found": reason},
        )
    )
    return mid


def _nominee_candidates(conn: Connection, mid: int) -> list[tuple[int, str]]:
    """People IMDb named on this film's nominations that TMDb has not claimed yet."""
    p, np_, nm = (
        table(conn, t)
        for t in ("people", "festival_nomination_people", "festival_nomination_movies")
    )
    rows = conn.execute(
        select(p.c.id, p.c.name)
        .distinct()
        .join(np_, np_.c.person_id == p.c.id)
        .join(nm, nm.c.nomination_id == np_.c.nomination_id)
        .where(and_(nm.c.movie_id == mid, p.c.tmdb_id.is_(None)))
    ).all()
    return [(r.id, r.name) for r in rows]


def _merge_person(conn: Connection, keep: int, drop: int) -> bool:
    """Fold the IMDb-only row `drop` into `keep`: one human, one people row."""
    p, np_ = table(conn, "people"), table(conn, "festival_nomination_people")
    imdb_id = conn.execute(select(p.c.imdb_id).where(p.c.id == drop)).scalar_one()
    kept_imdb = conn.execute(select(p.c.imdb_id).where(p.c.id == keep)).scalar_one()
    if kept_imdb and imdb_id and kept_imdb != imdb_id:
        return False  # two IMDb people who share a name: not the same human
    already = {
        r
        for r in conn.execute(select(np_.c.nomination_id).where(np_.c.person_id == keep)).scalars()
    }
    for nomination_id in (
        conn.execute(select(np_.c.nomination_id).where(np_.c.person_id == drop)).scalars().all()
    ):
        if nomination_id in already:
            conn.execute(
                delete(np_).where(
                    and_(np_.c.nomination_id == nomination_id, np_.c.person_id == drop)
                )
            )
        else:
            conn.execute(
                update(np_)
                .where(and_(np_.c.nomination_id == nomination_id, np_.c.person_id == drop))
                .values(person_id=keep)
            )
    conn.execute(delete(p).where(p.c.id == drop))
    if imdb_id:
        conn.execute(
            update(p).where(and_(p.c.id == keep, p.c.imdb_id.is_(None))).values(imdb_id=imdb_id)
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
    """people.id for every TMDb person of the credits, nominees linked by name."""
    serialize(conn, "people")
    p = table(conn, "people")
    by_tmdb: dict[int, Credit] = {}
    for c in credits:
        by_tmdb.setdefault(c.tmdb_person_id, c)
    existing = (
        dict(conn.execute(select(p.c.tmdb_id, p.c.id).where(p.c.tmdb_id.in_(list(by_tmdb)))).all())
        if by_tmdb
        else {}
    )
    candidates = _nominee_candidates(conn, mid)
    ids: dict[int, int] = {}
    for tmdb_id, c in by_tmdb.items():
        matches = [pid for pid, name in candidates if name_similarity(name, c.name) >= 0.9]
        nominee = matches[0] if len(matches) == 1 else None
        if tmdb_id in existing:
            ids[tmdb_id] = existing[tmdb_id]
            if nominee is not None and nominee != existing[tmdb_id]:
                _merge_person(conn, keep=existing[tmdb_id], drop=nominee)
        elif nominee is not None:
            conn.execute(update(p).where(p.c.id == nominee).values(**_person_values(c)))
            ids[tmdb_id] = nominee
        else:
            ids[tmdb_id] = upsert(
                conn, "people", _person_values(c), key=["tmdb_id"], update=["tmdb_id"]
            )
        if nominee is not None:
            candidates = [(pid, n) for pid, n in candidates if pid != nominee]
    return ids


def write_tmdb_movie(
    conn: Connection, imdb_id: str, details: dict[str, Any], credits: list[Credit]
) -> dict[str, Any]:
    m, mc = table(conn, "movies"), table(conn, "movie_credits")
    mid = movie_id(conn, imdb_id)
    values = movie_columns(details)
    conflict = conn.execute(
        select(m.c.imdb_id).where(and_(m.c.tmdb_id == values["tmdb_id"], m.c.id != mid))
    ).scalar()
    if conflict:
        # Two IMDb ids for one TMDb film: keep the data, not the (unique) TMDb id.
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

    person_ids = link_people(conn, mid, credits)
    rows = [
        {
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
    ]
    # TMDb's credit list is the truth for this movie: replace it (by credit_id, so
    # unchanged credits keep their rows).
    conn.execute(
        delete(mc).where(
            and_(mc.c.movie_id == mid, mc.c.credit_id.not_in([r["credit_id"] for r in rows]))
        )
    )
    for row in rows:
        upsert(conn, "movie_credits", row, key=["credit_id"])
    return {
        "movie_id": mid,
        "tmdb_id_conflict_with": conflict,
        "cast": sum(c.credit_type == "cast" for c in credits),
        "crew": sum(c.credit_type == "crew" for c in credits),
        "people": len(person_ids),
    }


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
    sources = {"imdb", "metacritic", "rotten_tomatoes", "omdb"}
    keep = {(x.source, x.metric_type) for x in found_metrics}
    # Metrics OMDb no longer reports ("N/A" now) must not linger from an earlier fetch.
    for row in conn.execute(
        select(em.c.id, em.c.source, em.c.metric_type).where(
            and_(em.c.movie_id == mid, em.c.source.in_(sources))
        )
    ).all():
        if (row.source, row.metric_type) not in keep:
            conn.execute(delete(em).where(em.c.id == row.id))
    for x in found_metrics:
        upsert(
            conn,
            "external_metrics",
            {
                "movie_id": mid,
                "source": x.source,
                "metric_type": x.metric_type,
                "value": x.value,
                "text_value": x.text_value,
                "metadata": x.metadata or None,
                "fetched_at": fetched_at,
            },
            key=["movie_id", "source", "metric_type"],
        )
    return mid


def rebuild_collaborations(conn: Connection, imdb_id: str) -> dict[str, Any]:
    """Replace this movie's collaboration details and recompute the pairs they touch."""
    serialize(conn, "collaborations")
    m, mc = table(conn, "movies"), table(conn, "movie_credits")
    c_t, d_t = table(conn, "collaborations"), table(conn, "collaboration_details")
    mid = movie_id(conn, imdb_id)
    release = conn.execute(select(m.c.release_date).where(m.c.id == mid)).scalar()
    credit_rows = conn.execute(
        select(mc.c.person_id, mc.c.credit_type, mc.c.job, mc.c.cast_order).where(
            mc.c.movie_id == mid
        )
    ).all()
    roles = collab.key_people(
        collab.CreditRole(r.person_id, r.credit_type, r.job, r.cast_order) for r in credit_rows
    )
    pairs = collab.pairs(roles)

    existing = {
        (r.collaboration_id, r.collaboration_type): r.id
        for r in conn.execute(
            select(d_t.c.id, d_t.c.collaboration_id, d_t.c.collaboration_type).where(
                d_t.c.movie_id == mid
            )
        )
    }
    touched = {collaboration for collaboration, _ in existing}
    wanted: dict[tuple[int, str], dict] = {}
    if pairs:
        insert_ignore(
            conn,
            "collaborations",
            [{"person_a_id": a, "person_b_id": b, "collaboration_count": 0} for a, b, _ in pairs],
            key=["person_a_id", "person_b_id"],
        )
        people = sorted(roles)
        ids = {
            (r.person_a_id, r.person_b_id): r.id
            for r in conn.execute(
                select(c_t.c.id, c_t.c.person_a_id, c_t.c.person_b_id).where(
                    and_(c_t.c.person_a_id.in_(people), c_t.c.person_b_id.in_(people))
                )
            ).all()
        }
        wanted = {
            (ids[(a, b)], kind): {
                "collaboration_id": ids[(a, b)],
                "movie_id": mid,
                "collaboration_type": kind,
                "year": release.year if release else None,
                "release_date": release,
            }
            for a, b, kind in pairs
        }
        touched |= {collaboration for collaboration, _ in wanted}
    # Replace this movie's details by difference, so unchanged rows keep their ids.
    stale = [detail_id for k, detail_id in existing.items() if k not in wanted]
    if stale:
        conn.execute(delete(d_t).where(d_t.c.id.in_(stale)))
    fresh = [row for k, row in wanted.items() if k not in existing]
    if fresh:
        conn.execute(d_t.insert(), fresh)
    conn.execute(
        update(d_t)
        .where(d_t.c.movie_id == mid)
        .values(year=release.year if release else None, release_date=release)
    )
    _recompute(conn, touched)
    kinds: dict[str, int] = defaultdict(int)
    for _, _, kind in pairs:
        kinds[kind] += 1
    return {"movie_id": mid, "key_people": len(roles), "pairs": len(pairs), "types": dict(kinds)}


def _recompute(conn: Connection, ids: set[int]) -> None:
    if not ids:
        return
    c_t, d_t = table(conn, "collaborations"), table(conn, "collaboration_details")
    ids_list = sorted(ids)
    for chunk in (ids_list[i : i + 500] for i in range(0, len(ids_list), 500)):
        stats = conn.execute(
            select(
                d_t.c.collaboration_id,
                func.count(func.distinct(d_t.c.movie_id)).label("n"),
                func.min(d_t.c.release_date).label("first"),
                func.max(d_t.c.release_date).label("latest"),
                func.min(d_t.c.year).label("y0"),
                func.max(d_t.c.year).label("y1"),
            )
            .where(d_t.c.collaboration_id.in_(chunk))
            .group_by(d_t.c.collaboration_id)
        ).all()
        seen = set()
        for s in stats:
            seen.add(s.collaboration_id)
            conn.execute(
                update(c_t)
                .where(c_t.c.id == s.collaboration_id)
                .values(
                    collaboration_count=s.n,
                    first_collaboration_date=s.first,
                    latest_collaboration_date=s.latest,
                    years_active=(s.y1 - s.y0 + 1) if s.y0 is not None else None,
                )
            )
        gone = [i for i in chunk if i not in seen]
        if gone:
            conn.execute(delete(c_t).where(c_t.c.id.in_(gone)))


def top_collaborations(conn: Connection, imdb_id: str, limit: int = 10) -> list[dict[str, Any]]:
    m, c_t, d_t, p = (
        table(conn, t) for t in ("movies", "collaborations", "collaboration_details", "people")
    )
    pa, pb = p.alias("pa"), p.alias("pb")
    rows = (
        conn.execute(
            select(
                pa.c.name.label("a"),
                pb.c.name.label("b"),
                d_t.c.collaboration_type,
                c_t.c.collaboration_count,
            )
            .join(c_t, c_t.c.id == d_t.c.collaboration_id)
            .join(m, m.c.id == d_t.c.movie_id)
            .join(pa, pa.c.id == c_t.c.person_a_id)
            .join(pb, pb.c.id == c_t.c.person_b_id)
            .where(m.c.imdb_id == imdb_id)
            .order_by(c_t.c.collaboration_count.desc(), pa.c.name, pb.c.name)
            .limit(limit)
        )
        .mappings()
        .all()
    )
    return [dict(r) for r in rows]


# -- per-movie outcome bookkeeping ------------------------------------------------------


def record_status(
    conn: Connection,
    imdb_id: str,
    asset: str,
    status: str,
    run_id: str,
    *,
    error: str | None = None,
    metadata: dict[str, Any] | None = None,
    attempts: int = 1,
) -> None:
    upsert(
        conn,
        "movie_asset_status",
        {
            "imdb_id": imdb_id,
            "asset": asset,
            "status": status,
            "run_id": run_id,
            "attempts": attempts,
            "error": error,
            "metadata": metadata,
            "updated_at": datetime.now(timezone.utc),
        },
        key=["imdb_id", "asset"],
    )


def reusable_outcomes(
    conn: Connection, imdb_ids: list[str], asset: str, run_ids: set[str]
) -> dict[str, dict[str, Any]]:
    """{imdb_id: outcome} of the movies that already succeeded in one of run_ids."""
    t = table(conn, "movie_asset_status")
    rows = conn.execute(
        select(t.c.imdb_id, t.c.status, t.c.run_id, t.c.metadata).where(
            and_(
                t.c.imdb_id.in_(imdb_ids),
                t.c.asset == asset,
                t.c.run_id.in_(run_ids),
                t.c.status.in_(("ok", "not_found")),
            )
        )
    ).all()
    return {
        r.imdb_id: {"status": r.status, "metadata": r.metadata or {}, "run_id": r.run_id}
        for r in rows
    }


def run_outcomes(conn: Connection, run_id: str) -> dict[str, dict[str, str]]:
    """{imdb_id: {asset: status}} recorded by one run."""
    t = table(conn, "movie_asset_status")
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in conn.execute(select(t.c.imdb_id, t.c.asset, t.c.status).where(t.c.run_id == run_id)):
        out[r.imdb_id][r.asset] = r.status
    return dict(out)


# -- checks ----------------------------------------------------------------------------


def tmdb_id_mismatches(conn: Connection, keys: list[str]) -> dict[str, str | None]:
    """Movies whose TMDb record names another IMDb id than their partition key."""
    from cinegraph_assets.movies.tmdb_records import imdb_id_of

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


def orphan_credits(conn: Connection, keys: list[str]) -> int:
    m, mc, p = table(conn, "movies"), table(conn, "movie_credits"), table(conn, "people")
    return conn.execute(
        select(func.count())
        .select_from(mc.join(m, m.c.id == mc.c.movie_id).outerjoin(p, p.c.id == mc.c.person_id))
        .where(and_(m.c.imdb_id.in_(keys), p.c.id.is_(None)))
    ).scalar_one()


def collaboration_pair_problems(conn: Connection, keys: list[str]) -> dict[str, int]:
    m, c_t, d_t = (
        table(conn, "movies"),
        table(conn, "collaborations"),
        table(conn, "collaboration_details"),
    )
    unordered = conn.execute(
        select(func.count())
        .select_from(
            d_t.join(c_t, c_t.c.id == d_t.c.collaboration_id).join(m, m.c.id == d_t.c.movie_id)
        )
        .where(and_(m.c.imdb_id.in_(keys), c_t.c.person_a_id >= c_t.c.person_b_id))
    ).scalar_one()
    duplicated = conn.execute(
        select(func.count()).select_from(
            select(c_t.c.person_a_id, c_t.c.person_b_id)
            .group_by(c_t.c.person_a_id, c_t.c.person_b_id)
            .having(func.count() > 1)
            .subquery()
        )
    ).scalar_one()
    details_duplicated = conn.execute(
        select(func.count()).select_from(
            select(d_t.c.collaboration_id, d_t.c.movie_id)
            .join(m, m.c.id == d_t.c.movie_id)
            .where(m.c.imdb_id.in_(keys))
            .group_by(d_t.c.collaboration_id, d_t.c.movie_id)
            .having(func.count() > 1)
            .subquery()
        )
    ).scalar_one()
    return {
        "unordered_pairs": unordered,
        "duplicate_pairs": duplicated,
        "pairs_twice_for_one_movie": details_duplicated,
    }
