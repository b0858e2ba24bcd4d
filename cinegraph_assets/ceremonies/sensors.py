"""Notices new ceremonies on oscars.org and re-requests years awaiting their winners."""

from datetime import datetime, timezone

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
from sqlalchemy import and_, select

from cinegraph_assets.ceremonies.assets import PageConfig
from cinegraph_assets.ceremonies.jobs import ceremony_year_job
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.ceremonies.oscars_parser import CeremonyPageError, parse_ceremony_page
from cinegraph_assets.ceremonies.partitions import ceremony_years, known_ceremony_years
from cinegraph_assets.ceremonies.store import organization_id
from cinegraph_assets.db import DatabaseResource, table
from cinegraph_assets.http import UpstreamError
from cinegraph_assets.settings import Settings

_REFRESH = RunConfig(
    ops={
        "scraped_ceremony": PageConfig(refresh=True),
        "imdb_enhanced_nominees": PageConfig(refresh=True),
    }
)


def _awaiting_winners(db: DatabaseResource) -> list[int]:
    """The Academy's ceremonies stored without winners (other bodies: awards/sensors.py)."""
    with db.transaction() as conn:
        c = table(conn, "festival_ceremonies")
        return list(
            conn.execute(
                select(c.c.year).where(
                    and_(
                        c.c.organization_id == organization_id(conn),
                        c.c.awarded.is_(False),
                        c.c.source_url.is_not(None),
                    )
                )
            ).scalars()
        )


def _published_years(
    context: SensorEvaluationContext, oscars: OscarsClient, probe: int
) -> set[str]:
    """Years oscars.org links to from a ceremony page, plus the next year once its page
    exists; a page listing no nominations yet does not count."""
    years: set[str] = set()
    try:
        years = {str(y) for y in oscars.ceremony_years(probe)}
    except UpstreamError as exc:
        context.log.warning(f"could not read the ceremony list from oscars.org: {exc}")
    candidate = max([probe, *(int(y) for y in years)]) + 1
    if _has_nominations(oscars, candidate):
        years.add(str(candidate))
    return years


def _has_nominations(oscars: OscarsClient, year: int) -> bool:
    url = oscars.ceremony_url(year)
    try:
        parse_ceremony_page(oscars.fetch_page(url).body, url=url, year=year)
        return True
    except (UpstreamError, CeremonyPageError):
        return False


def _new_ceremony_tick(
    context: SensorEvaluationContext, oscars: OscarsClient, db: DatabaseResource
) -> SensorResult:
    known = set(context.instance.get_dynamic_partitions(ceremony_years.name))
    expected = set(known_ceremony_years())
    probe = max(int(y) for y in known | expected)
    published = _published_years(context, oscars, probe)
    new_years = sorted((expected | published) - known, key=int)
    requests: list[RunRequest] = []
    if context.cursor is not None:
        # After the first tick, a year that was not there before is a new ceremony.
        requests += [
            RunRequest(partition_key=y, run_key=f"ceremony:{y}", run_config=_REFRESH)
            for y in new_years
            if y in published and (y in expected or _has_nominations(oscars, int(y)))
        ]
    # Until the winners are announced, look again every interval.
    bucket = datetime.now(timezone.utc).strftime("%Y%m%d%H%M")
    for year in _awaiting_winners(db):
        if str(year) in known:
            requests.append(
                RunRequest(
                    partition_key=str(year),
                    run_config=_REFRESH,
                    run_key=f"awaiting-winners:{year}:{bucket}",
                )
            )
    if not new_years and not requests:
        return SensorResult(
            cursor="initialized", skip_reason=SkipReason(f"{len(known)} ceremonies known, none new")
        )
    context.log.info(
        f"new ceremony years: {', '.join(new_years) or 'none'}; runs requested: {len(requests)}"
    )
    return SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[ceremony_years.build_add_request(new_years)]
        if new_years
        else [],
        cursor="initialized",
    )


def build_new_ceremony_sensor(settings: Settings) -> SensorDefinition:
    return sensor(
        name="new_ceremony_sensor",
        job=ceremony_year_job,
        minimum_interval_seconds=settings.ceremony_sensor_interval_seconds,
        default_status=DefaultSensorStatus.RUNNING,
        description="Reads the ceremony years oscars.org links to; adds a partition for a new "
        "ceremony (the 99th, 2027, appears when its nominations are announced) and requests "
        "its run; re-requests a year marked 'not yet awarded' each interval until the "
        "winners appear. The first tick registers the existing years without running them.",
    )(_new_ceremony_tick)
