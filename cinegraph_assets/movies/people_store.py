"""People of a film's credits: one `people` row per TMDb person, and the film's
IMDb-named nominees linked to the TMDb person they are. Caller holds IDENTITY.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, delete, select, text, update

from cinegraph_assets.assignment import best_assignment, rivals
from cinegraph_assets.db import (
    array_columns,
    bound,
    chunks,
    ids_by,
    insert_rows,
    pg_array,
    run_raw,
    table,
    update_by,
)
from cinegraph_assets.text import name_similarity
from cinegraph_assets.tmdb.records import Credit

NOMINEE_MATCH = 0.9  # a nominee is a credited person only at this name similarity
# A rival this close makes a link ambiguous. Tighter than the matcher's 0.015: one name
# against one name, where only a near-equal score is a tie (cinegraph_assets/assignment.py).
_TIE = 0.005


# The people of a film's credits already there and its nominees, in one statement: the
# section every TMDb write waits for (IDENTITY) is as long as its round trips. Each
# ARRAY(...) is computed once and then looked up by key, and the nominees TMDb has
# claimed are dropped here, not by the query. Not a join, and no `tmdb_id IS NULL` for
# the planner: during a bulk import the statistics of `people` lag far behind (100 rows
# estimated without a TMDb id, 7,000 there), and the plans built on them (a hash join, a
# scan of that index) took 30 ms a film under IDENTITY.
_PEOPLE_PG = text("""
SELECT FALSE AS nominee, p.id, p.tmdb_id, p.imdb_id, p.name, p.known_for_department,
       p.gender, p.profile_path, p.popularity
