"""Ceremony-year assets: fetch -> parse -> match -> write, one transaction per year.

A bulk backfill of years runs as ranged runs (CINEGRAPH_YEAR_BATCH_SIZE years per
run); inside one, every year is its own unit, materialization and check evaluations
(batches.py), so one broken year never holds back the others.
"""

from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    BackfillPolicy,
    Backoff,
    Config,
    Failure,
    Jitter,
    RetryPolicy,
    asset,
)
from pydantic import Field

from cinegraph_assets.batches import Fetched, UnusableInput, run_partitions
from cinegraph_assets.ceremonies import checks, imdb_store, odd_content, oscars_store
from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.imdb_client import ACADEMY_AWARDS_EVENT, ImdbClient
from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets.ceremonies.matcher import CeremonyMatch, match_ceremony
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.ceremonies.oscars_parser import CeremonyPageError, parse_ceremony_page
from cinegraph_assets.ceremonies.overrides import overrides_for
from cinegraph_assets.ceremonies.partitions import (
    PartitionKeyError,
    ceremony_years,
    imdb_edition,
    parse_year,
)
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.http import PermanentUpstreamError
from cinegraph_assets.raw_pages import FetchedPage, latest_page
from cinegraph_assets.settings import SETTINGS

_batched = BackfillPolicy.multi_run(max_partitions_per_run=SETTINGS.year_batch_size)
# A step that still fails after the per-request retries (a long 5xx spell, the
# database restarting) is tried again; a page that is not a ceremony page is not.
RETRY = RetryPolicy(max_retries=2, delay=20, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)


class PageConfig(Config):
    refresh: bool = Field(
        default=False,
        description="Fetch the page again. By default a page fetched before is re-parsed "
        "from the copy stored in the database.",
    )


def _years(context: AssetExecutionContext) -> list[str]:
    try:
        return [str(parse_year(k)) for k in context.partition_keys]
    except PartitionKeyError as exc:
        raise Failure(str(exc), allow_retries=False) from None


def stored_or_fetched(
    db: DatabaseResource, client, url: str, refresh: bool
) -> tuple[FetchedPage, bool]:
    """The stored copy of url unless a refresh is asked for; (page, fetched_now)."""
    if not refresh:
        with db.transaction() as conn:
            stored = latest_page(conn, url)
        if stored is not None:
            return stored, False
    try:
        return client.fetch_page(url), True
    except PermanentUpstreamError as exc:
        raise UnusableInput(str(exc)) from None


def _unusable(year: int, exc: Exception) -> UnusableInput:
    # A page that is not a ceremony page will not become one on retry: fail at once,
    # write nothing, leave the year's earlier data as it was.
    return UnusableInput(f"ceremony {year}: {exc}")


def _warnings_metadata(source: str, warnings) -> dict:
    rows = odd_content.with_warnings(None, source, warnings)["warnings"]
    return {
        "warnings": [{k: r[k] for k in ("kind", "where", "message")} for r in rows],
        "warnings_md": odd_content.warnings_markdown(rows),
    }


def _log_warnings(context, url: str, warnings) -> None:
    for w in warnings:
        context.log.warning(f"{url}: {w.kind} at {w.where}: {w.message}")


_ODD_CONTENT = (
    "WARN: what the {page} holds that is odd but plausible (an empty category, a "
    "nomination naming nobody, {more}); the year goes through and fans out all the same. "
    "Listed in the metadata and counted in ceremony_import_status."
)


def _category_table(ceremony) -> str:
    rows = ["| category | nominations | winners |", "|---|---:|---:|"]
    rows += [
        f"| {c.name} | {len(c.nominations)} | {sum(n.won for n in c.nominations)} |"
        for c in ceremony.categories
    ]
    return "\n".join(rows)


