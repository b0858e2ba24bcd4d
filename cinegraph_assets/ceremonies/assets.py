"""Ceremony-year assets: fetch -> parse -> match -> write, one transaction per year.

A bulk backfill of years runs as ranged runs (CINEGRAPH_YEAR_BATCH_SIZE years per
run); inside one, every year is its own unit, materialization and check evaluations
(runtime/batches.py, the units in units.py), so one broken year never holds back
the others.
"""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    Backoff,
    Config,
    Jitter,
    RetryPolicy,
    asset,
)
from pydantic import Field

from cinegraph_assets.ceremonies import checks
from cinegraph_assets.ceremonies.imdb_client import ImdbClient
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.ceremonies.partitions import ceremony_years
from cinegraph_assets.ceremonies.units import ImdbMatchWork, ScrapedWork
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.runtime.batches import run_partitions
from cinegraph_assets.settings import Settings

# A step that still fails after the per-request retries (a long 5xx spell, the
# database restarting) is tried again; a page that is not a ceremony page is not.
RETRY = RetryPolicy(max_retries=2, delay=20, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS)


class PageConfig(Config):
    refresh: bool = Field(
        default=False,
        description="Fetch the page again. By default a page fetched before is re-parsed "
        "from the copy stored in the database.",
    )


def _shared(settings: Settings) -> dict:
    """Ranged backfill runs of CINEGRAPH_YEAR_BATCH_SIZE years, step retries."""
    return {
        "partitions_def": ceremony_years,
        "group_name": "ceremonies",
        "code_version": "3",
        "backfill_policy": BackfillPolicy.multi_run(
            max_partitions_per_run=settings.year_batch_size
        ),
        "retry_policy": RETRY,
    }


def build_scraped_ceremony(settings: Settings) -> AssetsDefinition:
    concurrency = settings.year_fetch_concurrency

    @asset(
        kinds={"oscars.org"},
        pool="oscars",
        check_specs=[c.spec("scraped_ceremony") for c in checks.SCRAPED_CHECKS],
        description="The official list of a ceremony's competitive categories, nominees "
        "and winners, scraped from oscars.org/oscars/ceremonies/{year} and written to the "
        "festival_* tables as printed.",
        **_shared(settings),
    )
    def scraped_ceremony(
        context: AssetExecutionContext,
        config: PageConfig,
        oscars: OscarsClient,
        db: DatabaseResource,
    ):
        work = ScrapedWork(oscars, db, config.refresh, context.log)
        yield from run_partitions(context, db, work, concurrency=concurrency)

    return scraped_ceremony


def build_imdb_enhanced_nominees(settings: Settings) -> AssetsDefinition:
    concurrency, min_match_rate = settings.year_fetch_concurrency, settings.min_match_rate

    @asset(
        deps=[AssetKey("scraped_ceremony")],
        kinds={"imdb"},
        pool="imdb",
        check_specs=[c.spec("imdb_enhanced_nominees") for c in checks.IMDB_CHECKS],
        description="The ceremony's nominations matched to IMDb's event page: IMDb film "
        "(tt) and person (nm) ids attached, movies and people created, IMDb-only awards "
        "(Honorary, Hersholt, Thalberg, Sci-Tech) recorded as non-competitive categories.",
        **_shared(settings),
    )
    def imdb_enhanced_nominees(
        context: AssetExecutionContext, config: PageConfig, imdb: ImdbClient, db: DatabaseResource
    ):
        work = ImdbMatchWork(imdb, db, config.refresh, context.log, min_match_rate)
        yield from run_partitions(context, db, work, concurrency=concurrency)

    return imdb_enhanced_nominees
