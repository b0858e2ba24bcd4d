"""Database writes and reads of the ceremony-year assets. Callers own the transaction."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, and_, delete, select, update

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.keys import imdb_keys, oscars_keys
from cinegraph_assets.ceremonies.matcher import CeremonyMatch
from cinegraph_assets.ceremonies.model import (
    ImdbEdition,
    ImdbNomination,
    OscarsCeremony,
    OscarsNomination,
)
from cinegraph_assets.db import table, upsert
from cinegraph_assets.raw_pages import FetchedPage, store_page

AMPAS = {
    "name": "Academy of Motion Picture Arts and Sciences",
    "abbreviation": "AMPAS",
    "country": "US",
    "website": "https://www.oscars.org",
}


class MissingUpstreamData(RuntimeError):
    pass


def organization_id(conn: Connection) -> int:
    return upsert(conn, "festival_organizations", AMPAS, key=["name"])


def category_id(
    conn: Connection,
    org_id: int,
    name: str,
    *,
    term_id: str | None = None,
    imdb_award_id: str | None = None,
) -> int:
    info = classify(name)
    values: dict[str, Any] = {
        "organization_id": org_id,
        "name": name,
        "category_type": info.category_type,
        "is_competitive": info.is_competitive,
        "tracks_person": info.tracks_person,
        "canonical_name": info.canonical_name,
    }
    ids = {k: v for k, v in (("oscars_term_id", term_id), ("imdb_award_id", imdb_award_id)) if v}
    values.update(ids)
    t = table(conn, "festival_categories")
    # Both sources may name the same category: keep the ids each one brought.
    known = conn.execute(
        select(t.c.external_ids).where(and_(t.c.organization_id == org_id, t.c.name == name))
    ).scalar()
    values["external_ids"] = {**(known or {}), **ids} or None
    return upsert(conn, "festival_categories", values, key=["organization_id", "name"])


def _nomination_details(n: OscarsNomination) -> dict[str, Any]:
    return {
        "film_slot": n.film_slot,
        "entities": list(n.entities),
        "films": list(n.films),
        "people": list(n.people),
        "placeholder": n.placeholder,
    }


def write_scraped_ceremony(
    conn: Connection, ceremony: OscarsCeremony, page: FetchedPage, url: str
) -> dict[str, Any]:
    org_id = organization_id(conn)
    sha = store_page(conn, page)
    ceremony_id = upsert(
        conn,
        "festival_ceremonies",
        {
            "organization_id": org_id,
            "year": ceremony.year,
            "ceremony_number": ceremony.ceremony_number,
            "name": ceremony.name,
            "date": ceremony.date,
            "location": ceremony.location,
            "source_url": url,
            "scraped_at": page.fetched_at,
            "awarded": ceremony.awarded,
            "source_metadata": {
                "oscars_page_sha256": sha,
                "date_text": ceremony.date_text,
                "honoring": ceremony.honoring,
                "categories": len(ceremony.categories),
                "nominations": len(ceremony.nominations),
            },
        },
        key=["organization_id", "year"],
    )
    nominations = table(conn, "festival_nominations")
    # details also holds what imdb_enhanced_nominees found; a re-scrape keeps it.
    previous = {
        (r.category_id, r.nomination_key): r.details or {}
        for r in conn.execute(
            select(
                nominations.c.category_id, nominations.c.nomination_key, nominations.c.details
            ).where(nominations.c.ceremony_id == ceremony_id)
        )
    }
    kept: list[int] = []
    for category in ceremony.categories:
        cat_id = category_id(conn, org_id, category.name, term_id=category.term_id)
        for nomination, key in zip(
            category.nominations, oscars_keys(category.nominations), strict=True
        ):
            details = {**previous.get((cat_id, key), {}), **_nomination_details(nomination)}
            kept.append(
                upsert(
                    conn,
                    "festival_nominations",
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
                        "details": details,
                    },
                    key=["ceremony_id", "category_id", "nomination_key"],
                    # Matching columns belong to imdb_enhanced_nominees; leave them alone.
                    update=[
                        "position",
                        "won",
                        "nominee_statement",
                        "film_title",
                        "song_title",
                        "country",
                        "source",
                        "details",
                    ],
                )
            )
    # Nominations the page no longer lists (a re-scrape after a correction) go.
    conn.execute(
        delete(nominations).where(
            and_(
                nominations.c.ceremony_id == ceremony_id,
                nominations.c.source == "oscars.org",
                nominations.c.id.not_in(kept),
            )
        )
    )
    return {"ceremony_id": ceremony_id, "page_sha256": sha}


def read_oscars_nominations(conn: Connection, year: int) -> tuple[dict, list[OscarsNomination]]:
    c, n, cat = (
        table(conn, t)
        for t in ("festival_ceremonies", "festival_nominations", "festival_categories")
    )
    ceremony = (
        conn.execute(
            select(c).where(and_(c.c.year == year, c.c.organization_id == organization_id(conn)))
        )
        .mappings()
        .first()
    )
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
    out = []
    for row in rows:
        d = row["details"] or {}
        out.append(
            OscarsNomination(
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
        )
    return dict(ceremony), out


def _movie_id(conn: Connection, imdb_id: str, imdb_title: str) -> int:
    # A movie row can exist before TMDb knows it; TMDb fills in the rest later, so an
    # existing row only takes IMDb's own title.
    return upsert(
        conn,
        "movies",
        {"imdb_id": imdb_id, "imdb_title": imdb_title, "title": imdb_title},
        key=["imdb_id"],
        update=["imdb_title"],
    )


def _person_id(conn: Connection, imdb_id: str, name: str) -> int:
    return upsert(conn, "people", {"imdb_id": imdb_id, "name": name}, key=["imdb_id"], update=[])


def _link(
    conn: Connection, nomination_id: int, imdb: ImdbNomination | None
) -> tuple[int | None, list[str], list[str]]:
    """Replace a nomination's film and people links; returns (first movie id, tt ids, nm ids)."""
    nm_t, np_t = (
        table(conn, "festival_nomination_movies"),
        table(conn, "festival_nomination_people"),
    )
    conn.execute(delete(nm_t).where(nm_t.c.nomination_id == nomination_id))
    conn.execute(delete(np_t).where(np_t.c.nomination_id == nomination_id))
    if imdb is None:
        return None, [], []
    movie_ids = []
    for t in dict((t.id, t) for t in imdb.titles).values():
        movie_ids.append(_movie_id(conn, t.id, t.title))
    person_ids = [
        _person_id(conn, p.id, p.name) for p in dict((p.id, p) for p in imdb.people).values()
    ]
    if movie_ids:
        conn.execute(
            nm_t.insert(),
            [
                {"nomination_id": nomination_id, "movie_id": m, "position": k}
                for k, m in enumerate(movie_ids)
            ],
        )
    if person_ids:
        conn.execute(
            np_t.insert(),
            [
                {"nomination_id": nomination_id, "person_id": p, "position": k}
                for k, p in enumerate(person_ids)
            ],
        )
    return (
        movie_ids[0] if movie_ids else None,
        [t.id for t in imdb.titles],
        [p.id for p in imdb.people],
    )


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


