"""Database writes and reads of award-body editions. Callers own the transaction.

An edition is written like a ceremony year: its ceremony row, its categories (award and
category kept apart), one nomination per IMDb nomination (keys: ceremonies/keys.py
`edition_keys`), every film of a nomination in festival_nomination_movies, its people,
and its other titles (series, games) in festival_nomination_titles. The writer takes
the IDENTITY lock first (db/locks.py): it creates and links movies and people rows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, select, update

from cinegraph_assets.awards.editions import Edition
from cinegraph_assets.awards.registry import AwardBody
from cinegraph_assets.awards.title_kinds import TitleKind
from cinegraph_assets.ceremonies.imdb_store import Links
from cinegraph_assets.ceremonies.keys import edition_keys
from cinegraph_assets.ceremonies.model import ImdbEdition, ImdbNomination
from cinegraph_assets.ceremonies.store import nomination_ids, upsert_nominations
from cinegraph_assets.db import insert_ignore, is_in, locks, table, upsert
from cinegraph_assets.raw_pages import FetchedPage, store_page

SOURCE = "imdb"
# Every nomination of a body comes from IMDb alone: nothing to match.
MATCH_STATUS = "imdb_only"
_NON_COMPETITIVE = re.compile(
    r"honorary|lifetime|career|tribute|cecil b\.? demille|carol burnett|special award|"
    r"in memoriam|hall of fame",
    re.I,
)
_NOMINATION_UPDATE = (
    "position",
    "won",
    "nominee_statement",
    "film_title",
    "details",
    "match_status",
    "match_score",
)


def organization_id(conn: Connection, body: AwardBody) -> int | None:
    t = table(conn, "festival_organizations")
    return conn.execute(select(t.c.id).where(t.c.imdb_event_id == body.imdb_event_id)).scalar()


def ensure_body(conn: Connection, body: AwardBody) -> int:
    """The body's organization row, known by its IMDb event; name and key follow the
    registry. Unique columns are never set on conflict (no FOR UPDATE row lock)."""
    insert_ignore(
        conn,
        "festival_organizations",
        [{"name": body.name, "imdb_event_id": body.imdb_event_id, "body_key": body.key}],
        key=["imdb_event_id"],
    )
    t = table(conn, "festival_organizations")
    row = conn.execute(
        select(t.c.id, t.c.name, t.c.body_key).where(t.c.imdb_event_id == body.imdb_event_id)
    ).one()
    if (row.name, row.body_key) != (body.name, body.key):
        conn.execute(update(t).where(t.c.id == row.id).values(name=body.name, body_key=body.key))
    return row.id


def _category_ids(
    conn: Connection, org_id: int, nominations: Iterable[ImdbNomination]
) -> dict[tuple[str, str], int]:
    """festival_categories.id by (award, category), created where missing."""
    first: dict[tuple[str, str], ImdbNomination] = {}
    for n in nominations:
        first.setdefault((n.award, n.category), n)
    rows = []
    for (award, name), n in first.items():
        competitive = not _NON_COMPETITIVE.search(f"{award} {name}")
        rows.append(
            {
                "organization_id": org_id,
                "award_name": award,
                "name": name,
                "category_type": "competitive" if competitive else "honorary",
                "is_competitive": competitive,
                "tracks_person": False,
                "imdb_award_id": n.award_id,
                "external_ids": {"imdb_award_id": n.award_id} if n.award_id else None,
            }
        )
    insert_ignore(conn, "festival_categories", rows, key=["organization_id", "award_name", "name"])
    t = table(conn, "festival_categories")
    found = conn.execute(
        select(t.c.id, t.c.award_name, t.c.name).where(
            and_(
                t.c.organization_id == org_id,
                is_in(conn, t.c.award_name, sorted({a for a, _ in first})),
            )
        )
    )
    return {(r.award_name, r.name): r.id for r in found if (r.award_name, r.name) in first}


def _summary(n: ImdbNomination, kinds: Mapping[str, TitleKind]) -> dict[str, Any]:
    return {
        "award": n.award,
        "award_id": n.award_id,
        "category": n.category,
        "is_winner": n.is_winner,
        "titles": [
            {"id": t.id, "title": t.title, "type": t.title_type, "kind": str(kinds[t.id])}
            for t in n.titles
        ],
        "people": [{"id": p.id, "name": p.name} for p in n.people],
        "companies": list(n.companies),
        "notes": n.notes,
    }


def _ceremony_row(
    org_id: int, body: AwardBody, edition: Edition, parsed: ImdbEdition, page, url, metadata
) -> dict[str, Any]:
    return {
        "organization_id": org_id,
        "year": edition.year,
        "instance": edition.instance,
        "name": f"{parsed.event_name or body.name} {edition.key}",
        "date": parsed.date,
        "location": parsed.location,
        "source_url": url,
        "scraped_at": page.fetched_at,
        "awarded": parsed.awarded,
        "imdb_url": url,
        "imdb_edition_id": parsed.edition_id,
        "imdb_fetched_at": page.fetched_at,
        "source_metadata": metadata,
    }


def write_edition(
    conn: Connection,
    body: AwardBody,
    edition: Edition,
    parsed: ImdbEdition,
    kinds: Mapping[str, TitleKind],
    page: FetchedPage,
    url: str,
    warnings: list[dict[str, str]],
) -> dict[str, Any]:
    """Write one edition as the page has it now; nominations the page no longer lists
    go. `kinds` has the kind of every title of the page."""
    locks.take(conn, locks.IDENTITY)
    org_id = ensure_body(conn, body)
    sha = store_page(conn, page)
    categories = {(n.award, n.category) for n in parsed.nominations}
    metadata = {
        "imdb_page_sha256": sha,
        "awards": len({a for a, _ in categories}),
        "categories": len(categories),
        "nominations": len(parsed.nominations),
        "warnings": [{"source": SOURCE, **w} for w in warnings],
    }
    ceremony_id = upsert(
        conn,
        "festival_ceremonies",
        _ceremony_row(org_id, body, edition, parsed, page, url, metadata),
        key=["organization_id", "year", "instance"],
    )
    nominations = _write_nominations(conn, ceremony_id, org_id, parsed, kinds)
    links = Links(
        conn,
        nominations,
        not_film=lambda t: None if kinds[t.id] == TitleKind.FILM else str(kinds[t.id]),
    )
    links.replace(conn, ceremony_id)
    if nominations:
        n_t = table(conn, "festival_nominations")
        conn.execute(
            update(n_t).where(n_t.c.id == bindparam("nid")).values(movie_id=bindparam("mid")),
            [{"nid": nid, "mid": links.first_movie(n)} for nid, n in nominations],
        )
    return {
        "ceremony_id": ceremony_id,
        "page_sha256": sha,
        "films": sorted(links.movies),
        "other_titles": sorted({r["imdb_id"] for r in links.title_rows}),
        "people": len(links.people),
    }


def _nomination_row(
    ceremony_id: int, category_id: int, key: str, position: int, n: ImdbNomination, kinds
) -> dict[str, Any]:
    return {
        "ceremony_id": ceremony_id,
        "category_id": category_id,
        "nomination_key": key,
        "position": position,
        "won": n.is_winner,
        "nominee_statement": ", ".join([p.name for p in n.people] + list(n.companies)) or None,
        "film_title": "; ".join(t.title for t in n.titles) or None,
        "source": SOURCE,
        "details": {"imdb": _summary(n, kinds)},
        "match_status": MATCH_STATUS,
        "match_score": None,
    }


def _write_nominations(
    conn: Connection,
    ceremony_id: int,
    org_id: int,
    parsed: ImdbEdition,
    kinds: Mapping[str, TitleKind],
) -> list[tuple[int, ImdbNomination]]:
    """Upsert the page's nominations, delete the ones it no longer lists; returns
    (nomination id, nomination) of each."""
    cat_ids = _category_ids(conn, org_id, parsed.nominations)
    by_category: dict[tuple[str, str], list[ImdbNomination]] = defaultdict(list)
    for n in parsed.nominations:
        by_category[(n.award, n.category)].append(n)
    rows, keyed = [], []
    for category, group in by_category.items():
        category_id = cat_ids[category]
        for position, (n, key) in enumerate(zip(group, edition_keys(group), strict=True)):
            rows.append(_nomination_row(ceremony_id, category_id, key, position, n, kinds))
            keyed.append(((category_id, key), n))
    upsert_nominations(conn, rows, _NOMINATION_UPDATE)
    ids = nomination_ids(conn, ceremony_id, SOURCE)
    kept = {k for k, _ in keyed}
    gone = [i for k, i in ids.items() if k not in kept]
    if gone:
        n_t = table(conn, "festival_nominations")
        conn.execute(delete(n_t).where(n_t.c.id.in_(gone)))
    return [(ids[k], n) for k, n in keyed]


def edition_row(conn: Connection, body: AwardBody, edition: Edition) -> dict | None:
    c, o = table(conn, "festival_ceremonies"), table(conn, "festival_organizations")
    row = (
        conn.execute(
            select(c)
            .join(o, o.c.id == c.c.organization_id)
            .where(
                and_(
                    o.c.imdb_event_id == body.imdb_event_id,
                    c.c.year == edition.year,
                    c.c.instance == edition.instance,
                )
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def stored_nominations(conn: Connection, ceremony_id: int) -> Counter:
    """(award, category, nomination key, winner) of the stored nominations, counted."""
    n, cat = table(conn, "festival_nominations"), table(conn, "festival_categories")
    rows = conn.execute(
        select(cat.c.award_name, cat.c.name, n.c.nomination_key, n.c.won)
        .join(cat, cat.c.id == n.c.category_id)
        .where(and_(n.c.ceremony_id == ceremony_id, n.c.source == SOURCE))
    )
    return Counter((r.award_name, r.name, r.nomination_key, bool(r.won)) for r in rows)


def page_nominations(parsed: ImdbEdition) -> Counter:
    """The same for a parsed page, for comparing the two."""
    by_category: dict[tuple[str, str], list[ImdbNomination]] = defaultdict(list)
    for n in parsed.nominations:
        by_category[(n.award, n.category)].append(n)
    return Counter(
        (award, name, key, n.is_winner)
        for (award, name), group in by_category.items()
        for n, key in zip(group, edition_keys(group), strict=True)
    )


def editions_awaiting_winners(conn: Connection, body: AwardBody, since_year: int) -> list[Edition]:
    """Stored editions of the body from since_year on that list no winner yet."""
    c, o = table(conn, "festival_ceremonies"), table(conn, "festival_organizations")
    rows = conn.execute(
        select(c.c.year, c.c.instance)
        .join(o, o.c.id == c.c.organization_id)
        .where(
            and_(
                o.c.imdb_event_id == body.imdb_event_id,
                c.c.awarded.is_(False),
                c.c.year >= since_year,
            )
        )
    )
    return sorted(Edition(r.year, r.instance) for r in rows)


def known_title_kinds(conn: Connection, imdb_ids: Iterable[str]) -> dict[str, TitleKind]:
    t = table(conn, "title_kinds")
    wanted = sorted(set(imdb_ids))
    if not wanted:
        return {}
    rows = conn.execute(select(t.c.imdb_id, t.c.kind).where(is_in(conn, t.c.imdb_id, wanted)))
    return {r.imdb_id: TitleKind(r.kind) for r in rows}


def record_title_kinds(conn: Connection, kinds: Mapping[str, TitleKind], decided_at) -> None:
    insert_ignore(
        conn,
        "title_kinds",
        [
            {"imdb_id": k, "kind": str(v), "decided_by": "tmdb_find", "decided_at": decided_at}
            for k, v in sorted(kinds.items())
        ],
        key=["imdb_id"],
    )
