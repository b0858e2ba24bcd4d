"""The Dagster code location: `cinegraph_assets.definitions:defs`."""

from collections.abc import Callable, Sequence

from dagster import (
    AllPartitionMapping,
    AssetDep,
    AssetKey,
    AssetSelection,
    AssetSpec,
    AutomationConditionSensorDefinition,
    DefaultSensorStatus,
    Definitions,
    in_process_executor,
)

from cinegraph_assets.awards.assets import body_asset
from cinegraph_assets.awards.jobs import edition_job
from cinegraph_assets.awards.registry import AwardBody, configured_bodies
from cinegraph_assets.awards.sensors import edition_sensor
from cinegraph_assets.ceremonies.assets import imdb_enhanced_nominees, scraped_ceremony
from cinegraph_assets.ceremonies.jobs import ceremony_year_job
from cinegraph_assets.ceremonies.sensors import new_ceremony_sensor
from cinegraph_assets.exports.assets import award_nominations_dataset, oscar_nominations_dataset
from cinegraph_assets.movies.assets import collaborations_asset, omdb_enrichment, tmdb_movies
from cinegraph_assets.movies.jobs import movie_assets_job, omdb_refresh_job
from cinegraph_assets.movies.schedules import omdb_weekly_refresh
from cinegraph_assets.movies.sensors import movie_sensor
from cinegraph_assets.resources import build_resources
from cinegraph_assets.runtime.splitter import batch_splitter
from cinegraph_assets.settings import OWNERS, SETTINGS
from cinegraph_assets.status import ceremony_import_status

SAMPLE_NOTICE = (
    "**SAMPLE DATA** — this code location reads the bundled local sample upstream "
    "(recorded-format pages and API answers), not oscars.org, IMDb, TMDb or OMDb. "
    "See README: 'Switching to the real sources'.\n\n"
)


def project_wide(spec: AssetSpec) -> AssetSpec:
    """What every asset of the project carries: its owners, the database it writes
    to, and (when the quickstart runs on sample data) a notice saying so."""
    spec = spec.merge_attributes(owners=OWNERS, kinds={SETTINGS.database_kind})
    if SETTINGS.sample_data:
        spec = spec.replace_attributes(description=SAMPLE_NOTICE + (spec.description or ""))
    return spec


def nominations_upstream(bodies: Sequence[AwardBody]) -> Callable[[AssetSpec], AssetSpec]:
    """tmdb_movies depends on every partition of the Oscar years' asset and of each
    body's asset: each year or edition may bring any movie. The dependency is explicit
    (Dagster would otherwise silently map partitions by identity), and which year or
    edition brought which movie is recorded in the database (festival_nomination_movies)
    and in each movie's metadata (nominated_at). Wired here, where both domains meet, so
    that neither imports the other."""
    sources = [imdb_enhanced_nominees.key, *(AssetKey(b.asset_name) for b in bodies)]
    deps = [AssetDep(key, partition_mapping=AllPartitionMapping()) for key in sources]

    def wire(spec: AssetSpec) -> AssetSpec:
        return spec.merge_attributes(deps=deps) if spec.key == tmdb_movies.key else spec

    return wire


automation_sensor = AutomationConditionSensorDefinition(
    "cinegraph_automation",
    target=AssetSelection.all(),
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates the assets' automation conditions (ceremony_import_status every "
    "15 minutes, the dataset export after imports).",
)

BODIES = configured_bodies()
movie_partitions_sensor = movie_sensor([AssetKey(body.asset_name) for body in BODIES])
_wire_nominations = nominations_upstream(BODIES)

defs = (
    Definitions(
        assets=[
            scraped_ceremony,
            imdb_enhanced_nominees,
            *(body_asset(body) for body in BODIES),
            tmdb_movies,
            omdb_enrichment,
            collaborations_asset,
            ceremony_import_status,
            oscar_nominations_dataset,
            award_nominations_dataset,
        ],
        jobs=[
            ceremony_year_job,
            *(edition_job(body) for body in BODIES),
            movie_assets_job,
            omdb_refresh_job,
        ],
        sensors=[
            new_ceremony_sensor,
            edition_sensor(BODIES),
            movie_partitions_sensor,
            batch_splitter,
            automation_sensor,
        ],
        schedules=[omdb_weekly_refresh],
        resources=build_resources(),
        # Steps of these runs are short and sequential; a process per step would cost
        # more than the step itself.
        executor=in_process_executor,
    )
    # One pass over the specs: the cross-domain wiring, then what every asset carries.
    .map_asset_specs(func=lambda spec: project_wide(_wire_nominations(spec)))
)
