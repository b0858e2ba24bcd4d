"""Test helpers: resources pointed at the fixture server, materialization, DB dumps."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import sqlalchemy as sa
import yaml
from dagster import AssetsDefinition, DagsterInstance, RunConfig, SensorDefinition
from sqlalchemy.engine import make_url

from cinegraph_assets.ceremonies.assets import (
    PageConfig,
    build_imdb_enhanced_nominees,
    build_scraped_ceremony,
)
from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.movies.assets import build_movie_assets
from cinegraph_assets.resources import build_resources
from cinegraph_assets.settings import SETTINGS, Settings
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.server import DATA

FIXTURES = Path(__file__).parent / "fixtures"
DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
TRUTH = FIXTURES / "truth" / "oscars-truth-95-98.tsv"
FAST = {"backoff_seconds": 0.01, "max_attempts": 3, "timeout_seconds": 5.0}
# The keys the fixture server accepts by default.
SECRETS = {"TMDB_API_KEY": "test-tmdb-key", "OMDB_API_KEY": "test-omdb-key"}


def upstream_settings(upstream: SampleUpstream, **changes) -> Settings:
    """The default settings pointed at the fixture server, retrying FAST. From the
    defaults, not the environment: a variable set in the shell running the tests
    changes nothing, as it did not when the tests built their own clients."""
    urls = upstream.base_urls()
    return dataclasses.replace(
        Settings(),
        oscars_base_url=urls["oscars"],
        imdb_base_url=urls["imdb"],
        tmdb_base_url=urls["tmdb"],
        omdb_base_url=urls["omdb"],
        http_timeout_seconds=FAST["timeout_seconds"],
        api_max_attempts=FAST["max_attempts"],
        api_backoff_seconds=FAST["backoff_seconds"],
        page_max_attempts=FAST["max_attempts"],
        page_backoff_seconds=FAST["backoff_seconds"],
        **changes,
    )


def resources(
    upstream: SampleUpstream,
    db: DatabaseResource,
    *,
    settings: Settings | None = None,
    secrets: dict[str, str] | None = None,
    **overrides,
) -> dict:
    """The code location's resources (build_resources) against the fixture server and a
    test's database; `secrets` replace the fixture keys, `overrides` whole resources."""
    res = build_resources(
        settings or upstream_settings(upstream),
        db=db,
        secrets={**SECRETS, **(secrets or {})},
        shared_budget=False,
    )
    res.update(overrides)
    return res


def year_config(
    refresh: bool = False, assets=("scraped_ceremony", "imdb_enhanced_nominees")
) -> RunConfig:
    return RunConfig(ops={a: PageConfig(refresh=refresh) for a in assets})


def materialize_year(
    year: str,
    res: dict,
    instance: DagsterInstance,
    *,
    refresh: bool = False,
    raise_on_error: bool = True,
):
    """One run of ceremony_year_job for a year."""
    return materialize_years([year], res, instance, refresh=refresh, raise_on_error=raise_on_error)


def materialize_years(
    years: list[str], res: dict, instance: DagsterInstance, *, refresh=False, **kwargs
):
    """One run of ceremony_year_job over consecutive years (a ranged run)."""
    return run_job(
        "ceremony_year_job", years, res, instance, run_config=year_config(refresh), **kwargs
    )


# Bookkeeping of the pipeline itself, not data: which run wrote what, request budgets.
PIPELINE_STATE = {"schema_migrations", "partition_outcomes", "rate_limits"}


def dump(db: DatabaseResource) -> dict[str, list[tuple]]:
    """Every row of every data table, ordered, for before/after comparisons."""
    out = {}
    with db.transaction() as conn:
        for name in sa.inspect(conn).get_table_names():
            if name in PIPELINE_STATE:
                continue
            t = sa.Table(name, sa.MetaData(), autoload_with=conn)
            order = [c for c in t.primary_key.columns] or list(t.columns)
            out[name] = [tuple(r) for r in conn.execute(sa.select(t).order_by(*order)).all()]
    return out


def truth_rows(ceremony: int) -> list[dict]:
    with TRUTH.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", doublequote=False, escapechar="\\"))
    return [
        {k: v or "" for k, v in r.items()}
        for r in rows
        if r["Ceremony"] == str(ceremony) and r["Class"] not in ("SciTech", "Special")
    ]


def truth_signature(ceremony: int) -> Counter:
    sig: Counter = Counter()
    for r in truth_rows(ceremony):
        sig[
            (
                classify(r["Category"]).canonical_name,
                tuple(sorted(t for t in r["FilmId"].split("|") if t)),
                tuple(sorted(t for t in r["NomineeIds"].split("|") if t.startswith("nm"))),
                r["Winner"] == "True",
            )
        ] += 1
    return sig


