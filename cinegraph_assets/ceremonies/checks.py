"""Checks of a ceremony year, by severity, each with one meaning.

ERROR (blocking: the year's movies are not fanned out, downstream steps do not run):
the year's data is broken.
- nominations_match_page: the stored nominations are not the page's honorees
  (category, nomination key and winner flag, as a multiset).
- imdb_match_rate: far fewer nominations matched to IMDb than normal. Normal is 95-100%
  per year over the whole history (a year's few misses are 1-5 of 40-180); a site change
  or a wrong page gives 0-50%. CINEGRAPH_MIN_MATCH_RATE, default 0.90, sits between.
WARN (the year fans out its matched films; the rest is listed):
- odd_content (on both assets, each for its own page): what the page holds that is odd
  but plausible, as stored in source_metadata["warnings"] (odd_content.py): an empty
  category, a nomination naming nobody, an awarded competitive category without a
  winner, an award name the Academy's categories do not know, a total that disagrees.
  Plausible content is never a reason to block a year.
- unmatched_nominations: each nomination left unmatched or ambiguous, and why.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection, and_, select

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.keys import oscars_keys
from cinegraph_assets.ceremonies.match_records import RESOLVED
from cinegraph_assets.ceremonies.model import OscarsCeremony
from cinegraph_assets.ceremonies.odd_content import (
    IMDB_SOURCE,
    OSCARS_SOURCE,
    stored_warnings,
    warnings_markdown,
)
from cinegraph_assets.ceremonies.oscars_parser import parse_ceremony_page
from cinegraph_assets.ceremonies.store import ceremony_row
from cinegraph_assets.db import table
from cinegraph_assets.runtime.unit import Check, CheckDef

_ODD_CONTENT = (
    "WARN: what the {page} holds that is odd but plausible (an empty category, a "
    "nomination naming nobody, {more}); the year goes through and fans out all the same. "
    "Listed in the metadata and counted in ceremony_import_status."
)
SCRAPED_ODD_CONTENT = CheckDef(
    "odd_content",
    _ODD_CONTENT.format(
        page="oscars.org page", more="an awarded competitive category without a winner"
    ),
)
NOMINATIONS_MATCH_PAGE = CheckDef(
    "nominations_match_page",
    "The stored nominations are exactly the honorees of the stored oscars.org page: "
    "category, nomination and winner flag.",
    blocking=True,
)
MATCH_RATE = CheckDef(
    "imdb_match_rate",
    "At least CINEGRAPH_MIN_MATCH_RATE (default 90%) of the year's nominations are "
    "matched to IMDb (or known to have no film); far below normal means a site change "
    "or a wrong page.",
    blocking=True,
)
UNMATCHED = CheckDef(
    "unmatched_nominations",
    "WARN: the nominations left unmatched or ambiguous, with why. The year's matched "
    "films fan out regardless; add an override (ceremonies/overrides.csv) to pin one.",
)
IMDB_ODD_CONTENT = CheckDef(
    "odd_content",
    _ODD_CONTENT.format(
        page="IMDb event page",
        more="an award the Academy's categories do not know, a nomination total that "
        "disagrees with the nominations listed",
    ),
)
SCRAPED_CHECKS = (SCRAPED_ODD_CONTENT, NOMINATIONS_MATCH_PAGE)
IMDB_CHECKS = (MATCH_RATE, UNMATCHED, IMDB_ODD_CONTENT)


def stored_nominations(conn: Connection, ceremony_id: int) -> list:
    n, cat = table(conn, "festival_nominations"), table(conn, "festival_categories")
    return conn.execute(
        select(
            cat.c.name,
            cat.c.is_competitive,
            n.c.nomination_key,
            n.c.won,
            n.c.match_status,
            n.c.film_title,
            n.c.nominee_statement,
            n.c.details,
        )
        .join(cat, cat.c.id == n.c.category_id)
        .where(and_(n.c.ceremony_id == ceremony_id, n.c.source == "oscars.org"))
        .order_by(n.c.id)
    ).all()


def _stored_page(conn: Connection, ceremony: dict) -> OscarsCeremony | None:
    rp = table(conn, "raw_pages")
    sha = (ceremony["source_metadata"] or {}).get("oscars_page_sha256")
    body = conn.execute(select(rp.c.body).where(rp.c.sha256 == sha).limit(1)).scalar()
    if body is None:
        return None
    return parse_ceremony_page(body, url=ceremony["source_url"], year=ceremony["year"])


def odd_content_check(ceremony: dict, source: str) -> Check:
    """WARN: the odd but plausible content `source`'s page brought, as stored."""
    rows = stored_warnings(ceremony["source_metadata"], source)
    kinds = Counter(w["kind"] for w in rows)
    # Both assets' odd_content checks have one name and one severity.
    return SCRAPED_ODD_CONTENT.verdict(
        not rows,
        {
            "warnings": len(rows),
            "kinds": dict(sorted(kinds.items())),
            "warnings_md": warnings_markdown(rows),
        },
    )


