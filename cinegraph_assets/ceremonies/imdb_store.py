"""The IMDb enhancement side of the ceremony-year assets (imdb_enhanced_nominees): the
scraped nominations read back to be matched, the matches of IMDb's nominations to
them, the awards only IMDb lists, and the film, people and other-title links of a
ceremony's nominations (Links, reused by awards/store.py).

Kept apart from oscars_store.py because this side creates the movies and people rows
(from IMDb's title and name ids) and owns the matching columns; the rows both writers
share are in store.py. Callers own the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, select, update

from cinegraph_assets.ceremonies.keys import imdb_keys
from cinegraph_assets.ceremonies.matcher import CeremonyMatch, NominationMatch
from cinegraph_assets.ceremonies.model import (
    ImdbEdition,
    ImdbNomination,
    ImdbTitle,
    OscarsNomination,
    PageWarning,
)
from cinegraph_assets.ceremonies.odd_content import IMDB_SOURCE, with_warnings
from cinegraph_assets.ceremonies.store import (
    category_ids,
    ceremony_row,
    ensure_organization,
    nomination_ids,
    source_metadata,
    upsert_nominations,
)
from cinegraph_assets.db import chunks, ids_by, insert_ignore, insert_rows, locks, table
from cinegraph_assets.identity import movie_ids
from cinegraph_assets.raw_pages import FetchedPage, store_page


class MissingUpstreamData(RuntimeError):
    pass


def read_oscars_nominations(conn: Connection, year: int) -> tuple[dict, list[OscarsNomination]]:
    n, cat = table(conn, "festival_nominations"), table(conn, "festival_categories")
    ceremony = ceremony_row(conn, year)
    if ceremony is None:
        raise MissingUpstreamData(
            f"ceremony {year} has not been scraped yet: materialize scraped_ceremony "
            f"for partition {year} first"
        )
    rows = (
        conn.execute(
            select(n, cat.c.name.label("category_name"))
            .join(cat, cat.c.id == n.c.category_id)
            .where(and_(n.c.ceremony_id == ceremony["id"], n.c.source == "oscars.org"))
            .order_by(n.c.id)
        )
        .mappings()
        .all()
    )
    return ceremony, [_oscars_nomination(row) for row in rows]


def _oscars_nomination(row) -> OscarsNomination:
    d = row["details"] or {}
    return OscarsNomination(
        category=row["category_name"],
        position=row["position"],
        won=bool(row["won"]),
        film_slot=d.get("film_slot", ""),
        entities=tuple(d.get("entities", [])),
        films=tuple(d.get("films", [])),
        statement=row["nominee_statement"] or "",
        people=tuple(d.get("people", [])),
        song_title=row["song_title"],
        country=row["country"],
        placeholder=bool(d.get("placeholder")),
        nomination_id=row["id"],
    )


def person_ids(conn: Connection, people: dict[str, str]) -> dict[str, int]:
    """people.id of each IMDb name id ({nm id: name}), creating missing rows in key
    order without locking existing ones."""
    wanted = sorted(people)
    # A nominee pinned by an override may come without a name: its id stands in until
    # TMDb names the person.
    rows = [{"imdb_id": k, "name": people[k] or k} for k in wanted]
    insert_ignore(conn, "people", rows, ["imdb_id"])
    return ids_by(conn, "people", "imdb_id", wanted)


def _movie_ids_with_titles(conn: Connection, titles: dict[str, str]) -> dict[str, int]:
    """movies.id of each IMDb title id; a new row takes IMDb's title, an existing one
    only IMDb's own title column (TMDb fills in the rest)."""
    ids = movie_ids(conn, titles)
    m = table(conn, "movies")
    current = {}
    for chunk in chunks(sorted(titles)):
        current.update(
            (r.imdb_id, (r.imdb_title, r.title))
            for r in conn.execute(
                select(m.c.imdb_id, m.c.imdb_title, m.c.title).where(m.c.imdb_id.in_(chunk))
            )
        )
    changed = [
        {"b_id": ids[k], "b_imdb_title": titles[k], "b_title": current[k][1] or titles[k]}
        for k in sorted(titles)
        if titles[k] and current[k][0] != titles[k]
    ]
    if changed:  # one executemany (a round trip per 100 rows on PostgreSQL), in key order
        conn.execute(
            update(m)
            .where(m.c.id == bindparam("b_id"))
            .values(imdb_title=bindparam("b_imdb_title"), title=bindparam("b_title")),
            changed,
        )
    return ids


