"""One asset per award body (`<key>_nominations`), built from its registry entry.

Each edition partition is fetched from IMDb (the same client, rate budget, proxy and
raw-page store as the Oscars), parsed strictly for structure and tolerantly for
content, its titles sorted into films and television (title_kinds.py), and written as
one unit with its outcome, checks and metadata (runtime/): in ranged runs for
backfills, as the ceremony years are. Its films fan out to the shared `movies`
partitions through the movie sensor.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetsDefinition,
    BackfillPolicy,
    MetadataValue,
    asset,
)
from sqlalchemy import Connection

from cinegraph_assets.awards import checks, store
from cinegraph_assets.awards.editions import Edition, editions_of
from cinegraph_assets.awards.registry import AwardBody
from cinegraph_assets.awards.title_kinds import TitleKind, decide, unknown_types
from cinegraph_assets.ceremonies.assets import RETRY, PageConfig
from cinegraph_assets.ceremonies.imdb_client import ImdbClient
from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets.ceremonies.model import ImdbEdition
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.http import FetchedPage
from cinegraph_assets.raw_pages import stored_or_fetched
from cinegraph_assets.runtime.batches import run_partitions
from cinegraph_assets.runtime.unit import Check, Fetched, PartitionWork, Status, UnusableInput
from cinegraph_assets.settings import SETTINGS, Settings
from cinegraph_assets.tmdb.client import TmdbClient

GROUP = "awards"


def _asked_tmdb(tmdb: TmdbClient, imdb_id: str) -> TitleKind:
    """What TMDb's /3/find says a title is: a series comes back under tv_results. A
    title TMDb does not know is taken for a film (the movie asset then records it as
    not found)."""
    found = tmdb.find_results(imdb_id)
    if found["tv_results"] and not found["movie_results"]:
        return TitleKind.SERIES
    return TitleKind.FILM


def title_kinds(
    parsed: ImdbEdition, body: AwardBody, tmdb: TmdbClient, db: DatabaseResource
) -> tuple[dict[str, TitleKind], dict[str, TitleKind]]:
    """(kind of every title of the page, kinds TMDb decided just now)."""
    kinds, lookup = decide(parsed.nominations, television=body.television)
    if not lookup:
        return kinds, {}
    with db.transaction() as conn:
        known = store.known_title_kinds(conn, lookup)
    asked = {t: _asked_tmdb(tmdb, t) for t in sorted(lookup - set(known))}
    return {**kinds, **known, **asked}, asked


def _warnings(parsed: ImdbEdition) -> list[dict[str, str]]:
    found = [{"kind": w.kind, "where": w.where, "message": w.message} for w in parsed.warnings]
    found += [
        {
            "kind": "unknown_title_type",
            "where": "titleType.id",
            "message": f"title type {t!r} is not known: its titles were classified by "
            "award, category or TMDb",
        }
        for t in sorted(unknown_types(parsed.nominations))
    ]
    return found


def _category_table(parsed: ImdbEdition) -> str:
    counts: dict[tuple[str, str], list[int]] = {}
    for n in parsed.nominations:
        count = counts.setdefault((n.award, n.category), [0, 0])
        count[0] += 1
        count[1] += n.is_winner
    rows = ["| award | category | nominations | winners |", "|---|---|---:|---:|"]
    rows += [f"| {a} | {c} | {n} | {w} |" for (a, c), (n, w) in list(counts.items())[:200]]
    return "\n".join(rows)


def _metadata(body, key, url, parsed, written, warnings, asked, page, fetched_now) -> dict:
    return {
        "body": body.name,
        "imdb_event_id": body.imdb_event_id,
        "edition": key,
        "imdb_url": url,
        "imdb_edition_id": parsed.edition_id or "",
        "date": parsed.date.isoformat() if parsed.date else "",
        "awarded": parsed.awarded,
        "awards": len({n.award for n in parsed.nominations}),
        "categories": len({(n.award, n.category) for n in parsed.nominations}),
        "nominations": len(parsed.nominations),
        "winners": sum(n.is_winner for n in parsed.nominations),
        "films": len(written["films"]),
        "other_titles": len(written["other_titles"]),
        "people": written["people"],
        "title_kinds_from_tmdb": len(asked),
        "warnings": len(warnings),
        "warnings_md": checks.warnings_markdown(warnings),
        "page_sha256": written["page_sha256"],
        "page_fetched_at": page.fetched_at.isoformat(),
        "fetched_now": fetched_now,
        "category_table_md": _category_table(parsed),
        "movie_ids": written["films"],
    }


@dataclass(frozen=True)
class EditionPage:
    url: str
    page: FetchedPage
    fetched_now: bool
    parsed: ImdbEdition
    kinds: dict[str, TitleKind]  # every title's kind
    asked: dict[str, TitleKind]  # the kinds TMDb decided just now (recorded on write)
    warnings: list[dict[str, str]]


@dataclass
class EditionImport(PartitionWork[Edition, EditionPage]):
    """One step's import of a body's editions, keyed by Edition. Keeps the pages it
    parsed: the checks compare them with what was stored."""

    body: AwardBody
    refresh: bool
    imdb: ImdbClient
    tmdb: TmdbClient
    db: DatabaseResource
    log: Any
    parsed: dict[Edition, ImdbEdition] = field(default_factory=dict)

    def key(self, partition_key: str) -> Edition:
        return Edition.parse(partition_key)

    def _page(self, edition: Edition) -> tuple[str, FetchedPage, bool, ImdbEdition]:
        body = self.body
        url = self.imdb.edition_url(body.imdb_event_id, edition.year, edition.instance)
        page, fetched_now = stored_or_fetched(self.db, self.imdb, url, self.refresh)
        try:
            parsed = parse_event_page(
                page.body,
                url=url,
                expected=(edition.year, edition.instance),
                expected_event=body.imdb_event_id,
            )
        except ImdbPageError as exc:
            raise UnusableInput(f"{body.key} {edition.key}: {exc}") from None
        self.parsed[edition] = parsed
        return url, page, fetched_now, parsed

    def fetch(self, edition: Edition) -> Fetched[EditionPage]:
        url, page, fetched_now, parsed = self._page(edition)
        kinds, asked = title_kinds(parsed, self.body, self.tmdb, self.db)
        warnings = _warnings(parsed)
        for w in warnings:
            self.log.warning(f"{self.body.key} {edition.key}: {w['kind']}: {w['message']}")
        return Fetched(
            Status.OK, EditionPage(url, page, fetched_now, parsed, kinds, asked, warnings)
        )

    def write(self, conn: Connection, edition: Edition, fetched: Fetched[EditionPage]) -> dict:
        got = fetched.record
        if got.asked:
            store.record_title_kinds(conn, got.asked, datetime.now(timezone.utc))
        written = store.write_edition(
            conn, self.body, edition, got.parsed, got.kinds, got.page, got.url, got.warnings
        )
        return _metadata(
            self.body,
            edition.key,
            got.url,
            got.parsed,
            written,
            got.warnings,
            got.asked,
            got.page,
            got.fetched_now,
        )

    def checks(self, conn: Connection, keys: list[Edition]) -> dict[Edition, list[Check]]:
        return checks.edition_checks(conn, self.body, keys, self.parsed)


def body_asset(body: AwardBody, settings: Settings = SETTINGS) -> AssetsDefinition:
    """The `<key>_nominations` asset of one registry entry."""
    event_url = f"https://www.imdb.com/event/{body.imdb_event_id}/"

    @asset(
        name=body.asset_name,
        partitions_def=editions_of(body),
        group_name=GROUP,
        kinds={"imdb"},
        code_version="1",
        pool="imdb",
        backfill_policy=BackfillPolicy.multi_run(max_partitions_per_run=settings.year_batch_size),
        retry_policy=RETRY,
        check_specs=checks.specs(body),
        metadata={
            "award_body": body.key,
            "imdb_event_id": body.imdb_event_id,
            "imdb_event_url": MetadataValue.url(event_url),
        },
        description=f"Every nomination and winner of the {body.name} (IMDb event "
        f"{body.imdb_event_id}), one partition per edition, from IMDb's event page "
        f"{event_url}<year>/<instance>/: awards and categories kept apart, every film of a "
        "nomination linked (films become `movies` partitions; series and games are kept "
        "on their nomination only), people with their IMDb ids.",
    )
    def nominations(
        context: AssetExecutionContext,
        config: PageConfig,
        imdb: ImdbClient,
        tmdb: TmdbClient,
        db: DatabaseResource,
    ):
        work = EditionImport(body, config.refresh, imdb, tmdb, db, context.log)
        yield from run_partitions(context, db, work, concurrency=settings.year_fetch_concurrency)

    return nominations
