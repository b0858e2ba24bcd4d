"""A film's OMDb answer as the OMDb unit fetched it and the store writes it: its own
module because both units.py (which builds it) and omdb_store.py (which takes it) use
it, and units.py imports the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cinegraph_assets.movies.omdb_metrics import Metric


@dataclass(frozen=True)
class OmdbRecord:
    data: dict[str, Any] | None  # None: OMDb does not know the film
    metrics: list[Metric]
    fetched_at: datetime
    reason: str = ""
