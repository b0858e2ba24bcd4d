"""Resources, built once from the settings (see README: Configuration)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from dagster import EnvVar

from cinegraph_assets.ceremonies.imdb_client import ImdbClient
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.db.engine import default_sqlite_url
from cinegraph_assets.movies.omdb_client import OmdbClient
from cinegraph_assets.settings import SETTINGS, Settings
from cinegraph_assets.tmdb.client import TmdbClient


def _secret(name: str, values: Mapping[str, str] | None) -> EnvVar | str:
    if values is not None:
        return values.get(name, "")
    # EnvVar keeps the value out of run config and the UI; unset means "not configured".
    return EnvVar(name) if os.environ.get(name) else ""


def build_resources(
    settings: Settings = SETTINGS,
    *,
    db: DatabaseResource | None = None,
    secrets: Mapping[str, str] | None = None,
    shared_budget: bool = True,
) -> dict[str, object]:
    """The code location's resources, every value taken from `settings`.

    The code location passes the settings alone: each secret (settings.SECRETS) is an
    `EnvVar`, resolved only inside a run, so its value reaches no run config, log or
    metadata; and every client draws its request rate from one budget in the data
    database, shared by the fleet's run processes.

    The tests build theirs here too, to run the clients as production configures them,
    and pass what is theirs: `db`, the test's database; `secrets`, literal values (an
    `EnvVar` outside a run holds the variable's name, and a test's key is in no
    environment); `shared_budget=False`, the per-process budget their clients always
    had (a shared one would add a transaction to the test's database per request).
    """
    database_url = _secret("CINEGRAPH_DATABASE_URL", secrets)
    budget = (database_url or default_sqlite_url(settings.data_dir)) if shared_budget else ""
    shared = {"timeout_seconds": settings.http_timeout_seconds, "budget_url": budget}
    page = {
        **shared,
        "render_proxy": _secret("CINEGRAPH_RENDER_PROXY", secrets),
        "max_attempts": settings.page_max_attempts,
        "backoff_seconds": settings.page_backoff_seconds,
    }
    api = {
        **shared,
        "max_attempts": settings.api_max_attempts,
        "backoff_seconds": settings.api_backoff_seconds,
    }
    return {
        "db": db or DatabaseResource(url=database_url, data_dir=settings.data_dir),
        "oscars": OscarsClient(
            base_url=settings.oscars_base_url,
            requests_per_second=settings.oscars_rate_limit,
            **page,
        ),
        "imdb": ImdbClient(
            base_url=settings.imdb_base_url, requests_per_second=settings.imdb_rate_limit, **page
        ),
        "tmdb": TmdbClient(
            base_url=settings.tmdb_base_url,
            api_key=_secret("TMDB_API_KEY", secrets),
            requests_per_second=settings.tmdb_rate_limit,
            **api,
        ),
        "omdb": OmdbClient(
            base_url=settings.omdb_base_url,
            api_key=_secret("OMDB_API_KEY", secrets),
            requests_per_second=settings.omdb_rate_limit,
            quota_retry_seconds=settings.omdb_quota_retry_seconds,
            **api,
        ),
    }
