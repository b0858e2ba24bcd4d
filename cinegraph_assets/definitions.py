"""The Dagster code location: `cinegraph_assets.definitions:defs`, built by
`build_definitions` from the process's Settings. The one place where the domains meet:
the movie assets' upstreams and the movie sensor's sources are wired here."""

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
from cinegraph_assets.awards.checks import MATCHES_PAGE
from cinegraph_assets.awards.jobs import edition_job
from cinegraph_assets.awards.registry import AwardBody, load_bodies
from cinegraph_assets.awards.sensors import edition_sensor
from cinegraph_assets.ceremonies.assets import build_imdb_enhanced_nominees, build_scraped_ceremony
from cinegraph_assets.ceremonies.checks import MATCH_RATE
from cinegraph_assets.ceremonies.jobs import ceremony_year_job
from cinegraph_assets.ceremonies.partitions import ceremony_years
from cinegraph_assets.ceremonies.sensors import build_new_ceremony_sensor
from cinegraph_assets.exports.assets import award_nominations_dataset, oscar_nominations_dataset
from cinegraph_assets.movies.assets import build_movie_assets
from cinegraph_assets.movies.jobs import movie_assets_job, omdb_refresh_job
from cinegraph_assets.movies.partitions import movies
from cinegraph_assets.movies.schedules import build_omdb_weekly_refresh
from cinegraph_assets.movies.sensors import movie_sensor
from cinegraph_assets.resources import build_resources
from cinegraph_assets.runtime import pool_wait, warm_runs
from cinegraph_assets.runtime.splitter import SplitTarget, build_batch_splitter
from cinegraph_assets.settings import OWNERS, SETTINGS, Settings
from cinegraph_assets.status import ceremony_import_status

SAMPLE_NOTICE = (
    "**SAMPLE DATA** — this code location reads the bundled local sample upstream "
    "(recorded-format pages and API answers), not oscars.org, IMDb, TMDb or OMDb. "
    "See README: 'Switching to the real sources'.\n\n"
)


def project_wide(settings: Settings) -> Callable[[AssetSpec], AssetSpec]:
    """What every asset of the project carries: its owners, the database it writes
    to, and (when the quickstart runs on sample data) a notice saying so."""

    def apply(spec: AssetSpec) -> AssetSpec:
        spec = spec.merge_attributes(owners=OWNERS, kinds={settings.database_kind})
        if settings.sample_data:
            spec = spec.replace_attributes(description=SAMPLE_NOTICE + (spec.description or ""))
        return spec

    return apply


# The Oscar years' asset, whose partitions bring films as each body's do.
_YEAR_ASSET = AssetKey("imdb_enhanced_nominees")
# Assets downstream of every award body's asset (beyond their own upstreams).
_AFTER_EVERY_BODY = {AssetKey(k) for k in ("award_nominations_dataset", "ceremony_import_status")}


def nominations_upstream(bodies: Sequence[AwardBody]) -> Callable[[AssetSpec], AssetSpec]:
    """tmdb_movies depends on every partition of the Oscar years' asset and of each
    body's asset: each year or edition may bring any movie. The dependency is explicit
    (Dagster would otherwise silently map partitions by identity), and which year or
    edition brought which movie is recorded in the database (festival_nomination_movies)
    and in each movie's metadata (nominated_at). Wired here, where both domains meet, so
    that neither imports the other; the award dataset and the status asset get every
    body's asset the same way."""
    year = AssetDep(_YEAR_ASSET, partition_mapping=AllPartitionMapping())
    each_body = [
        AssetDep(AssetKey(b.asset_name), partition_mapping=AllPartitionMapping()) for b in bodies
    ]

    def wire(spec: AssetSpec) -> AssetSpec:
        if spec.key == AssetKey("tmdb_movies"):
            return spec.merge_attributes(deps=[year, *each_body])
        if spec.key in _AFTER_EVERY_BODY:
            return spec.merge_attributes(deps=each_body)
        return spec

    return wire


def movie_sources(bodies: Sequence[AwardBody]) -> dict[AssetKey, set[str]]:
    """The assets whose partitions bring films to the movie sensor, with the checks a
    partition must have passed in the run that materialized it: the Oscar years' match
    rate, each body's edition-matches-page. Named here, where both domains meet, so that
    the movie sensor imports neither."""
    return {
        _YEAR_ASSET: {MATCH_RATE.name},
        **{AssetKey(body.asset_name): {MATCHES_PAGE.name} for body in bodies},
    }


automation_sensor = AutomationConditionSensorDefinition(
    "cinegraph_automation",
    target=AssetSelection.all(),
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates the assets' automation conditions (ceremony_import_status every "
    "15 minutes, the dataset export after imports).",
)


def split_targets(settings: Settings) -> list[SplitTarget]:
    """The jobs whose failed ranged runs the batch splitter finishes, with their
    partitions and the size of their backfill runs."""
    return [
        SplitTarget(ceremony_year_job, ceremony_years, settings.year_batch_size),
        SplitTarget(movie_assets_job, movies, settings.movie_batch_size),
        SplitTarget(omdb_refresh_job, movies, settings.movie_batch_size),
    ]


def build_definitions(settings: Settings) -> Definitions:
    """The code location for these settings: they decide its shape (which award bodies,
    batch sizes, sensor intervals) and its resources."""
    bodies = load_bodies(settings.award_bodies_file or None)
    wire, common = nominations_upstream(bodies), project_wide(settings)
    return Definitions(
        assets=[
            build_scraped_ceremony(settings),
            build_imdb_enhanced_nominees(settings),
            *(body_asset(body, settings) for body in bodies),
            *build_movie_assets(settings),
            ceremony_import_status,
            oscar_nominations_dataset,
            award_nominations_dataset,
        ],
        jobs=[
            ceremony_year_job,
            *(edition_job(body) for body in bodies),
            movie_assets_job,
            omdb_refresh_job,
        ],
        sensors=[
            build_new_ceremony_sensor(settings),
            edition_sensor(bodies, settings),
            movie_sensor(movie_sources(bodies), settings),
            build_batch_splitter(split_targets(settings), settings.movie_sensor_interval_seconds),
            automation_sensor,
        ],
        schedules=[build_omdb_weekly_refresh(settings)],
        resources=build_resources(settings),
        # Steps of these runs are short and sequential; a process per step would cost
        # more than the step itself.
        executor=in_process_executor,
        # One pass over the specs: the cross-domain wiring, then what every asset carries.
    ).map_asset_specs(func=lambda spec: common(wire(spec)))


# Every process that runs steps loads this module: a step waiting for a pool slot
# sleeps there instead of spinning (runtime/pool_wait.py).
pool_wait.apply()
# The code server forks each run's process from one that has imported this module, not
# a fresh interpreter (runtime/warm_runs.py).
if not SETTINGS.spawn_runs:
    warm_runs.apply()

# The only definitions built at import: the asset, sensor and schedule modules build
# none of their own, so loading the code location builds each definition once.
defs = build_definitions(SETTINGS)