def _imdb_summary(i: ImdbNomination) -> dict[str, Any]:
    return {
        "category": i.category,
        "award": i.award,
        "is_winner": i.is_winner,
        "titles": [{"id": t.id, "title": t.title} for t in i.titles],
        "people": [{"id": p.id, "name": p.name} for p in i.people],
        "companies": list(i.companies),
        "notes": i.notes,
    }


def _match_details(m: NominationMatch) -> dict[str, Any]:
    if m.imdb is None:
        found: dict[str, Any] = {"reason": m.reason}
    else:
        found = {**_imdb_summary(m.imdb), "winner_conflict": m.winner_conflict}
    if m.note:
        found["note"] = m.note
    if m.override:
        found["override"] = m.override
    return found


class Links:
    """The film, people and other-title links of a ceremony's nominations, written at
    once. `not_film` gives the kind of a title that is not a film (None for a film;
    default: every title is a film, as at the Academy); those titles are kept in
    festival_nomination_titles with their kind, never as movies."""

    def __init__(
        self,
        conn: Connection,
        nominations: list[tuple[int, ImdbNomination | None]],
        not_film: Callable[[ImdbTitle], str | None] | None = None,
    ):
        kind = not_film or (lambda _title: None)
        titles = {t.id: t.title for _, i in nominations if i for t in i.titles if not kind(t)}
        names = {p.id: p.name for _, i in nominations if i for p in i.people}
        self.movies = _movie_ids_with_titles(conn, titles)
        self.people = person_ids(conn, names)
        self.film_rows, self.people_rows, self.title_rows = [], [], []
        for nomination_id, i in nominations:
            if i is None:
                continue
            for k, tt in enumerate(dict.fromkeys(t.id for t in i.titles if t.id in self.movies)):
                self.film_rows.append(
                    {"nomination_id": nomination_id, "movie_id": self.movies[tt], "position": k}
                )
            others = {t.id: t for t in i.titles if t.id not in self.movies}
            for k, t in enumerate(others.values()):
                self.title_rows.append(
                    {
                        "nomination_id": nomination_id,
                        "imdb_id": t.id,
                        "title": t.title,
                        "title_type": t.title_type,
                        "kind": kind(t),
                        "position": k,
                    }
                )
            for k, nm in enumerate(dict.fromkeys(p.id for p in i.people)):
                self.people_rows.append(
                    {"nomination_id": nomination_id, "person_id": self.people[nm], "position": k}
                )

    def first_movie(self, i: ImdbNomination | None) -> int | None:
        films = [t.id for t in i.titles if t.id in self.movies] if i else []
        return self.movies[films[0]] if films else None

    def replace(self, conn: Connection, ceremony_id: int) -> None:
        n_t = table(conn, "festival_nominations")
        of_ceremony = select(n_t.c.id).where(n_t.c.ceremony_id == ceremony_id)
        for name, rows in (
            ("festival_nomination_movies", self.film_rows),
            ("festival_nomination_people", self.people_rows),
            ("festival_nomination_titles", self.title_rows),
        ):
            t = table(conn, name)
            conn.execute(delete(t).where(t.c.nomination_id.in_(of_ceremony)))
            insert_rows(conn, name, rows)


def _imdb_only_rows(
    conn: Connection, org_id: int, ceremony_id: int, imdb_only: Sequence[ImdbNomination]
) -> list[tuple[dict[str, Any], ImdbNomination]]:
    """Awards only IMDb lists (Honorary, Hersholt, Thalberg, Sci-Tech): nominations of
    non-competitive categories of their own, keyed by the people they honour."""
    by_category: dict[str, list[ImdbNomination]] = defaultdict(list)
    for i in imdb_only:
        by_category[i.category].append(i)
    cat_ids = category_ids(
        conn,
        org_id,
        by_category,
        imdb_award_ids={name: group[0].award_id for name, group in by_category.items()},
        imdb_awards={name: group[0].award for name, group in by_category.items()},
    )
    rows = []
    for name, group in by_category.items():
        for position, (i, key) in enumerate(zip(group, imdb_keys(group), strict=True)):
            rows.append(
                (
                    {
                        "ceremony_id": ceremony_id,
                        "category_id": cat_ids[name],
                        "nomination_key": key,
                        "position": position,
                        "won": i.is_winner,
                        "nominee_statement": i.notes,
                        "film_title": "; ".join(t.title for t in i.titles) or None,
                        "source": "imdb",
                        "details": {"imdb": _imdb_summary(i)},
                        "match_status": "imdb_only",
                        "match_score": None,
                    },
                    i,
                )
            )
    return rows