FROM people p WHERE p.tmdb_id = ANY (CAST(:tmdb_ids AS BIGINT[]))
UNION ALL
SELECT TRUE, p.id, p.tmdb_id, p.imdb_id, p.name, NULL, NULL, NULL, NULL FROM people p
WHERE p.id = ANY (ARRAY(
    SELECT np.person_id FROM festival_nomination_people np
    WHERE np.nomination_id = ANY (ARRAY(
        SELECT nm.nomination_id FROM festival_nomination_movies nm WHERE nm.movie_id = :mid
    ))
))
""")

_Known = dict[int, tuple[int, tuple]]  # tmdb id -> (people.id, the columns TMDb refreshes)
_Candidates = list[tuple[int, str, str | None]]  # (people.id, name, imdb id)


def _people_of_film(conn: Connection, mid: int, tmdb_ids: list[int]) -> tuple[_Known, _Candidates]:
    """The people of the credits already there, and the people IMDb named on this film's
    nominations that TMDb has not claimed yet (by people.id)."""
    if conn.dialect.name != "postgresql":
        return _known_people(conn, tmdb_ids), _nominee_candidates(conn, mid)
    known: _Known = {}
    candidates: _Candidates = []
    for r in conn.execute(_PEOPLE_PG, {"mid": mid, "tmdb_ids": pg_array(tmdb_ids)}):
        if not r.nominee:
            known[r.tmdb_id] = (r.id, tuple(getattr(r, c) for c in _REFRESHED))
        elif r.tmdb_id is None:
            candidates.append((r.id, r.name, r.imdb_id))
    return known, sorted(candidates)


def _nominee_candidates(conn: Connection, mid: int) -> _Candidates:
    p, np_, nm = (
        table(conn, t)
        for t in ("people", "festival_nomination_people", "festival_nomination_movies")
    )
    nominations = select(nm.c.nomination_id).where(nm.c.movie_id == mid)
    people = select(np_.c.person_id).where(np_.c.nomination_id.in_(nominations))
    rows = conn.execute(
        select(p.c.id, p.c.name, p.c.imdb_id)
        .where(and_(p.c.id.in_(people), p.c.tmdb_id.is_(None)))
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
        row_rivals, col_rivals = rivals(score, r, c, _TIE)
        if not (row_rivals or col_rivals):
            out[int(r)] = int(c)
    return out


def _merge_people(conn: Connection, merges: list[tuple[int, int, str | None]]) -> None:
    """Fold each IMDb-only row `dropped` into the TMDb person `keep` it is: one human,
    one people row. merges: (keep, dropped, dropped's IMDb id), each row in one merge at
    most. Two IMDb people who share a name (both rows have an IMDb id, and they differ)
    are not the same human and stay apart."""
    if not merges:
        return
    if conn.dialect.name != "postgresql":
        for keep, dropped, dropped_imdb in merges:
            _merge_person(conn, keep, dropped, dropped_imdb)
        return
    keep, dropped, dropped_imdb = array_columns(merges)
    params = {"keep": keep, "dropped": dropped, "dropped_imdb": dropped_imdb}
    named = run_raw(conn, _MERGE_PG, params, fetch=True)
    # After the dropped rows are gone: people.imdb_id is unique.
    if named:
        keep, imdb = array_columns(named)
        run_raw(conn, _NAME_KEPT_PG, {"keep": keep, "imdb": imdb})


# Every merge of a film in one statement, not five statements a merge: they run under
# IDENTITY, whose section every TMDb write waits for, and a film of the Oscar history
# merged 1.25 nominees on average (6.25 statements). The sub-statements see one
# snapshot, so each touches its own rows: a nomination both people hold loses the
# dropped person's link (`twice`), every other link moves to the kept one (`moved`).
# The dropped people rows go in the same statement; the foreign keys of the links are
# checked at its end, when no link names them any more.
_MERGE_PG = """
WITH pair AS (
    SELECT m.keep, m.dropped, m.dropped_imdb
    FROM unnest(%(keep)s::bigint[], %(dropped)s::bigint[], %(dropped_imdb)s::text[])
        AS m (keep, dropped, dropped_imdb)
    JOIN people k ON k.id = m.keep
    WHERE k.imdb_id IS NULL OR m.dropped_imdb IS NULL OR k.imdb_id = m.dropped_imdb
),
twice AS (
    DELETE FROM festival_nomination_people np USING pair
    WHERE np.person_id = pair.dropped AND EXISTS (
        SELECT 1 FROM festival_nomination_people k
        WHERE k.person_id = pair.keep AND k.nomination_id = np.nomination_id)
),
moved AS (
    UPDATE festival_nomination_people np SET person_id = pair.keep FROM pair
    WHERE np.person_id = pair.dropped AND NOT EXISTS (
        SELECT 1 FROM festival_nomination_people k
        WHERE k.person_id = pair.keep AND k.nomination_id = np.nomination_id)
),
gone AS (DELETE FROM people p USING pair WHERE p.id = pair.dropped)
SELECT keep, dropped_imdb FROM pair WHERE dropped_imdb IS NOT NULL
"""

_NAME_KEPT_PG = """
UPDATE people p SET imdb_id = named.imdb
FROM unnest(%(keep)s::bigint[], %(imdb)s::text[]) AS named (keep, imdb)
WHERE p.id = named.keep AND p.imdb_id IS NULL
"""


def _merge_person(conn: Connection, keep: int, drop: int, drop_imdb: str | None) -> None:
    """_merge_people's statements for one merge, for SQLite (no data-modifying WITH)."""
    p, np_ = table(conn, "people"), table(conn, "festival_nomination_people")
    kept_imdb = conn.execute(select(p.c.imdb_id).where(p.c.id == keep)).scalar_one()
    if kept_imdb and drop_imdb and kept_imdb != drop_imdb:
        return  # two IMDb people who share a name: not the same human
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


def _person_values(c: Credit) -> dict[str, Any]:
    return {
        "tmdb_id": c.tmdb_person_id,
        "name": c.name,
        "known_for_department": c.known_for_department,
        "gender": c.gender,
        "profile_path": c.profile_path,
        "popularity": c.popularity,
    }


_REFRESHED = ("name", "known_for_department", "gender", "profile_path", "popularity")


def link_people(conn: Connection, mid: int, credits: list[Credit]) -> dict[int, int]:
    """people.id for every TMDb person of the credits; the film's IMDb-named nominees
    become the TMDb person they are (best match, one-to-one). Caller holds IDENTITY,
    so no other writer creates people meanwhile: the ids of the people inserted here
    come back from the insert itself."""
    p = table(conn, "people")
    by_tmdb: dict[int, Credit] = {}
    for c in credits:
        by_tmdb.setdefault(c.tmdb_person_id, c)
    order = sorted(by_tmdb)
    known, candidates = _people_of_film(conn, mid, order)
    existing = {tmdb_id: person_id for tmdb_id, (person_id, _) in known.items()}
    matched = best_nominee_matches(
        [name for _, name, _ in candidates], [by_tmdb[t].name for t in order]
    )
    claimed, merges = [], []
    for r, col in sorted(matched.items(), key=lambda rc: order[rc[1]]):
        tmdb_id, (nominee, _, nominee_imdb) = order[col], candidates[r]
        if tmdb_id in existing:
            merges.append((existing[tmdb_id], nominee, nominee_imdb))
        else:
            claimed.append({"b_id": nominee, **bound(_person_values(by_tmdb[tmdb_id]))})
            existing[tmdb_id] = nominee
    _merge_people(conn, merges)
    if claimed:  # the nominees TMDb now names, in one statement
        conn.execute(update_by(p, "id", _CLAIMED), claimed)
    new = [_person_values(by_tmdb[t]) for t in order if t not in existing]
    inserted = insert_rows(conn, "people", new, key=["tmdb_id"], returning=("tmdb_id", "id"))
    ids = {**existing, **dict(inserted)}
    if len(ids) < len(order):  # only if a writer broke the IDENTITY rule
        ids.update(ids_by(conn, "people", "tmdb_id", [t for t in order if t not in ids]))
    _refresh_people(conn, [by_tmdb[t] for t in order if t in known], known)
    return ids


def _known_people(conn: Connection, tmdb_ids: list[int]) -> _Known:
    p = table(conn, "people")
    out = {}
    for chunk in chunks(tmdb_ids):
        for r in conn.execute(
            select(p.c.tmdb_id, p.c.id, *(p.c[c] for c in _REFRESHED)).where(p.c.tmdb_id.in_(chunk))
        ):
            out[r.tmdb_id] = (r.id, tuple(r[2:]))
    return out


def _refresh_people(
    conn: Connection, credits: list[Credit], known: dict[int, tuple[int, tuple]]
) -> None:
    """TMDb's latest word on people already known (a profile picture, popularity), in
    one statement for all that changed."""
    p = table(conn, "people")
    changed = []
    for c in credits:
        values = _person_values(c)
        if known[c.tmdb_person_id][1] != tuple(values[k] for k in _REFRESHED):
            changed.append(bound(values))
    if changed:
        conn.execute(update_by(p, "tmdb_id", _REFRESHED), changed)


# An executemany binds each row's values under names of their own ("b_" + column):
# SQLAlchemy reserves the column names themselves for the SET clause.
_CLAIMED = ("tmdb_id", *_REFRESHED)
