"""The Dagster code location: `cinegraph_assets.definitions:defs`."""

from dagster import Definitions, in_process_executor

from cinegraph_assets.ceremonies.assets import imdb_enhanced_nominees, scraped_ceremony
from cinegraph_assets.ceremonies.checks import CEREMONY_CHECKS
from cinegraph_assets.ceremonies.jobs import ceremony_year_job
from cinegraph_assets.ceremonies.sensors import new_ceremony_sensor
from cinegraph_assets.movies.assets import collaborations_asset, omdb_enrichment, tmdb_movies
from cinegraph_assets.movies.jobs import movie_assets_job, omdb_refresh_job
from cinegraph_assets.movies.schedules import omdb_weekly_refresh
from cinegraph_assets.movies.sensors import movie_batch_splitter, movie_partitions_sensor
from cinegraph_assets.resources import build_resources
from cinegraph_assets.status import (
    ceremony_import_status,
    import_status_job,
    import_status_schedule,
)

defs = Definitions(
    assets=[
        scraped_ceremony,
        imdb_enhanced_nominees,
        tmdb_movies,
        omdb_enrichment,
        collaborations_asset,
        ceremony_import_status,
    ],
    asset_checks=CEREMONY_CHECKS,
    jobs=[ceremony_year_job, movie_assets_job, omdb_refresh_job, import_status_job],
    sensors=[new_ceremony_sensor, movie_partitions_sensor, movie_batch_splitter],
    schedules=[omdb_weekly_refresh, import_status_schedule],
    resources=build_resources(),
    # Steps of these runs are short and mostly sequential; a process per step would
    # cost more than the step itself (one-movie runs especially).
    executor=in_process_executor,
)
