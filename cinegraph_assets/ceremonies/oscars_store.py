"""The scraped oscars.org side of the ceremony-year assets: writing a ceremony page as
printed (scraped_ceremony): the ceremony row, its categories and nominations.

Kept apart from imdb_store.py because this side owns the oscars.org columns and rows
only (the matching columns are the IMDb writer's); the rows both writers share are in
store.py. Callers own the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, select

from cinegraph_assets.ceremonies.keys import oscars_keys
from cinegraph_assets.ceremonies.model import OscarsCeremony, OscarsNomination, PageWarning
from cinegraph_assets.ceremonies.odd_content import OSCARS_SOURCE, with_warnings
from cinegraph_assets.ceremonies.store import (
    category_ids,
    ensure_organization,
    nomination_ids,
    source_metadata,
    upsert_nominations,
)
from cinegraph_assets.db import locks, table, upsert
from cinegraph_assets.raw_pages import FetchedPage, store_page

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


def _nomination_details(n: OscarsNomination) -> dict[str, Any]:
    return {
        "film_slot": n.film_slot,
        "entities": list(n.entities),
        "films": list(n.films),
        "people": list(n.people),
        "placeholder": n.placeholder,
    }


def _write_ceremony_row(
    conn, org_id: int, ceremony: OscarsCeremony, url: str, page, sha, warnings
) -> int:
    # source_metadata is shared with the IMDb writer (its warnings): keep what it wrote.
    metadata = {
        **(source_metadata(conn, org_id, ceremony.year) or {}),
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
