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
