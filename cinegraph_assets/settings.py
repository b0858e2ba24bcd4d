"""Every setting of the code location, read once from the environment.

`SETTINGS` is built when the code location is imported; resources, sensors,
schedules and batch code take their values from it, so a setting is defined, typed
and defaulted in exactly one place. Secrets are not values here: they are named in
`SECRETS` and read through Dagster's `EnvVar` by the resources, so they never reach
run config, logs or metadata. README "Configuration" lists every variable below
(a test keeps the two equal).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from urllib.request import getproxies

OWNERS = ["team:cinegraph-data"]

# Read through EnvVar by resources.py, never stored in Settings.
SECRETS = (
    "CINEGRAPH_DATABASE_URL",
    "TMDB_API_KEY",
    "OMDB_API_KEY",
    "CINEGRAPH_RENDER_PROXY",
)


@dataclass(frozen=True)
class Settings:
    """Field name = variable name without the `CINEGRAPH_` prefix, lowercased."""

    data_dir: str = "data"
    export_dir: str = ""  # empty: <data_dir>/exports
    oscars_base_url: str = "https://www.oscars.org"
    imdb_base_url: str = "https://www.imdb.com"
    tmdb_base_url: str = "https://api.themoviedb.org"
    omdb_base_url: str = "https://www.omdbapi.com"
    # The two scraped sites, fleet-wide: the whole history's 98 pages each in 10 s.
    oscars_rate_limit: float = 10.0
    imdb_rate_limit: float = 10.0
    tmdb_rate_limit: float = 40.0
    # OMDb publishes no per-second limit. One call per film on each API: at TMDb's rate,
    # OMDb keeps pace with it (at 30/s it set the pace of a run of batches, not TMDb).
    omdb_rate_limit: float = 40.0
    omdb_quota_retry_seconds: float = 3600.0
    # Every upstream request: the seconds a connection or a read may take before the
    # attempt counts as failed (transient, so retried).
    http_timeout_seconds: float = 30.0
    # Attempts of one request and the first retry's wait (doubling, with jitter). The
    # scraped pages (oscars.org, IMDb) are asked fewer times, further apart, than the
    # two APIs (TMDb, OMDb).
    api_max_attempts: int = 5
    api_backoff_seconds: float = 1.0
    page_max_attempts: int = 4
    page_backoff_seconds: float = 2.0
    omdb_daily_quota: int = 1000
    omdb_refresh_ceremonies: int = 3
    year_batch_size: int = 20
    # Years of a batch handled at once: one's page arrives while another is matched.
    year_fetch_concurrency: int = 2
    # 250 measured best on the whole Oscar history (100: 604 s, 250: 454 s, 500: 474 s;
    # again on later code, 250: 301-319 s, 500: 318 s with the same CPU): a shorter tail
    # than 500 (the last batch's steps run alone), small enough for the splitter.
    movie_batch_size: int = 250
    movie_fetch_concurrency: int = 8
    # collaborations asks no upstream: its threads only hide database round trips, and
    # each keeps a PostgreSQL backend busy. Eight of them on two cores took CPU from the
    # TMDb writes' IDENTITY section, which every TMDb write waits for.
    collaboration_concurrency: int = 2
    movie_retry_delay_seconds: float = 30.0
    # 1: the code server spawns each run's process as Dagster does, instead of forking
    # it from a process that has imported the code location (runtime/warm_runs.py).
    spawn_runs: bool = False
    # A year's films wait for the next tick: 15 s, not 30, once cost half as long at the
    # start of a backfill; a tick with nothing new reads one cursor per source.
    movie_sensor_interval_seconds: int = 15
    ceremony_sensor_interval_seconds: int = 3600
    # Festivals publish line-ups weeks before their prizes: look hourly, one page per body.
    edition_sensor_interval_seconds: int = 3600
    award_bodies_file: str = ""  # empty: cinegraph_assets/awards/bodies.toml
    min_match_rate: float = 0.90
    sample_data: bool = False
    # Derived from CINEGRAPH_DATABASE_URL (a secret): only which kind it is.
    database_kind: str = field(default="sqlite", metadata={"derived": True})

    @staticmethod
    def variable(field_name: str) -> str:
        return "CINEGRAPH_" + field_name.upper()

    @classmethod
    def _settable(cls):
        return [f for f in fields(cls) if not f.metadata.get("derived")]

    @classmethod
    def variables(cls) -> list[str]:
        return [cls.variable(f.name) for f in cls._settable()]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        url = env.get("CINEGRAPH_DATABASE_URL") or ""
        values: dict = {"database_kind": "postgres" if url.startswith("postgres") else "sqlite"}
        for f in cls._settable():
            name = cls.variable(f.name)
            raw = env.get(name)
            if raw in (None, ""):
                continue
            kind = type(f.default)
            try:
                values[f.name] = raw.strip() == "1" if kind is bool else kind(raw)
            except ValueError:
                raise ValueError(
                    f"{name}={raw!r} is not a valid {kind.__name__} (see README: Configuration)"
                ) from None
        return cls(**values)

    @property
    def resolved_export_dir(self) -> str:
        return self.export_dir or os.path.join(self.data_dir, "exports")


SETTINGS = Settings.from_env()

# Dagster writes a run's events in batches only where this is set in the process that
# writes them (the run worker, the daemon creating runs); instance_storage.py applies it
# wherever the project's storage loads, unless a deployment chose its own value.
DAGSTER_EVENT_BATCH_SIZE = "1000"


def environment_configures_requests() -> bool:
    """Whether the environment holds anything the requests library takes from it: a
    proxy, a CA bundle, a netrc file (the upstream clients' sessions read it only then)."""
    netrc = os.environ.get("NETRC") or os.path.expanduser("~/.netrc")
    return bool(
        getproxies()
        or os.environ.get("REQUESTS_CA_BUNDLE")
        or os.environ.get("CURL_CA_BUNDLE")
        or os.path.exists(netrc)
        or os.path.exists(os.path.expanduser("~/_netrc"))
    )


def apply_dagster_event_batching() -> None:
    os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", DAGSTER_EVENT_BATCH_SIZE)


def dagster_home() -> str | None:
    """The Dagster instance's directory (DAGSTER_HOME), where a process has one: Dagster's
    own variable, read here like every other (runtime/preloaded.py)."""
    return os.environ.get("DAGSTER_HOME") or None
