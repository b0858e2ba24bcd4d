"""Ceremony-year assets: fetch -> parse -> match -> write, one transaction each."""

from dagster import (
    AssetExecutionContext,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)
from pydantic import Field

from cinegraph_assets.ceremonies import store
from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.imdb_client import ImdbClient
from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets.ceremonies.matcher import match_ceremony
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.ceremonies.oscars_parser import CeremonyPageError, parse_ceremony_page
from cinegraph_assets.ceremonies.partitions import ceremony_years, imdb_edition, parse_year
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.http import PermanentUpstreamError, UpstreamError
from cinegraph_assets.raw_pages import FetchedPage, latest_page
from cinegraph_assets.settings import OWNERS, database_kind, describe


class PageConfig(Config):
    refresh: bool = Field(
        default=False,
        description="Fetch the page again. By default a page fetched before is re-parsed "
        "from the copy stored in the database.",
    )


def _page(
    context: AssetExecutionContext, db: DatabaseResource, client, url: str, refresh: bool
) -> tuple[FetchedPage, bool]:
    """The stored copy of url unless a refresh is asked for; (page, fetched_now)."""
    if not refresh:
        with db.transaction() as conn:
            stored = latest_page(conn, url)
        if stored is not None:
            context.log.info(
                f"re-parsing the copy of {url} stored at {stored.fetched_at:%Y-%m-%d %H:%M}Z"
            )
            return stored, False
    try:
        return client.fetch_page(url), True
    except PermanentUpstreamError as exc:
        raise Failure(str(exc), allow_retries=False) from None


def _fail_unusable(partition: str, exc: Exception) -> Failure:
    # A page that is not a ceremony page will not become one on retry: fail at once,
    # write nothing, leave the year's earlier data as it was.
    return Failure(f"ceremony {partition}: {exc}", allow_retries=False)


@asset(
    partitions_def=ceremony_years,
    group_name="ceremonies",
    kinds={"oscars.org", database_kind()},
    owners=OWNERS,
    code_version="1",
    pool="oscars",
    description=describe(
        "The official list of a ceremony's competitive categories, nominees and "
        "winners, scraped from oscars.org/oscars/ceremonies/{year} and written to the "
        "festival_* tables as printed."
    ),
)
def scraped_ceremony(
    context: AssetExecutionContext,
    config: PageConfig,
    oscars: OscarsClient,
    db: DatabaseResource,
) -> MaterializeResult:
    year = parse_year(context.partition_key)
    url = oscars.ceremony_url(year)
    page, fetched_now = _page(context, db, oscars, url, config.refresh)
    try:
        ceremony = parse_ceremony_page(page.body, url=url, year=year)
    except CeremonyPageError as exc:
        raise _fail_unusable(context.partition_key, exc) from None
    with db.transaction() as conn:
        written = store.write_scraped_ceremony(conn, ceremony, page, url)

    nominations = ceremony.nominations
    rows = ["| category | nominations | winners |", "|---|---:|---:|"]
    rows += [
        f"| {c.name} | {len(c.nominations)} | {sum(n.won for n in c.nominations)} |"
        for c in ceremony.categories
    ]
    return MaterializeResult(
        metadata={
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
            "source_url": MetadataValue.url(url),
            "page_sha256": written["page_sha256"],
            "page_fetched_at": page.fetched_at.isoformat(),
            "fetched_now": fetched_now,
            "category_table": MetadataValue.md("\n".join(rows)),
        }
    )


@asset(
    partitions_def=ceremony_years,
    group_name="ceremonies",
    deps=[scraped_ceremony],
    kinds={"imdb", database_kind()},
    owners=OWNERS,
    code_version="1",
    pool="imdb",
    description=describe(
        "The ceremony's nominations matched to IMDb's event page: IMDb film (tt) "
        "and person (nm) ids attached, movies and people created, IMDb-only awards "
        "(Honorary, Hersholt, Thalberg, Sci-Tech) recorded as non-competitive categories."
    ),
)
def imdb_enhanced_nominees(
    context: AssetExecutionContext,
    config: PageConfig,
    imdb: ImdbClient,
    db: DatabaseResource,
) -> MaterializeResult:
    year = parse_year(context.partition_key)
    with db.transaction() as conn:
        try:
            ceremony, nominations = store.read_oscars_nominations(conn, year)
        except store.MissingUpstreamData as exc:
            raise Failure(str(exc), allow_retries=False) from None
    url = imdb.event_url(year)
    page, fetched_now = _page(context, db, imdb, url, config.refresh)
    try:
        edition = parse_event_page(page.body, url=url)
    except ImdbPageError as exc:
        raise _fail_unusable(context.partition_key, exc) from None
    expected = imdb_edition(year)
    if edition.year is not None and (edition.year, edition.instance or 1) != expected:
        raise _fail_unusable(
            context.partition_key,
            UpstreamError(
                f"{url}: the page is IMDb edition {edition.year}/{edition.instance}, expected "
                f"{expected[0]}/{expected[1]}",
                url=url,
            ),
        )
    for category in edition.paginated_categories:
        context.log.warning(f"{url}: IMDb paginates {category!r}; only the first page is read")

    match = match_ceremony(nominations, edition.nominations, awarded=bool(ceremony["awarded"]))
    with db.transaction() as conn:
        written = store.write_imdb_enhancement(conn, year, match, edition, page, url)

    competitive = [m for m in match.matches if classify(m.oscars.category).is_competitive]
    unmatched = [m for m in match.matches if m.status != "matched"]
    table = ["| category | film | nominee | status | why |", "|---|---|---|---|---|"]
    table += [
        f"| {m.oscars.category} | {'; '.join(m.oscars.films) or '-'} | "
        f"{(m.oscars.statement or '-')[:80]} | {m.status} | {(m.reason or '')[:160]} |"
        for m in unmatched
    ]
    conflicts = [m for m in match.matched if m.winner_conflict]
    return MaterializeResult(
        metadata={
            "categories": len({m.oscars.category for m in competitive}),
            "nominations": len(competitive),
            "winners": sum(m.oscars.won for m in competitive),
            "distinct_films": len(written["films"]),
            "distinct_people": len(written["people"]),
            "matched": len(match.matched),
            "unmatched": len(unmatched),
            "match_rate": round(match.match_rate, 4),
            "imdb_only_awards": written["imdb_only"],
            "imdb_oscar_nominations_left_over": len(match.imdb_unassigned),
            "winner_flag_conflicts": len(conflicts),
            "unmatched_nominations": MetadataValue.md(
                "\n".join(table) if unmatched else "Every nomination matched."
            ),
            "imdb_url": MetadataValue.url(url),
            "oscars_url": MetadataValue.url(ceremony["source_url"] or ""),
            "imdb_edition_id": edition.edition_id or "",
            "page_sha256": written["page_sha256"],
            "fetched_now": fetched_now,
            "movie_ids": MetadataValue.json(written["all_films"]),
        }
    )