def db_signature(
    db: DatabaseResource, year: int, *, canonical: bool = True, competitive_only: bool = True
) -> Counter:
    """(category, film ids, nominee nm ids, won) of every oscars.org nomination of a year."""
    sig: Counter = Counter()
    with db.transaction() as conn:
        rows = conn.execute(
            sa.text(
                """
            SELECT n.id, cat.name, n.won FROM festival_nominations n
            JOIN festival_ceremonies c ON c.id = n.ceremony_id
            JOIN festival_categories cat ON cat.id = n.category_id
            WHERE c.year = :y AND n.source = 'oscars.org'"""
                + (" AND cat.is_competitive" if competitive_only else "")
            ),
            {"y": year},
        ).all()
        films = _links(
            conn,
            "SELECT nm.nomination_id, m.imdb_id FROM festival_nomination_movies nm "
            "JOIN movies m ON m.id = nm.movie_id",
        )
        people = _links(
            conn,
            "SELECT np.nomination_id, p.imdb_id FROM festival_nomination_people np "
            "JOIN people p ON p.id = np.person_id",
        )
    for nid, category, won in rows:
        sig[
            (
                classify(category).canonical_name if canonical else category,
                tuple(sorted(films.get(nid, []))),
                tuple(sorted(people.get(nid, []))),
                bool(won),
            )
        ] += 1
    return sig


def _links(conn, sql: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for nid, value in conn.execute(sa.text(sql)).all():
        out.setdefault(nid, []).append(value)
    return out


def ceremony_films(db: DatabaseResource, year: int) -> list[str]:
    """IMDb ids of every film of a ceremony's nominations (the year-movie relation)."""
    with db.transaction() as conn:
        return list(
            conn.execute(
                sa.text("SELECT imdb_id FROM ceremony_movies WHERE year = :y ORDER BY imdb_id"),
                {"y": year},
            ).scalars()
        )


def outcomes_of(db: DatabaseResource, run_id: str) -> dict[str, dict[str, str]]:
    from cinegraph_assets.runtime import outcomes

    with db.transaction() as conn:
        return outcomes.of_run(conn, run_id)


def scalar(db: DatabaseResource, sql: str, **params):
    with db.transaction() as conn:
        return conn.execute(sa.text(sql), params).scalar()


MOVIE_ERRORS = FIXTURES / "api_errors"


def api_error(name: str):
    """A recorded error response from fixtures/api_errors, as a scripted answer."""
    from cinegraph_dev.sample_upstream import scripted

    spec = json.loads((MOVIE_ERRORS / "responses.json").read_text())[name]
    return scripted(
        spec["status"],
        (MOVIE_ERRORS / spec["body_file"]).read_bytes(),
        **{k.replace("-", "_"): v for k, v in spec.get("headers", {}).items()},
    )


@cache
def year_assets() -> tuple[AssetsDefinition, AssetsDefinition]:
    """scraped_ceremony and imdb_enhanced_nominees from the default Settings, once per
    process and unwired: a test's run holds just the assets it names."""
    return build_scraped_ceremony(SETTINGS), build_imdb_enhanced_nominees(SETTINGS)


@cache
def movie_assets() -> tuple[AssetsDefinition, ...]:
    """tmdb_movies, omdb_enrichment and collaborations, built as year_assets()."""
    return tuple(build_movie_assets(SETTINGS))


def location_sensor(name: str) -> SensorDefinition:
    """A sensor of the code location (definitions.defs), as the daemon evaluates it."""
    from cinegraph_assets.definitions import defs

    return defs.resolve_sensor_def(name)


def run_job(
    job_name: str,
    keys: list[str],
    res: dict,
    instance: DagsterInstance,
    *,
    raise_on_error: bool = True,
    tags: dict | None = None,
    selection=None,
    run_config=None,
):
    """One run of a real job of the code location over keys (a partition, or a range of
    consecutive partitions), as the daemon launches it; `selection` narrows the assets."""
    from dagster import Definitions
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from cinegraph_assets.ceremonies.jobs import ceremony_year_job
    from cinegraph_assets.movies.jobs import movie_assets_job, omdb_refresh_job

    defs = Definitions(
        assets=[*year_assets(), *movie_assets()],
        jobs=[ceremony_year_job, movie_assets_job, omdb_refresh_job],
        resources=res,
    )
    partitions = "ceremony_years" if job_name == "ceremony_year_job" else "movies"
    known = set(instance.get_dynamic_partitions(partitions))
    new = [k for k in keys if k not in known]
    if new:
        instance.add_dynamic_partitions(partitions, new)
    range_tags = (
        {ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]}
        if len(keys) > 1
        else {}
    )
    return defs.resolve_job_def(job_name).execute_in_process(
        instance=instance,
        partition_key=keys[0] if len(keys) == 1 else None,
        tags={**(tags or {}), **range_tags},
        asset_selection=[a.key for a in selection] if selection else None,
        run_config=run_config,
        raise_on_error=raise_on_error,
    )