def write_imdb_enhancement(
    conn: Connection,
    year: int,
    match: CeremonyMatch,
    edition: ImdbEdition,
    page: FetchedPage,
    url: str,
    warnings: Sequence[PageWarning] = (),
) -> dict[str, Any]:
    """Matches and IMDb-only awards; warnings replace the stored IMDb ones."""
    locks.take(conn, locks.IDENTITY)
    org_id = ensure_organization(conn)
    sha = store_page(conn, page)
    n_t, c_t = table(conn, "festival_nominations"), table(conn, "festival_ceremonies")
    ceremony_id = conn.execute(
        select(c_t.c.id).where(and_(c_t.c.organization_id == org_id, c_t.c.year == year))
    ).scalar_one()

    only = _imdb_only_rows(conn, org_id, ceremony_id, match.imdb_only)
    upsert_nominations(
        conn, [r for r, _ in only], [c for c in only[0][0] if c not in _KEY] if only else []
    )
    only_ids = nomination_ids(conn, ceremony_id, "imdb")
    kept = {(r["category_id"], r["nomination_key"]) for r, _ in only}
    gone = [i for k, i in only_ids.items() if k not in kept]
    if gone:
        conn.execute(delete(n_t).where(n_t.c.id.in_(gone)))
    imdb_only = [(only_ids[(r["category_id"], r["nomination_key"])], i) for r, i in only]

    matched = [(m.oscars.nomination_id, m.imdb) for m in match.matches]
    links = Links(conn, matched + imdb_only)
    links.replace(conn, ceremony_id)
    _update_matches(conn, ceremony_id, match.matches, links)
    if imdb_only:
        conn.execute(
            update(n_t).where(n_t.c.id == bindparam("nid")).values(movie_id=bindparam("mid")),
            [{"nid": nid, "mid": links.first_movie(i)} for nid, i in imdb_only],
        )
    conn.execute(
        update(c_t)
        .where(c_t.c.id == ceremony_id)
        .values(
            imdb_url=url,
            imdb_edition_id=edition.edition_id,
            imdb_fetched_at=page.fetched_at,
            source_metadata=with_warnings(
                source_metadata(conn, org_id, year), IMDB_SOURCE, warnings
            ),
        )
    )
    films = {t.id for m in match.matches if m.imdb for t in m.imdb.titles}
    return {
        "films": sorted(films),
        "people": sorted({p.id for m in match.matches if m.imdb for p in m.imdb.people}),
        "ceremony_id": ceremony_id,
        "page_sha256": sha,
        "imdb_only": len(match.imdb_only),
        # Every film of every nomination becomes a movie partition, honorary ones too.
        "all_films": sorted(films | {t.id for _, i in imdb_only for t in i.titles}),
    }


_KEY = ("ceremony_id", "category_id", "nomination_key")


def _update_matches(
    conn: Connection, ceremony_id: int, matches: Sequence[NominationMatch], links: Links
) -> None:
    n_t = table(conn, "festival_nominations")
    details = dict(
        conn.execute(select(n_t.c.id, n_t.c.details).where(n_t.c.ceremony_id == ceremony_id)).all()
    )
    rows = [
        {
            "nid": m.oscars.nomination_id,
            "mid": links.first_movie(m.imdb),
            "status": str(m.status),  # the column holds the plain value
            "score": m.score,
            "det": {**(details.get(m.oscars.nomination_id) or {}), "imdb": _match_details(m)},
        }
        for m in matches
    ]
    if rows:
        conn.execute(
            update(n_t)
            .where(n_t.c.id == bindparam("nid"))
            .values(
                movie_id=bindparam("mid"),
                match_status=bindparam("status"),
                match_score=bindparam("score"),
                details=bindparam("det", type_=n_t.c.details.type),
            ),
            rows,
        )
