"""Database writes and reads of the ceremony-year assets. Callers own the transaction.

Both writers take the IDENTITY lock first (db/locks.py): they create and link the
movies and people rows the movie writers re-key and merge. Movies and people are
fetched-or-created without row locks (INSERT ... ON CONFLICT DO NOTHING, in key
order); links and nominations are written a statement per table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, select, update

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.keys import imdb_keys, oscars_keys
from cinegraph_assets.ceremonies.matcher import CeremonyMatch, NominationMatch
from cinegraph_assets.ceremonies.model import (
    ImdbEdition,
    ImdbNomination,
    ImdbTitle,
    OscarsCeremony,
    OscarsNomination,
    PageWarning,
)
from cinegraph_assets.ceremonies.odd_content import IMDB_SOURCE, OSCARS_SOURCE, with_warnings
from cinegraph_assets.db import chunks, ids_by, insert_ignore, insert_rows, locks, table, upsert
from cinegraph_assets.identity import movie_ids
from cinegraph_assets.raw_pages import FetchedPage, store_page

AMPAS = {
    "name": "Academy of Motion Picture Arts and Sciences",
    "abbreviation": "AMPAS",
    "country": "US",
    "website": "https://www.oscars.org",
    "imdb_event_id": "ev0000003",
    "body_key": "oscars",
}
# The prize family of the Academy's competitive categories (IMDb's award text); its
# other awards (Honorary, Hersholt, ...) are each their own family and category.
OSCAR_AWARD = "Oscar"
_OSCARS_UPDATE = (
    "position",
    "won",
    "nominee_statement",
    "film_title",
    "song_title",
    "country",
    "source",
    "details",
)


class MissingUpstreamData(RuntimeError):
    pass


def organization_id(conn: Connection) -> int | None:
    t = table(conn, "festival_organizations")
    return conn.execute(select(t.c.id).where(t.c.name == AMPAS["name"])).scalar()


def ensure_organization(conn: Connection) -> int:
    insert_ignore(conn, "festival_organizations", [AMPAS], key=["name"])
    return organization_id(conn)


def category_ids(
    conn: Connection,
    org_id: int,
    names: Iterable[str],
    *,
    term_ids: dict[str, str | None] | None = None,
    imdb_award_ids: dict[str, str | None] | None = None,
    imdb_awards: dict[str, str] | None = None,
) -> dict[str, int]:
    """festival_categories.id by name, created or given the external ids this source
    brought (both sources may name the same category: each keeps its own ids)."""
    t = table(conn, "festival_categories")
    names = sorted(set(names))
    known = {
        r.name: r
        for r in conn.execute(
            select(t.c.id, t.c.name, t.c.external_ids).where(
                and_(t.c.organization_id == org_id, t.c.name.in_(names))
            )
        )
    }
    for name in names:
        ids = {
            k: v
            for k, v in (
                ("oscars_term_id", (term_ids or {}).get(name)),
                ("imdb_award_id", (imdb_award_ids or {}).get(name)),
            )
            if v
        }
        row = known.get(name)
        merged = {**((row.external_ids if row else None) or {}), **ids} or None
        if row is not None and (not ids or merged == row.external_ids):
            continue
        info = classify(name, award=(imdb_awards or {}).get(name))
        upsert(
            conn,
            "festival_categories",
            {
                "organization_id": org_id,
                "award_name": OSCAR_AWARD if info.is_competitive else name,
                "name": name,
                "category_type": info.category_type,
                "is_competitive": info.is_competitive,
                "tracks_person": info.tracks_person,
                "canonical_name": info.canonical_name,
                **ids,
                "external_ids": merged,
            },
            key=["organization_id", "award_name", "name"],
        )
    return dict(
        conn.execute(
            select(t.c.name, t.c.id).where(and_(t.c.organization_id == org_id, t.c.name.in_(names)))
        ).all()
    )


def _nomination_details(n: OscarsNomination) -> dict[str, Any]:
    return {
        "film_slot": n.film_slot,
        "entities": list(n.entities),
        "films": list(n.films),
        "people": list(n.people),
        "placeholder": n.placeholder,
    }


def upsert_nominations(
    conn: Connection, rows: list[dict[str, Any]], update_columns: Sequence[str]
) -> None:
    insert_rows(
        conn,
        "festival_nominations",
        rows,
        key=["ceremony_id", "category_id", "nomination_key"],
        update=update_columns,
    )


def nomination_ids(conn: Connection, ceremony_id: int, source: str) -> dict[tuple, int]:
    n = table(conn, "festival_nominations")
    rows = conn.execute(
        select(n.c.id, n.c.category_id, n.c.nomination_key).where(
            and_(n.c.ceremony_id == ceremony_id, n.c.source == source)
        )
    )
    return {(r.category_id, r.nomination_key): r.id for r in rows}


def _source_metadata(conn: Connection, org_id: int, year: int) -> dict[str, Any] | None:
    c = table(conn, "festival_ceremonies")
    return conn.execute(
        select(c.c.source_metadata).where(and_(c.c.organization_id == org_id, c.c.year == year))
    ).scalar()


def _write_ceremony_row(
    conn, org_id: int, ceremony: OscarsCeremony, url: str, page, sha, warnings
) -> int:
    # source_metadata is shared with the IMDb writer (its warnings): keep what it wrote.
    metadata = {
        **(_source_metadata(conn, org_id, ceremony.year) or {}),
        "oscars_page_sha256": sha,
        "date_text": ceremony.date_text,
        "honoring": ceremony.honoring,
        "categories": len(ceremony.categories),
        "nominations": len(ceremony.nominations),
    }
    return upsert(
        conn,
        "festival_ceremonies",
        {
            "organization_id": org_id,
            "year": ceremony.year,
            "instance": 1,
            "ceremony_number": ceremony.ceremony_number,
            "name": ceremony.name,
            "date": ceremony.date,
            "location": ceremony.location,
            "source_url": url,
            "scraped_at": page.fetched_at,
            "awarded": ceremony.awarded,
            "source_metadata": with_warnings(metadata, OSCARS_SOURCE, warnings),
        },
        key=["organization_id", "year", "instance"],
    )


def _previous_details(conn: Connection, ceremony_id: int) -> dict[tuple, dict]:
    # details also holds what imdb_enhanced_nominees found; a re-scrape keeps it.
    n_t = table(conn, "festival_nominations")
    return {
        (r.category_id, r.nomination_key): r.details or {}
        for r in conn.execute(
            select(n_t.c.category_id, n_t.c.nomination_key, n_t.c.details).where(
                n_t.c.ceremony_id == ceremony_id
            )
        )
    }


def write_scraped_ceremony(
    conn: Connection,
    ceremony: OscarsCeremony,
    page: FetchedPage,
    url: str,
    warnings: Sequence[PageWarning] = (),
) -> dict[str, Any]:
    """The page as printed; warnings replace the stored oscars.org ones."""
    # Deleting a nomination cascades into its people links, which a concurrent merge
    # of people may be repointing: take the writers' one lock first.
    locks.take(conn, locks.IDENTITY)
    org_id = ensure_organization(conn)
    sha = store_page(conn, page)
    ceremony_id = _write_ceremony_row(conn, org_id, ceremony, url, page, sha, warnings)
    n_t = table(conn, "festival_nominations")
    previous = _previous_details(conn, ceremony_id)
    # A category listed empty (a warning) has nothing to store.
    listed = [c for c in ceremony.categories if c.nominations]
    cat_ids = category_ids(
        conn, org_id, (c.name for c in listed), term_ids={c.name: c.term_id for c in listed}
    )
    rows = []
    for category in listed:
        cat_id = cat_ids[category.name]
        for nomination, key in zip(
            category.nominations, oscars_keys(category.nominations), strict=True
        ):
            rows.append(
                {
                    "ceremony_id": ceremony_id,
                    "category_id": cat_id,
                    "nomination_key": key,
                    "position": nomination.position,
                    "won": nomination.won,
                    "nominee_statement": nomination.statement or None,
                    "film_title": "; ".join(nomination.films) or None,
                    "song_title": nomination.song_title,
                    "country": nomination.country,
                    "source": "oscars.org",
                    "details": {
                        **previous.get((cat_id, key), {}),
                        **_nomination_details(nomination),
                    },
                }
            )
    # Matching columns belong to imdb_enhanced_nominees; leave them alone.
    upsert_nominations(conn, rows, _OSCARS_UPDATE)
    kept = {(r["category_id"], r["nomination_key"]) for r in rows}
    # Nominations the page no longer lists (a re-scrape after a correction) go.
    gone = [i for k, i in nomination_ids(conn, ceremony_id, "oscars.org").items() if k not in kept]
    if gone:
        conn.execute(delete(n_t).where(n_t.c.id.in_(gone)))
    return {"ceremony_id": ceremony_id, "page_sha256": sha}


def ceremony_row(conn: Connection, year: int) -> dict | None:
    c = table(conn, "festival_ceremonies")
    org = organization_id(conn)
    if org is None:
        return None
    row = (
        conn.execute(select(c).where(and_(c.c.year == year, c.c.organization_id == org)))
        .mappings()
        .first()
    )
    return dict(row) if row else None


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
    for imdb_id in sorted(titles):
        imdb_title, title = current[imdb_id]
        if titles[imdb_id] and imdb_title != titles[imdb_id]:
            conn.execute(
                update(m)
                .where(m.c.id == ids[imdb_id])
                .values(imdb_title=titles[imdb_id], title=title or titles[imdb_id])
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
                _source_metadata(conn, org_id, year), IMDB_SOURCE, warnings
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
            "status": m.status,
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
