"""Registers the editions of every enabled award body and re-fetches unawarded ones.

One page per body and tick: IMDb answers an event's own address with its latest
edition's page, whose `historyEventEditions` lists every edition. The first tick of a
body registers its editions without running them (a whole history is one backfill in
the UI); later a new edition is added and run, and an edition stored without a winner
(a festival line-up published before its prizes) is fetched again every interval until
IMDb adds the winners, for editions of this or last year.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timezone

from dagster import (
    DefaultSensorStatus,
    RunConfig,
    RunRequest,
    SensorDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from cinegraph_assets.awards import store
from cinegraph_assets.awards.editions import Edition, editions_of, sort_keys
from cinegraph_assets.awards.jobs import edition_job
from cinegraph_assets.awards.registry import AwardBody
from cinegraph_assets.ceremonies.assets import PageConfig
from cinegraph_assets.ceremonies.imdb_client import ImdbClient
from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.http import UpstreamError
from cinegraph_assets.settings import SETTINGS, Settings

# Older editions without winners never get any (Cannes 1968): not fetched again.
AWAITING_YEARS = 2


def published_editions(imdb: ImdbClient, body: AwardBody) -> list[str]:
    """Edition keys of the body on IMDb from its first imported year, oldest first."""
    url = imdb.event_root_url(body.imdb_event_id)
    page = imdb.fetch_page(url)
    latest = parse_event_page(page.body, url=url, expected_event=body.imdb_event_id)
    found = {(y, i) for y, i, _ in latest.history}
    if latest.year:
        found.add((latest.year, latest.instance or 1))
    return sort_keys(Edition(y, i).key for y, i in found if y >= body.first_edition)


def _refresh(body: AwardBody) -> RunConfig:
    return RunConfig(ops={body.asset_name: PageConfig(refresh=True)})


def _awaiting(db: DatabaseResource, body: AwardBody, today: date) -> list[str]:
    with db.transaction() as conn:
        waiting = store.editions_awaiting_winners(conn, body, today.year - AWAITING_YEARS + 1)
    return [e.key for e in waiting]


def _body_tick(
    context, body: AwardBody, imdb: ImdbClient, db: DatabaseResource, initialized: bool
) -> tuple[list, list[RunRequest]]:
    """(partition additions, run requests) of one body; raises when its editions
    cannot be read."""
    partitions = editions_of(body)
    published = published_editions(imdb, body)
    known = set(context.instance.get_dynamic_partitions(partitions.name))
    new = [k for k in published if k not in known]
    additions = [partitions.build_add_request(new)] if new else []
    target = {"job_name": edition_job(body).name, "run_config": _refresh(body)}
    requests = []
    if initialized:
        requests += [
            RunRequest(partition_key=k, run_key=f"edition:{body.key}:{k}", **target) for k in new
        ]
    bucket = datetime.now(timezone.utc).strftime("%Y%m%d%H%M")
    requests += [
        RunRequest(partition_key=k, run_key=f"awaiting-winners:{body.key}:{k}:{bucket}", **target)
        for k in _awaiting(db, body, datetime.now(timezone.utc).date())
        if k in known
    ]
    return additions, requests


def edition_sensor(bodies: Sequence[AwardBody], settings: Settings = SETTINGS) -> SensorDefinition:
    enabled = [b for b in bodies if b.enabled]

    @sensor(
        name="award_editions_sensor",
        jobs=[edition_job(b) for b in bodies],
        minimum_interval_seconds=settings.edition_sensor_interval_seconds,
        default_status=DefaultSensorStatus.RUNNING,
        description="For every enabled award body (awards/bodies.toml), reads the editions "
        "IMDb lists (one page per body) and adds new ones as partitions of "
        "`<key>_nominations`; the first tick registers them without running, later a new "
        "edition is run, and an edition of this or last year without a winner is fetched "
        "again every interval until its winners appear.",
    )
    def award_editions_sensor(
        context: SensorEvaluationContext, imdb: ImdbClient, db: DatabaseResource
    ) -> SensorResult:
        initialized = set(json.loads(context.cursor or "[]"))
        additions, requests, problems = [], [], []
        for body in enabled:
            try:
                added, requested = _body_tick(context, body, imdb, db, body.key in initialized)
            except (UpstreamError, ImdbPageError) as exc:
                problems.append(f"{body.key}: {exc}")
                continue
            additions += added
            requests += requested
            initialized.add(body.key)
        for problem in problems:
            context.log.warning(f"could not read the editions of {problem}")
        cursor = json.dumps(sorted(initialized))
        if not additions and not requests:
            unreadable = f" ({len(problems)} unreadable)" if problems else ""
            return SensorResult(
                cursor=cursor,
                skip_reason=SkipReason(f"no new editions of {len(enabled)} bodies{unreadable}"),
            )
        context.log.info(
            f"editions added: {sum(len(a.partition_keys) for a in additions)}; "
            f"runs requested: {len(requests)}"
        )
        return SensorResult(
            run_requests=requests, dynamic_partitions_requests=additions, cursor=cursor
        )

    return award_editions_sensor
