"""Packaging, definitions and the production Dagster instance configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import sqlalchemy as sa
from dagster import DagsterInstance, materialize
from sqlalchemy.engine import make_url

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets_tests.helpers import resources, year_assets

ROOT = Path(__file__).resolve().parents[1]


def test_dagster_family_versions_belong_together():
    core = version("dagster")
    major, minor, patch = (int(x) for x in core.split(".")[:3])
    assert version("dagster-webserver") == core
    # Libraries are numbered 0.(minor + 16).patch alongside core 1.minor.patch.
    assert version("dagster-postgres") == f"0.{minor + 16}.{patch}"
    assert major == 1 and minor >= 13


def test_definitions_load():
    from cinegraph_assets.definitions import defs

    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {
        "scraped_ceremony",
        "imdb_enhanced_nominees",
        "tmdb_movies",
        "omdb_enrichment",
        "collaborations",
    } <= keys
    defs.resolve_job_def("movie_assets_job")


def test_definitions_are_built_from_the_settings_given(tmp_path):
    """A test varies a setting by building the code location from other settings, not
    by changing the environment and reloading modules."""
    from dataclasses import replace

    from dagster import AssetKey

    from cinegraph_assets.definitions import build_definitions
    from cinegraph_assets.settings import SETTINGS

    registry = tmp_path / "bodies.toml"
    registry.write_text(
        '[[body]]\nkey = "cesar"\nname = "César Awards"\nimdb_event_id = "ev0000157"\n'
        "first_edition = 1976\nmonth = 2\nenabled = true\n"
    )
    settings = replace(
        SETTINGS,
        movie_batch_size=7,
        year_batch_size=3,
        movie_sensor_interval_seconds=45,
        award_bodies_file=str(registry),
    )
    defs = build_definitions(settings)
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {k for k in keys if k.endswith("_nominations")} == {"cesar_nominations"}
    assert graph.get(AssetKey("tmdb_movies")).backfill_policy.max_partitions_per_run == 7
    assert graph.get(AssetKey("scraped_ceremony")).backfill_policy.max_partitions_per_run == 3
    assert graph.get(AssetKey("cesar_nominations")).backfill_policy.max_partitions_per_run == 3
    assert {k.to_user_string() for k in graph.get(AssetKey("tmdb_movies")).parent_keys} == {
        "imdb_enhanced_nominees",
        "cesar_nominations",
    }
    sensor = defs.resolve_sensor_def("movie_partitions_sensor")
    assert sensor.minimum_interval_seconds == 45
    # The process's own code location is untouched.
    from cinegraph_assets.definitions import defs as default_defs

    default = default_defs.resolve_asset_graph()
    assert default.get(AssetKey("tmdb_movies")).backfill_policy.max_partitions_per_run == (
        SETTINGS.movie_batch_size
    )


def test_dagster_definitions_validate_cli(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_production_instance_runs_on_postgres(
    tmp_path, empty_pg_url, pg_url, upstream, monkeypatch
):
    """deploy/dagster.yaml against the real server: runs and events land in PostgreSQL."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    url = make_url(empty_pg_url)
    monkeypatch.setenv("DAGSTER_PG_HOST", url.host or "127.0.0.1")
    monkeypatch.setenv("DAGSTER_PG_PORT", str(url.port or 5432))
    monkeypatch.setenv("DAGSTER_PG_USER", url.username or "postgres")
    monkeypatch.setenv("DAGSTER_PG_PASSWORD", url.password or "")
    monkeypatch.setenv("DAGSTER_PG_DB", url.database)
    with DagsterInstance.from_config(str(home)) as instance:
        from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage

        # dagster-postgres storage, with a pooled, pre-pinged engine in every process.
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert instance.event_log_storage._engine.pool._pre_ping
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        assert instance.run_monitoring_enabled
        instance.add_dynamic_partitions("ceremony_years", ["2024"])
        result = materialize(
            [year_assets()[0]],
            partition_key="2024",
            instance=instance,
            resources=resources(upstream, DatabaseResource(url=pg_url)),
        )
        assert result.success
    engine = sa.create_engine(empty_pg_url)
    with engine.connect() as conn:
        runs = conn.execute(sa.text("SELECT count(*) FROM runs")).scalar()
        materializations = conn.execute(
            sa.text(
                "SELECT count(*) FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'"
            )
        ).scalar()
    engine.dispose()
    assert runs == 1 and materializations == 1
