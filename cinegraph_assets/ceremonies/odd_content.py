"""Odd but plausible content of a ceremony year: reported, never a reason to fail it.

The parsers report what is odd in a page's content (model.WarningKind). What is odd by
the Academy's own rules is found here, where that knowledge lives (categories.py):
- winnerless_category: an awarded ceremony's competitive category without a winner on
  oscars.org (a tie lost in the page's markup, or a page caught mid-update);
- unknown_award: an IMDb award text `categories.knows_award` does not know (filed as a
  non-competitive honorary award all the same).

A year's warnings are kept in festival_ceremonies.source_metadata["warnings"], a list
of {"source", "kind", "where", "message"}; each writer replaces only its own source's
entries ("oscars.org" for scraped_ceremony, "imdb" for the IMDb event page), so the
other asset's findings survive a re-run of one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cinegraph_assets.ceremonies.categories import classify, knows_award
from cinegraph_assets.ceremonies.model import (
    ImdbEdition,
    OscarsCeremony,
    PageWarning,
    WarningKind,
)

OSCARS_SOURCE = "oscars.org"
IMDB_SOURCE = "imdb"


def winnerless_categories(ceremony: OscarsCeremony) -> list[PageWarning]:
    if not ceremony.awarded:
        return []  # before the show no category has a winner
    return [
        PageWarning(
            WarningKind.WINNERLESS_CATEGORY.value,
            c.name,
            f"the ceremony is awarded but competitive category {c.name!r} marks none of "
            f"its {len(c.nominations)} nominations a winner",
        )
        for c in ceremony.categories
        if c.nominations
        and classify(c.name).is_competitive
        and not any(n.won for n in c.nominations)
    ]


def unknown_awards(edition: ImdbEdition) -> list[PageWarning]:
    counts: dict[str, int] = {}
    for n in edition.nominations:
        if not knows_award(n.award):
            counts[n.award] = counts.get(n.award, 0) + 1
    return [
        PageWarning(
            WarningKind.UNKNOWN_AWARD.value,
            award,
            f"IMDb award {award!r} ({count} nominations) is none the Academy's categories "
            "know; stored as a non-competitive honorary award",
        )
        for award, count in counts.items()
    ]


def oscars_warnings(ceremony: OscarsCeremony) -> list[PageWarning]:
    """Everything odd about a year's oscars.org page."""
    return [*ceremony.warnings, *winnerless_categories(ceremony)]


def imdb_warnings(edition: ImdbEdition) -> list[PageWarning]:
    """Everything odd about a year's IMDb event page, for the Academy's import."""
    return [*edition.warnings, *unknown_awards(edition)]


def with_warnings(
    metadata: dict[str, Any] | None, source: str, warnings: Iterable[PageWarning]
) -> dict[str, Any]:
    """source_metadata with `source`'s warnings replaced by these (others kept)."""
    metadata = dict(metadata or {})
    kept = [w for w in metadata.get("warnings") or [] if w.get("source") != source]
    metadata["warnings"] = kept + [
        {"source": source, "kind": w.kind, "where": w.where, "message": w.message} for w in warnings
    ]
    return metadata


def stored_warnings(metadata: dict[str, Any] | None, source: str | None = None) -> list[dict]:
    """The warnings kept in a ceremony's source_metadata (of one source, if given)."""
    rows = (metadata or {}).get("warnings") or []
    return [w for w in rows if source is None or w.get("source") == source]


def warnings_markdown(rows: list[dict]) -> str:
    if not rows:
        return "Nothing odd."
    lines = ["| source | kind | where | what |", "|---|---|---|---|"]
    lines += [
        "| "
        + " | ".join(str(w.get(k, "")).replace("|", "/") for k in ("source", "kind", "where"))
        + f" | {str(w.get('message', '')).replace('|', '/')[:300]} |"
        for w in rows
    ]
    return "\n".join(lines)
