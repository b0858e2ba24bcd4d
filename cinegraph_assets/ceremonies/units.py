"""The Oscar year assets' units of work (runtime/unit.py): one ceremony, keyed by its
oscars.org year (an int, parsed once from the partition key).

- ScrapedWork (scraped_ceremony): the oscars.org page, stored or fetched, parsed and
  written as printed.
- ImdbMatchWork (imdb_enhanced_nominees): the year's stored nominations matched to
  IMDb's event page, and the links written.
The assets (assets.py) only declare them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from cinegraph_assets.ceremonies import checks, imdb_store, odd_content, oscars_store
from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.imdb_client import ACADEMY_AWARDS_EVENT, ImdbClient
from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets.ceremonies.matcher import CeremonyMatch, match_ceremony
from cinegraph_assets.ceremonies.model import ImdbEdition, OscarsCeremony, PageWarning
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.ceremonies.oscars_parser import CeremonyPageError, parse_ceremony_page
from cinegraph_assets.ceremonies.overrides import overrides_for
from cinegraph_assets.ceremonies.partitions import imdb_edition, parse_year
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.http import FetchedPage
from cinegraph_assets.raw_pages import stored_or_fetched
from cinegraph_assets.runtime.unit import Check, Fetched, PartitionWork, Status, UnusableInput


def _unusable(year: int, exc: Exception) -> UnusableInput:
    # A page that is not a ceremony page will not become one on retry: fail at once,
    # write nothing, leave the year's earlier data as it was.
    return UnusableInput(f"ceremony {year}: {exc}")


def warnings_metadata(source: str, warnings) -> dict:
    rows = odd_content.with_warnings(None, source, warnings)["warnings"]
    return {
        "warnings": [{k: r[k] for k in ("kind", "where", "message")} for r in rows],
        "warnings_md": odd_content.warnings_markdown(rows),
    }


def _log_warnings(log, url: str, warnings) -> None:
    for w in warnings:
        log.warning(f"{url}: {w.kind} at {w.where}: {w.message}")


def _category_table(ceremony: OscarsCeremony) -> str:
    rows = ["| category | nominations | winners |", "|---|---:|---:|"]
    rows += [
        f"| {c.name} | {len(c.nominations)} | {sum(n.won for n in c.nominations)} |"
        for c in ceremony.categories
    ]
    return "\n".join(rows)


class _Year(PartitionWork[int, Any]):
    def key(self, partition_key: str) -> int:
        return parse_year(partition_key)


@dataclass(frozen=True)
class ScrapedPage:
    ceremony: OscarsCeremony
    page: FetchedPage
    url: str
    fetched_now: bool
    warnings: list[PageWarning]


@dataclass
class ScrapedWork(_Year):
    """scraped_ceremony. Keeps the pages it parsed: the checks compare them with what
    was stored (a year reused from an earlier attempt is parsed again from its copy)."""

    oscars: OscarsClient
    db: DatabaseResource
    refresh: bool
    log: Any
    parsed: dict[int, OscarsCeremony] = field(default_factory=dict)

    def fetch(self, year: int) -> Fetched[ScrapedPage]:
        url = self.oscars.ceremony_url(year)
        page, fetched_now = stored_or_fetched(self.db, self.oscars, url, self.refresh)
        try:
            ceremony = parse_ceremony_page(page.body, url=url, year=year)
        except CeremonyPageError as exc:
            raise _unusable(year, exc) from None
        self.parsed[year] = ceremony
        warnings = odd_content.oscars_warnings(ceremony)
        _log_warnings(self.log, url, warnings)
        return Fetched(Status.OK, ScrapedPage(ceremony, page, url, fetched_now, warnings))

    def write(self, conn: Connection, year: int, fetched: Fetched[ScrapedPage]) -> dict:
        got = fetched.record
        ceremony, page = got.ceremony, got.page
        written = oscars_store.write_scraped_ceremony(conn, ceremony, page, got.url, got.warnings)
        nominations = ceremony.nominations
        return {
            "ceremony": ceremony.name,
            "ceremony_number": ceremony.ceremony_number,
            "date": ceremony.date_text or "",
            "location": ceremony.location or "",
            "awarded": ceremony.awarded,
            "categories": len(ceremony.categories),
            "competitive_categories": sum(
                classify(c.name).is_competitive for c in ceremony.categories
            ),
            "nominations": len(nominations),
            "winners": sum(n.won for n in nominations),
            "placeholders": sum(n.placeholder for n in nominations),
            "source_url": got.url,
            "page_sha256": written["page_sha256"],
            "page_fetched_at": page.fetched_at.isoformat(),
            "fetched_now": got.fetched_now,
            "category_table_md": _category_table(ceremony),
            **warnings_metadata(odd_content.OSCARS_SOURCE, got.warnings),
        }

    def checks(self, conn: Connection, keys: list[int]) -> dict[int, list[Check]]:
        return checks.scraped_checks(conn, keys, self.parsed)


@dataclass(frozen=True)
class MatchedYear:
    ceremony: dict[str, Any]  # the stored ceremony row
    match: CeremonyMatch
    edition: ImdbEdition
    page: FetchedPage
    url: str
    fetched_now: bool
    warnings: list[PageWarning]


def _match_metadata(match: CeremonyMatch, written: dict, unmatched: list[dict]) -> dict:
    competitive = [m for m in match.matches if classify(m.oscars.category).is_competitive]
    return {
        "categories": len({m.oscars.category for m in competitive}),
        "nominations": len(competitive),
        "winners": sum(m.oscars.won for m in competitive),
        "distinct_films": len(written["films"]),
        "distinct_people": len(written["people"]),
        "matched": len(match.matched),
        "unmatched": len(unmatched),
        "match_rate": round(match.match_rate, 4),
        "from_overrides": sum(1 for m in match.matches if m.override),
        "imdb_only_awards": written["imdb_only"],
        "imdb_oscar_nominations_left_over": len(match.imdb_unassigned),
        "winner_flag_conflicts": sum(1 for m in match.matched if m.winner_conflict),
        "unmatched_nominations_md": checks.unmatched_markdown(unmatched),
        "page_sha256": written["page_sha256"],
        "movie_ids": written["all_films"],
    }


@dataclass
class ImdbMatchWork(_Year):
    """imdb_enhanced_nominees: fetching includes matching (pure, outside any
    transaction); writing stores the links the match decided."""

    imdb: ImdbClient
    db: DatabaseResource
    refresh: bool
    log: Any
    min_match_rate: float  # the blocking imdb_match_rate check's threshold

    def _edition(self, page: FetchedPage, url: str, year: int) -> ImdbEdition:
        try:
            return parse_event_page(
                page.body,
                url=url,
                expected=imdb_edition(year),
                expected_event=ACADEMY_AWARDS_EVENT,
            )
        except ImdbPageError as exc:
            raise _unusable(year, exc) from None

    def fetch(self, year: int) -> Fetched[MatchedYear]:
        with self.db.transaction() as conn:
            try:
                ceremony, nominations = imdb_store.read_oscars_nominations(conn, year)
            except imdb_store.MissingUpstreamData as exc:
                raise UnusableInput(str(exc)) from None
        url = self.imdb.event_url(year)
        page, fetched_now = stored_or_fetched(self.db, self.imdb, url, self.refresh)
        edition = self._edition(page, url, year)
        warnings = odd_content.imdb_warnings(edition)
        _log_warnings(self.log, url, warnings)
        match = match_ceremony(
            nominations,
            edition.nominations,
            awarded=bool(ceremony["awarded"]),
            overrides=overrides_for(year),
        )
        for unused in match.unused_overrides:
            self.log.warning(
                f"ceremony {year}: {unused.override.describe()} is not used: {unused.reason}"
            )
        record = MatchedYear(ceremony, match, edition, page, url, fetched_now, warnings)
        return Fetched(Status.OK, record)

    def write(self, conn: Connection, year: int, fetched: Fetched[MatchedYear]) -> dict:
        got = fetched.record
        match, edition = got.match, got.edition
        written = imdb_store.write_imdb_enhancement(
            conn, year, match, edition, got.page, got.url, got.warnings
        )
        unmatched = checks.unmatched_rows(checks.stored_nominations(conn, written["ceremony_id"]))
        return {
            **_match_metadata(match, written, unmatched),
            "unused_overrides": [
                f"{u.override.describe()}: {u.reason}" for u in match.unused_overrides
            ],
            "imdb_url": got.url,
            "oscars_url": got.ceremony["source_url"] or "",
            "imdb_edition_id": edition.edition_id or "",
            "fetched_now": got.fetched_now,
            **warnings_metadata(odd_content.IMDB_SOURCE, got.warnings),
        }

    def checks(self, conn: Connection, keys: list[int]) -> dict[int, list[Check]]:
        return checks.imdb_checks(conn, keys, self.min_match_rate)