def write_imdb_enhancement(
    conn: Connection,
    year: int,
    match: CeremonyMatch,
    edition: ImdbEdition,
    page: FetchedPage,
    url: str,
) -> dict[str, Any]:
    org_id = organization_id(conn)
    sha = store_page(conn, page)
    n_t, c_t = table(conn, "festival_nominations"), table(conn, "festival_ceremonies")
    ceremony = conn.execute(
        select(c_t.c.id).where(and_(c_t.c.organization_id == org_id, c_t.c.year == year))
    ).scalar_one()
    details_by_id = dict(
        conn.execute(select(n_t.c.id, n_t.c.details).where(n_t.c.ceremony_id == ceremony)).all()
    )

    films: set[str] = set()
    people: set[str] = set()
    for m in match.matches:
        nomination_id = m.oscars.nomination_id
        first_movie, tts, nms = _link(conn, nomination_id, m.imdb)
        films.update(tts)
        people.update(nms)
        details = dict(details_by_id.get(nomination_id) or {})
        details["imdb"] = (
            {**_imdb_summary(m.imdb), "winner_conflict": m.winner_conflict}
            if m.imdb
            else {"reason": m.reason}
        )
        conn.execute(
            update(n_t)
            .where(n_t.c.id == nomination_id)
            .values(
                movie_id=first_movie, match_status=m.status, match_score=m.score, details=details
            )
        )

    # Awards only IMDb lists (Honorary, Hersholt, Thalberg, Sci-Tech): non-competitive
    # categories of their own, their nominations keyed by the people they honour.
    kept: list[int] = []
    other_films: set[str] = set()
    by_category: dict[str, list[ImdbNomination]] = defaultdict(list)
    for i in match.imdb_only:
        by_category[i.category].append(i)
    for name, group in by_category.items():
        cat_id = category_id(conn, org_id, name, imdb_award_id=group[0].award_id)
        for position, (i, key) in enumerate(zip(group, imdb_keys(group), strict=True)):
            nomination_id = upsert(
                conn,
                "festival_nominations",
                {
                    "ceremony_id": ceremony,
                    "category_id": cat_id,
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
                key=["ceremony_id", "category_id", "nomination_key"],
            )
            first_movie, tts, _ = _link(conn, nomination_id, i)
            other_films.update(tts)
            conn.execute(update(n_t).where(n_t.c.id == nomination_id).values(movie_id=first_movie))
            kept.append(nomination_id)
    conn.execute(
        delete(n_t).where(
            and_(n_t.c.ceremony_id == ceremony, n_t.c.source == "imdb", n_t.c.id.not_in(kept))
        )
    )

    conn.execute(
        update(c_t)
        .where(c_t.c.id == ceremony)
        .values(imdb_url=url, imdb_edition_id=edition.edition_id, imdb_fetched_at=page.fetched_at)
    )
    return {
        "films": sorted(films),
        "people": sorted(people),
        "page_sha256": sha,
        "imdb_only": len(match.imdb_only),
        # Every film of every nomination becomes a movie partition, honorary ones too.
        "all_films": sorted(films | other_films),
    }


def ceremony_movie_ids(conn: Connection, year: int) -> list[str]:
    """IMDb ids of every film of a ceremony's nominations (the year-movie relation)."""
    c, n, nm, m = (
        table(conn, t)
        for t in (
            "festival_ceremonies",
            "festival_nominations",
            "festival_nomination_movies",
            "movies",
        )
    )
    rows = (
        conn.execute(
            select(m.c.imdb_id)
            .distinct()
            .join(nm, nm.c.movie_id == m.c.id)
            .join(n, n.c.id == nm.c.nomination_id)
            .join(c, c.c.id == n.c.ceremony_id)
            .where(c.c.year == year)
            .order_by(m.c.imdb_id)
        )
        .scalars()
        .all()
    )
    return list(rows)
