"""The whole thing as a data engineer runs it, in the production topology: the user
code in a code server of its own, webserver and daemon processes pointed at it
(deploy/workspace.yaml), PostgreSQL instance storage (deploy/dagster.yaml); a year
backfill launched through GraphQL as the UI does, the movie sensor fanning out, every
partition materialized, nothing left running."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance
from sqlalchemy.engine import make_url

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets_tests.helpers import fixture_expectations, scalar, truth_rows
from cinegraph_dev.local_stack import DagsterStack, all_materialized, free_port
from cinegraph_dev.sample_upstream import scripted

ROOT = Path(__file__).resolve().parents[1]
YEARS = ["2024", "2026"]
FLAKY_MOVIE = "tt15398776"  # Oppenheimer: TMDb fails twice, then answers
MOVIE_ASSETS = ("tmdb_movies", "omdb_enrichment", "collaborations")

pytestmark = pytest.mark.slow


def _films() -> list[str]:
    return sorted(
        {t for y in YEARS for r in truth_rows(int(y) - 1928) for t in r["FilmId"].split("|") if t}
    )


def test_year_backfill_through_the_webserver_and_daemon(
    tmp_path, empty_pg_url, pg_url, upstream, monkeypatch
):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")
    storage = make_url(empty_pg_url)
    code_server_port = free_port()
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_HOST": storage.host or "127.0.0.1",
        "DAGSTER_PG_PORT": str(storage.port or 5432),
        "DAGSTER_PG_USER": storage.username or "postgres",
        "DAGSTER_PG_PASSWORD": storage.password or "",
        "DAGSTER_PG_DB": storage.database,
        "DAGSTER_CODE_SERVER_HOST": "127.0.0.1",
        "DAGSTER_CODE_SERVER_PORT": str(code_server_port),
        "CINEGRAPH_DATABASE_URL": pg_url,
        **upstream.env(),
        "TMDB_API_KEY": "test-tmdb-key",
        "OMDB_API_KEY": "test-omdb-key",
        "CINEGRAPH_MOVIE_SENSOR_INTERVAL_SECONDS": "5",
        # Two years bring ~100 movies: in batches of 40, three runs.
        "CINEGRAPH_MOVIE_BATCH_SIZE": "40",
    }
    upstream.script(rf"^/tmdb/3/movie/{FLAKY_MOVIE}", scripted(503, "busy"), scripted(503, "busy"))
    films = _films()
    stack = DagsterStack(
        workspace=ROOT / "deploy" / "workspace.yaml", env=env, log_dir=tmp_path / "logs", cwd=ROOT
    )
    instance = None
    try:
        stack.start(code_server_port=code_server_port)
        stack.wait_ready()
        for year in YEARS:
            stack.add_partition("ceremony_years", year, "cinegraph_assets")
        stack.launch_backfill(["scraped_ceremony", "imdb_enhanced_nominees"], YEARS)

        for key in (k for k in env if k.startswith("DAGSTER_PG_")):
            monkeypatch.setenv(key, env[key])
        instance = DagsterInstance.from_config(str(home))
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            if all_materialized(instance, MOVIE_ASSETS, films):
                break
            time.sleep(5)
        else:
            pytest.fail(f"not every movie was materialized; logs in {tmp_path / 'logs'}")

        # The years, through the backfill.
        for asset in ("scraped_ceremony", "imdb_enhanced_nominees"):
            assert instance.get_materialized_partitions(AssetKey(asset)) >= set(YEARS)
        db = DatabaseResource(url=pg_url)
        assert scalar(db, "SELECT count(*) FROM festival_ceremonies") == 2
        assert (
            scalar(db, "SELECT count(*) FROM festival_nominations WHERE source = 'oscars.org'")
            == 245
        )
        assert scalar(db, "SELECT count(*) FROM movies") == len(films)
        expected = fixture_expectations(films)
        assert scalar(db, "SELECT count(*) FROM movie_credits") == expected["credits"]
        assert scalar(db, "SELECT count(*) FROM collaborations") == expected["collaborations"]
        assert scalar(db, "SELECT count(DISTINCT movie_id) FROM external_metrics") >= len(films) - 2

        # Each movie is a materialization of its own, with its own metadata...
        records = instance.fetch_materializations(AssetKey("tmdb_movies"), limit=1000).records
        by_movie = {r.partition_key: r for r in records}
        assert set(by_movie) == set(films)
        oppenheimer = by_movie[FLAKY_MOVIE].asset_materialization.metadata
        assert oppenheimer["tmdb_id"].value == 872585
        # ... the bulk import did not pay one run per movie ...
        runs = {r.run_id for r in records}
        assert len(runs) < len(films) / 5
        # ... and the movie whose upstream failed twice shows the retries and ended well.
        assert oppenheimer["http_retries"].value == 2
        logs = instance.all_logs(by_movie[FLAKY_MOVIE].run_id)
        assert (
            sum(
                "retrying in" in (e.user_message or "") and FLAKY_MOVIE in e.user_message
                for e in logs
            )
            == 2
        )
    finally:
        if instance is not None:
            instance.dispose()
        survivors = stack.stop()
    assert survivors == [], f"processes left running: {survivors}"
