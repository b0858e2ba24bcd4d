"""The Dagster code location: `cinegraph_assets.definitions:defs`."""

from dagster import Definitions

from cinegraph_assets.ceremonies.assets import imdb_enhanced_nominees, scraped_ceremony
from cinegraph_assets.ceremonies.jobs import ceremony_year_job
from cinegraph_assets.ceremonies.sensors import new_ceremony_sensor
from cinegraph_assets.movies.assets import collaborations_asset, omdb_enrichment, tmdb_movies
from cinegraph_assets.movies.jobs import movie_assets_job, omdb_refresh_job
from cinegraph_assets.movies.sensors import movie_batch_splitter, movie_partitions_sensor
from cinegraph_assets.resources import build_resources

defs = Definitions(
    assets=[scraped_ceremony, imdb_enhanced_nominees, tmdb_movies, omdb_enrichment,
            collaborations_asset],
    jobs=[ceremony_year_job, movie_assets_job, omdb_refresh_job],
    sensors=[new_ceremony_sensor, movie_partitions_sensor, movie_batch_splitter],
    resources=build_resources(),
)
