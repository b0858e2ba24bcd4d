"""Resources, built once from the settings (see README: Configuration)."""

from __future__ import annotations

import os

from dagster import EnvVar

from cinegraph_assets.ceremonies.imdb_client import ImdbClient
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.db.engine import default_sqlite_url
from cinegraph_assets.movies.omdb_client import OmdbClient
from cinegraph_assets.settings import SETTINGS, Settings
from cinegraph_assets.tmdb.client import TmdbClient


def _secret(name: str) -> EnvVar | str:
    # EnvVar keeps the value out of run config and the UI; unset means "not configured".
    return EnvVar(name) if os.environ.get(name) else ""


def build_resources(settings: Settings = SETTINGS) -> dict[str, object]:
    database_url = _secret("CINEGRAPH_DATABASE_URL")
    render_proxy = _secret("CINEGRAPH_RENDER_PROXY")
    # Every run process draws its request rates from one budget in the data database.
    budget = database_url or default_sqlite_url(settings.data_dir)
    return {
        "db": DatabaseResource(url=database_url, data_dir=settings.data_dir),
        "oscars": OscarsClient(
            base_url=settings.oscars_base_url,
            render_proxy=render_proxy,
            requests_per_second=settings.oscars_rate_limit,
            budget_url=budget,
        ),
        "imdb": ImdbClient(
            base_url=settings.imdb_base_url,
            render_proxy=render_proxy,
            requests_per_second=settings.imdb_rate_limit,
            budget_url=budget,
        ),
        "tmdb": TmdbClient(
            base_url=settings.tmdb_base_url,
            api_key=_secret("TMDB_API_KEY"),
            requests_per_second=settings.tmdb_rate_limit,
            budget_url=budget,
        ),
        "omdb": OmdbClient(
            base_url=settings.omdb_base_url,
            api_key=_secret("OMDB_API_KEY"),
            requests_per_second=settings.omdb_rate_limit,
            quota_retry_seconds=settings.omdb_quota_retry_seconds,
            budget_url=budget,
        ),
    }
