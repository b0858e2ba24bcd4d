"""Resources built from the environment (see README: Configuration)."""

from __future__ import annotations

import os

from dagster import EnvVar

from cinegraph_assets.ceremonies.imdb_client import ImdbClient
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.movies.omdb_client import OmdbClient
from cinegraph_assets.movies.tmdb_client import TmdbClient
from cinegraph_assets.settings import env_float


def _secret(name: str) -> EnvVar | str:
    # EnvVar keeps the value out of run config and the UI; unset means "not configured".
    return EnvVar(name) if os.environ.get(name) else ""


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def build_resources() -> dict[str, object]:
    render_proxy = _secret("CINEGRAPH_RENDER_PROXY")
    return {
        "db": DatabaseResource(
            url=_secret("CINEGRAPH_DATABASE_URL"), data_dir=_env("CINEGRAPH_DATA_DIR", "")
        ),
        "oscars": OscarsClient(
            base_url=_env("CINEGRAPH_OSCARS_BASE_URL", "https://www.oscars.org"),
            render_proxy=render_proxy,
        ),
        "imdb": ImdbClient(
            base_url=_env("CINEGRAPH_IMDB_BASE_URL", "https://www.imdb.com"),
            render_proxy=render_proxy,
        ),
        "tmdb": TmdbClient(
            base_url=_env("CINEGRAPH_TMDB_BASE_URL", "https://api.themoviedb.org"),
            api_key=_secret("TMDB_API_KEY"),
            requests_per_second=env_float("CINEGRAPH_TMDB_RATE_LIMIT", 40.0),
        ),
        "omdb": OmdbClient(
            base_url=_env("CINEGRAPH_OMDB_BASE_URL", "https://www.omdbapi.com"),
            api_key=_secret("OMDB_API_KEY"),
            requests_per_second=env_float("CINEGRAPH_OMDB_RATE_LIMIT", 10.0),
            quota_retry_seconds=env_float("CINEGRAPH_OMDB_QUOTA_RETRY_SECONDS", 3600),
        ),
    }
