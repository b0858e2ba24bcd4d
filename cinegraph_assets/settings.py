"""Environment-driven settings shared by the definitions (read once at load time)."""

from __future__ import annotations

import os

OWNERS = ["team:cinegraph-data"]


def database_kind() -> str:
    url = os.environ.get("CINEGRAPH_DATABASE_URL", "")
    return "postgres" if url.startswith("postgres") else "sqlite"


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


SAMPLE_MODE = os.environ.get("CINEGRAPH_SAMPLE_DATA") == "1"
SAMPLE_NOTICE = (
    "**SAMPLE DATA** — this code location reads the bundled local sample upstream "
    "(recorded-format pages and API answers for ceremonies 2023-2026), not oscars.org, "
    "IMDb, TMDb or OMDb. See README: 'Switching to the real sources'.\n\n"
)


def describe(text: str) -> str:
    """An asset description, flagged when the quickstart runs on sample data."""
    return SAMPLE_NOTICE + text if SAMPLE_MODE else text
