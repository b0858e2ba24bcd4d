"""Ceremony-year assets: fetch -> parse -> match -> write, one transaction per year.

A bulk backfill of years runs as ranged runs (CINEGRAPH_YEAR_BATCH_SIZE years per
run); inside one, every year is its own unit, materialization and check evaluations
(runtime/batches.py, the units in units.py), so one broken year never holds back
the others.
"""

from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    BackfillPolicy,
    Backoff,
    Config,
    Jitter,
    RetryPolicy,
    asset,
)
from pydantic import Field

from cinegraph_assets.ceremonies.imdb_client import ImdbClient
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.ceremonies.partitions import ceremony_years
from cinegraph_assets.ceremonies.units import ImdbMatchWork, ScrapedWork
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.runtime.batches import run_partitions
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


_ODD_CONTENT = (
    "WARN: what the {page} holds that is odd but plausible (an empty category, a "
    "nomination naming nobody, {more}); the year goes through and fans out all the same. "
    "Listed in the metadata and counted in ceremony_import_status."
)


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
    work = ScrapedWork(oscars, db, config.refresh, context.log)
    yield from run_partitions(context, db, work, concurrency=SETTINGS.year_fetch_concurrency)


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
    work = ImdbMatchWork(imdb, db, config.refresh, context.log)
    yield from run_partitions(context, db, work, concurrency=SETTINGS.year_fetch_concurrency)
