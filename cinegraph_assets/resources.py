"""Resources built from the environment (see README: Configuration)."""

from __future__ import annotations

import os

from dagster import EnvVar

from cinegraph_assets.ceremonies.imdb_client import ImdbClient
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.db import DatabaseResource


def _secret(name: str) -> EnvVar | str:
    # EnvVar keeps the value out of run config and the UI; unset means "not configured".
    return EnvVar(name) if os.environ.get(name) else ""


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def build_resources() -> dict[str, object]:
    render_proxy = _secret("CINEGRAPH_RENDER_PROXY")
    return {
        "db": DatabaseResource(url=_secret("CINEGRAPH_DATABASE_URL"),
                               data_dir=_env("CINEGRAPH_DATA_DIR", "")),
        "oscars": OscarsClient(base_url=_env("CINEGRAPH_OSCARS_BASE_URL", "https://www.oscars.org"),
                               render_proxy=render_proxy),
        "imdb": ImdbClient(base_url=_env("CINEGRAPH_IMDB_BASE_URL", "https://www.imdb.com"),
                           render_proxy=render_proxy),
    }
