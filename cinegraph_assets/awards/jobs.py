"""One job per award body: its edition runs, from the edition sensor and by hand.

Dagster runs only assets of one partitioning together, so each body's asset has a job
of its own; the sensor's run requests name it.
"""

from __future__ import annotations

from functools import cache

from dagster import AssetKey, define_asset_job

from cinegraph_assets.awards.registry import AwardBody


@cache
def edition_job(body: AwardBody):
    return define_asset_job(
        f"{body.key}_editions_job",
        selection=[AssetKey(body.asset_name)],
        description=f"The {body.name} editions (IMDb event {body.imdb_event_id}) with checks.",
    )