def page_check(page: OscarsCeremony | None, rows: list) -> Check:
    stored = Counter((r.name, r.nomination_key, bool(r.won)) for r in rows)
    if page is None:
        return NOMINATIONS_MATCH_PAGE.verdict(False, {"problem": "stored page not found"})
    printed = Counter(
        (c.name, key, n.won)
        for c in page.categories
        for n, key in zip(c.nominations, oscars_keys(c.nominations), strict=True)
    )
    missing, extra = printed - stored, stored - printed
    return NOMINATIONS_MATCH_PAGE.verdict(
        not missing and not extra,
        {
            "stored": sum(stored.values()),
            "on_page": sum(printed.values()),
            "on_page_not_stored": [list(k) for k in sorted(missing)][:20],
            "stored_not_on_page": [list(k) for k in sorted(extra)][:20],
        },
    )


def scraped_checks(
    conn: Connection, years: list[int], parsed: dict[int, OscarsCeremony]
) -> dict[int, list[Check]]:
    """Checks of scraped_ceremony; `parsed` holds the pages this step parsed (others,
    reused from an earlier attempt, are parsed again from the stored copy)."""
    out = {}
    for year in years:
        ceremony = ceremony_row(conn, year)
        if ceremony is None:
            missing = {"problem": "ceremony not stored"}
            out[year] = [
                SCRAPED_ODD_CONTENT.verdict(False, missing),
                NOMINATIONS_MATCH_PAGE.verdict(False, missing),
            ]
            continue
        rows = stored_nominations(conn, ceremony["id"])
        page = parsed.get(year) or _stored_page(conn, ceremony)
        out[year] = [odd_content_check(ceremony, OSCARS_SOURCE), page_check(page, rows)]
    return out


def unmatched_rows(rows: list) -> list[dict[str, str]]:
    """The nominations the matcher left unmatched or ambiguous, and why."""
    return [
        {
            "category": r.name,
            "film": r.film_title or "-",
            "nominee": (r.nominee_statement or "-")[:120],
            "status": r.match_status,
            "why": str(((r.details or {}).get("imdb") or {}).get("reason") or "")[:200],
        }
        for r in rows
        if r.match_status not in RESOLVED
    ]


def unmatched_markdown(unmatched: list[dict[str, str]]) -> str:
    if not unmatched:
        return "Every nomination matched."
    lines = ["| category | film | nominee | status | why |", "|---|---|---|---|---|"]
    lines += [
        "| "
        + " | ".join(
            u[k].replace("|", "/") for k in ("category", "film", "nominee", "status", "why")
        )
        + " |"
        for u in unmatched
    ]
    return "\n".join(lines)


def imdb_checks(
    conn: Connection, years: list[int], min_match_rate: float
) -> dict[int, list[Check]]:
    out = {}
    for year in years:
        ceremony = ceremony_row(conn, year)
        rows = stored_nominations(conn, ceremony["id"]) if ceremony else []
        resolved = sum(r.match_status in RESOLVED for r in rows)
        rate = resolved / len(rows) if rows else 0.0
        unmatched = unmatched_rows(rows)
        out[year] = [
            MATCH_RATE.verdict(
                rate >= min_match_rate,
                {
                    "match_rate": round(rate, 4),
                    "threshold": min_match_rate,
                    "matched": resolved,
                    "nominations": len(rows),
                },
            ),
            UNMATCHED.verdict(
                not unmatched,
                {
                    "unmatched": len(unmatched),
                    "competitive_unmatched": sum(
                        classify(u["category"]).is_competitive for u in unmatched
                    ),
                    "unmatched_md": unmatched_markdown(unmatched),
                },
            ),
        ]
        if ceremony:
            out[year].append(odd_content_check(ceremony, IMDB_SOURCE))
    return out
