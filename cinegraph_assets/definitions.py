"""The Dagster code location: `cinegraph_assets.definitions:defs`."""

from __future__ import annotations

from dagster import Definitions

from cinegraph_assets.ceremonies.assets import imdb_enhanced_nominees, scraped_ceremony
from cinegraph_assets.resources import build_resources

defs = Definitions(
    assets=[scraped_ceremony, imdb_enhanced_nominees],
    resources=build_resources(),
)
