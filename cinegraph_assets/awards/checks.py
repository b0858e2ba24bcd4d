"""Checks of an award body's edition, each with one meaning.

ERROR (blocking: the edition's films are not fanned out):
- edition_matches_page: the stored page is the requested edition of the body's event,
  and the stored nominations are exactly the page's (award, category, nomination,
  winner flag), re-parsed from the stored copy.
WARN (the edition fans out its films; the rest is listed):
- odd_content: what the page plausibly holds but is odd (an empty category, a
  nomination naming nothing, a title type this code does not know, ...).
- nomination_totals: a category whose nomination total on the page disagrees with the
  nominations it lists (IMDb may have cut the list short).
- winners_announced: the edition still has no winner after the month the body usually
  gives its prizes (a line-up published before the prizes, or an edition that never
  had any, like Cannes 1968).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from dagster import AssetCheckSpec
from sqlalchemy import Connection, select

from cinegraph_assets.awards import store
from cinegraph_assets.awards.editions import Edition
from cinegraph_assets.awards.registry import AwardBody
from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets.ceremonies.model import ImdbEdition
from cinegraph_assets.db import table
from cinegraph_assets.runtime.unit import Check, CheckDef

MATCHES_PAGE = CheckDef(
    "edition_matches_page",
    "The stored page is this edition of IMDb event {event} and the stored nominations "
    "are exactly its nominations (award, category, nomination, winner flag).",
    blocking=True,
)
ODD_CONTENT = CheckDef(
    "odd_content",
    "WARN: plausible but odd content of the page (an empty category, a nomination naming "
    "nothing, an unknown title type); the rest went through.",
)
TOTALS = CheckDef(
    "nomination_totals",
    "WARN: a category's nomination total on the page disagrees with the nominations it lists.",
)
WINNERS = CheckDef(
    "winners_announced",
    "WARN: the edition has no winner although the month the body usually gives its "
    "prizes has passed.",
)
TOTAL_MISMATCH = "nomination_total_mismatch"  # the PageWarning kind TOTALS reports


def specs(body: AwardBody) -> list[AssetCheckSpec]:
    matches_page = replace(
        MATCHES_PAGE, description=MATCHES_PAGE.description.format(event=body.imdb_event_id)
    )
    return [c.spec(body.asset_name) for c in (matches_page, ODD_CONTENT, TOTALS, WINNERS)]


def prizes_due(edition: Edition, month: int, today: date) -> bool:
    """Whether the body's usual prize month of that edition's year is over."""
    first_after = date(edition.year + month // 12, month % 12 + 1, 1)
    return today >= first_after


def _stored_page(conn: Connection, row: dict, body: AwardBody, edition: Edition) -> ImdbEdition:
    rp = table(conn, "raw_pages")
    sha = (row["source_metadata"] or {}).get("imdb_page_sha256")
    text = conn.execute(select(rp.c.body).where(rp.c.sha256 == sha).limit(1)).scalar()
    if text is None:
        raise ImdbPageError(f"{row['source_url']}: the stored page is missing")
    return parse_event_page(
        text,
        url=row["source_url"],
        expected=(edition.year, edition.instance),
        expected_event=body.imdb_event_id,
    )


def _matches_page(conn, row, body, edition, parsed: ImdbEdition | None) -> Check:
    try:
        page = parsed or _stored_page(conn, row, body, edition)
    except ImdbPageError as exc:
        return MATCHES_PAGE.verdict(False, {"problem": str(exc)[:500]})
    stored, printed = store.stored_nominations(conn, row["id"]), store.page_nominations(page)
    missing, extra = printed - stored, stored - printed
    return MATCHES_PAGE.verdict(
        not missing and not extra,
        {
            "stored": sum(stored.values()),
            "on_page": sum(printed.values()),
            "on_page_not_stored": [list(k) for k in sorted(missing)][:20],
            "stored_not_on_page": [list(k) for k in sorted(extra)][:20],
        },
    )


def warnings_markdown(warnings: list[dict]) -> str:
    if not warnings:
        return "Nothing odd."
    lines = ["| kind | where | what |", "|---|---|---|"]
    lines += [
        "| "
        + " | ".join(
            str(w.get(k, "")).replace("|", "/")[:200] for k in ("kind", "where", "message")
        )
        + " |"
        for w in warnings[:100]
    ]
    return "\n".join(lines)


def edition_checks(
    conn: Connection,
    body: AwardBody,
    editions: list[Edition],
    parsed: dict[Edition, ImdbEdition],
    today: Callable[[], date] = date.today,
) -> dict[Edition, list[Check]]:
    """Checks of the body's asset; `parsed` holds the pages this step parsed (others,
    reused from an earlier attempt, are parsed again from the stored copy)."""
    out = {}
    for edition in editions:
        row = store.edition_row(conn, body, edition)
        if row is None:
            missing = {"problem": "edition not stored"}
            out[edition] = [
                c.verdict(False, missing) for c in (MATCHES_PAGE, ODD_CONTENT, TOTALS, WINNERS)
            ]
            continue
        warnings = (row["source_metadata"] or {}).get("warnings") or []
        odd = [w for w in warnings if w.get("kind") != TOTAL_MISMATCH]
        totals = [w for w in warnings if w.get("kind") == TOTAL_MISMATCH]
        late = not row["awarded"] and prizes_due(edition, body.month, today())
        out[edition] = [
            _matches_page(conn, row, body, edition, parsed.get(edition)),
            ODD_CONTENT.verdict(
                not odd,
                {"warnings": len(odd), "warnings_md": warnings_markdown(odd)},
            ),
            TOTALS.verdict(
                not totals,
                {"categories": len(totals), "warnings_md": warnings_markdown(totals)},
            ),
            WINNERS.verdict(
                not late,
                {"awarded": bool(row["awarded"]), "usual_month": body.month},
            ),
        ]
    return out