def materialize_movies(keys: list[str], res: dict, instance: DagsterInstance, **kwargs):
    """One run of movie_assets_job over keys (one partition or a range)."""
    return run_job("movie_assets_job", keys, res, instance, **kwargs)


def partition_metadata(result, asset: str) -> dict[str, dict]:
    out = {}
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == asset:
            out[event.partition] = {k: v.value for k, v in event.materialization.metadata.items()}
    return out


def fixture_expectations(films: list[str]) -> dict[str, int]:
    """Credit and collaboration counts the sample TMDb answers for these films imply."""
    from cinegraph_assets.movies.collaborations import CreditRole, key_people, pairs

    credits, collaboration_pairs = 0, set()
    for imdb_id in films:
        found = json.loads((DATA / f"tmdb/3/find/{imdb_id}.json").read_text())["movie_results"]
        if not found:
            continue
        movie = json.loads((DATA / f"tmdb/3/movie/{found[0]['id']}.json").read_text())
        cast, crew = movie["credits"]["cast"], movie["credits"]["crew"]
        credits += len({c["credit_id"] for c in cast + crew})
        roles = key_people(
            [CreditRole(c["id"], "cast", "Actor", c.get("order")) for c in cast]
            + [CreditRole(c["id"], "crew", c.get("job"), None) for c in crew]
        )
        collaboration_pairs |= {(a, b) for a, b, _ in pairs(roles)}
    return {"credits": credits, "collaborations": len(collaboration_pairs)}


AWARD_FIXTURES = FIXTURES / "award_bodies"


def award_body(key: str):
    """A body of the default registry, or César from the one-entry test registry."""
    from cinegraph_assets.awards.registry import load_bodies

    if key == "cesar":
        return load_bodies(AWARD_FIXTURES / "cesar.toml")[0]
    return next(b for b in load_bodies() if b.key == key)


def materialize_editions(
    body, keys: list[str], res: dict, instance: DagsterInstance, *, refresh=False, **kwargs
):
    """One run of a body's `<key>_nominations` asset over editions (a range when several,
    in the order given, which must be the partitions' order)."""
    from dagster import Definitions, define_asset_job
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from cinegraph_assets.awards.assets import body_asset

    asset = body_asset(body)
    defs = Definitions(
        assets=[asset], jobs=[define_asset_job("edition_job", [asset.key])], resources=res
    )
    known = set(instance.get_dynamic_partitions(body.partitions_name))
    new = [k for k in keys if k not in known]
    if new:
        instance.add_dynamic_partitions(body.partitions_name, new)
    tags = (
        {ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]}
        if len(keys) > 1
        else {}
    )
    return defs.resolve_job_def("edition_job").execute_in_process(
        instance=instance,
        partition_key=keys[0] if len(keys) == 1 else None,
        tags=tags,
        run_config=RunConfig(ops={body.asset_name: PageConfig(refresh=refresh)}),
        **kwargs,
    )


def dagster_pg_env(url: str) -> dict[str, str]:
    """The DAGSTER_PG_* variables deploy/dagster.yaml reads, for the database at `url`."""
    parsed = make_url(url)
    return {
        "DAGSTER_PG_HOST": parsed.host or "127.0.0.1",
        "DAGSTER_PG_PORT": str(parsed.port or 5432),
        "DAGSTER_PG_USER": parsed.username or "postgres",
        "DAGSTER_PG_PASSWORD": parsed.password or "",
        "DAGSTER_PG_DB": parsed.database,
    }


def production_home_env(tmp_path: Path, url: str, name: str) -> dict[str, str]:
    """The environment of a process on the production instance (deploy/dagster.yaml in a
    DAGSTER_HOME of its own, tmp_path/name) over the database at `url`. Named "stock":
    dagster-postgres' own storage instead of the project's."""
    home = tmp_path / name
    home.mkdir()
    shutil.copy(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    if name == "stock":
        config = yaml.safe_load((home / "dagster.yaml").read_text())
        config["storage"] = {"postgres": config["storage"]["custom"]["config"]}
        (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    return {**os.environ, "DAGSTER_HOME": str(home), **dagster_pg_env(url)}