@asset(
    partitions_def=ceremony_years,
    group_name="ceremonies",
    kinds={"oscars.org"},
    code_version="3",
    pool="oscars",
    backfill_policy=_batched,
    retry_policy=RETRY,
    check_specs=[
        AssetCheckSpec(
            "odd_content",
            asset="scraped_ceremony",
            description=_ODD_CONTENT.format(
                page="oscars.org page",
                more="an awarded competitive category without a winner",
            ),
        ),
        AssetCheckSpec(
            "nominations_match_page",
            asset="scraped_ceremony",
            blocking=True,
            description="The stored nominations are exactly the honorees of the stored "
            "oscars.org page: category, nomination and winner flag.",
        ),
    ],
    description="The official list of a ceremony's competitive categories, nominees and "
    "winners, scraped from oscars.org/oscars/ceremonies/{year} and written to the "
    "festival_* tables as printed.",
)
def scraped_ceremony(
    context: AssetExecutionContext, config: PageConfig, oscars: OscarsClient, db: DatabaseResource
):
    parsed = {}

    def work(key: str) -> Fetched:
        year = parse_year(key)
        url = oscars.ceremony_url(year)
        page, fetched_now = stored_or_fetched(db, oscars, url, config.refresh)
        try:
            ceremony = parse_ceremony_page(page.body, url=url, year=year)
        except CeremonyPageError as exc:
            raise _unusable(year, exc) from None
        parsed[year] = ceremony
        warnings = odd_content.oscars_warnings(ceremony)
        _log_warnings(context, url, warnings)

        def write(conn):
            written = oscars_store.write_scraped_ceremony(conn, ceremony, page, url, warnings)
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
                "source_url": url,
                "page_sha256": written["page_sha256"],
                "page_fetched_at": page.fetched_at.isoformat(),
                "fetched_now": fetched_now,
                "category_table_md": _category_table(ceremony),
                **_warnings_metadata(odd_content.OSCARS_SOURCE, warnings),
            }

        return Fetched("ok", write)

    yield from run_partitions(
        context,
        db,
        work,
        keys=_years(context),
        checks=checks.scraped_checks(parsed),
        concurrency=SETTINGS.year_fetch_concurrency,
    )


def _edition(page: FetchedPage, url: str, year: int):
    try:
        return parse_event_page(
            page.body, url=url, expected=imdb_edition(year), expected_event=ACADEMY_AWARDS_EVENT
        )
    except ImdbPageError as exc:
        raise _unusable(year, exc) from None


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


@asset(
    partitions_def=ceremony_years,
    group_name="ceremonies",
    deps=[scraped_ceremony],
    kinds={"imdb"},
    code_version="3",
    pool="imdb",
    backfill_policy=_batched,
    retry_policy=RETRY,
    check_specs=[
        AssetCheckSpec(
            "imdb_match_rate",
            asset="imdb_enhanced_nominees",
            blocking=True,
            description="At least CINEGRAPH_MIN_MATCH_RATE (default 90%) of the year's "
            "nominations are matched to IMDb (or known to have no film); far below "
            "normal means a site change or a wrong page.",
        ),
        AssetCheckSpec(
            "unmatched_nominations",
            asset="imdb_enhanced_nominees",
            description="WARN: the nominations left unmatched or ambiguous, with why. "
            "The year's matched films fan out regardless; add an override "
            "(ceremonies/overrides.csv) to pin one.",
        ),
        AssetCheckSpec(
            "odd_content",
            asset="imdb_enhanced_nominees",
            description=_ODD_CONTENT.format(
                page="IMDb event page",
                more="an award the Academy's categories do not know, a nomination total "
                "that disagrees with the nominations listed",
            ),
        ),
    ],
    description="The ceremony's nominations matched to IMDb's event page: IMDb film (tt) "
    "and person (nm) ids attached, movies and people created, IMDb-only awards "
    "(Honorary, Hersholt, Thalberg, Sci-Tech) recorded as non-competitive categories.",
)
def imdb_enhanced_nominees(
    context: AssetExecutionContext, config: PageConfig, imdb: ImdbClient, db: DatabaseResource
):
    def work(key: str) -> Fetched:
        year = parse_year(key)
        with db.transaction() as conn:
            try:
                ceremony, nominations = imdb_store.read_oscars_nominations(conn, year)
            except imdb_store.MissingUpstreamData as exc:
                raise UnusableInput(str(exc)) from None
        url = imdb.event_url(year)
        page, fetched_now = stored_or_fetched(db, imdb, url, config.refresh)
        edition = _edition(page, url, year)
        warnings = odd_content.imdb_warnings(edition)
        _log_warnings(context, url, warnings)
        match = match_ceremony(
            nominations,
            edition.nominations,
            awarded=bool(ceremony["awarded"]),
            overrides=overrides_for(year),
        )
        for unused in match.unused_overrides:
            context.log.warning(
                f"ceremony {year}: {unused.override.describe()} is not used: {unused.reason}"
            )

        def write(conn):
            written = imdb_store.write_imdb_enhancement(
                conn, year, match, edition, page, url, warnings
            )
            unmatched = checks.unmatched_rows(
                checks.stored_nominations(conn, written["ceremony_id"])
            )
            return {
                **_match_metadata(match, written, unmatched),
                "unused_overrides": [
                    f"{u.override.describe()}: {u.reason}" for u in match.unused_overrides
                ],
                "imdb_url": url,
                "oscars_url": ceremony["source_url"] or "",
                "imdb_edition_id": edition.edition_id or "",
                "fetched_now": fetched_now,
                **_warnings_metadata(odd_content.IMDB_SOURCE, warnings),
            }

        return Fetched("ok", write)

    yield from run_partitions(
        context,
        db,
        work,
        keys=_years(context),
        checks=checks.imdb_checks,
        concurrency=SETTINGS.year_fetch_concurrency,
    )
