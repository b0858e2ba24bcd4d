"""The ceremony rows both ceremony writers share, and that awards/store.py reuses.

The Academy's organization, its categories (both sources may name the same category,
each keeping its own external ids), the nominations table's upsert and key-to-id
lookup, the ceremony row's source_metadata and the ceremony row itself. The writers
are oscars_store.py (the scraped oscars.org page) and imdb_store.py (the IMDb
enhancement); they are apart because each follows its own source, and these rows are
here because neither owns them. Callers own the transaction.

Both writers take the IDENTITY lock first (db/locks.py): they create and link the
movies and people rows the movie writers re-key and merge. Movies and people are
fetched-or-created without row locks (INSERT ... ON CONFLICT DO NOTHING, in key
order); links and nominations are written a statement per table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, select

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.db import insert_ignore, insert_rows, table, upsert

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


def source_metadata(conn: Connection, org_id: int, year: int) -> dict[str, Any] | None:
    c = table(conn, "festival_ceremonies")
    return conn.execute(
        select(c.c.source_metadata).where(and_(c.c.organization_id == org_id, c.c.year == year))
    ).scalar()


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
