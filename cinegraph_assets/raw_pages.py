"""Raw upstream responses, content-addressed in the database.

Every run reaches them (whatever machine it runs on), a re-parse needs no re-fetch,
and a page is stored only together with what was parsed from it, in one transaction.
"""

from __future__ import annotations

from datetime import timezone

from sqlalchemy import Connection, select

from cinegraph_assets.db import DatabaseResource, table, upsert
from cinegraph_assets.http import FetchedPage, PermanentUpstreamError
from cinegraph_assets.runtime.unit import UnusableInput


def latest_page(conn: Connection, url: str) -> FetchedPage | None:
    t = table(conn, "raw_pages")
    row = conn.execute(
        select(t.c.url, t.c.body, t.c.fetched_at, t.c.content_type)
        .where(t.c.url == url)
        .order_by(t.c.fetched_at.desc(), t.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    fetched_at = row.fetched_at
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=timezone.utc)
    return FetchedPage(row.url, row.body, fetched_at, row.content_type)


def store_page(conn: Connection, page: FetchedPage) -> str:
    """Store page under its content hash (same content again: only the time moves)."""
    upsert(
        conn,
        "raw_pages",
        {
            "url": page.url,
            "sha256": page.sha256,
            "fetched_at": page.fetched_at,
            "content_type": page.content_type,
            "body": page.body,
        },
        key=["url", "sha256"],
        update=["fetched_at"],
    )
    return page.sha256


def stored_or_fetched(
    db: DatabaseResource, client, url: str, refresh: bool
) -> tuple[FetchedPage, bool]:
    """The stored copy of url unless a refresh is asked for; (page, fetched_now).
    `client` is an upstream client (clients.py)."""
    if not refresh:
        with db.transaction() as conn:
            stored = latest_page(conn, url)
        if stored is not None:
            return stored, False
    try:
        return client.fetch_page(url), True
    except PermanentUpstreamError as exc:
        raise UnusableInput(str(exc)) from None
