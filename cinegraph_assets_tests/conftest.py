"""Shared fixtures: real databases (SQLite and PostgreSQL), the fixture server, instances.

PostgreSQL is the server on 127.0.0.1:5432 (CINEGRAPH_TEST_PG_URL to point elsewhere).
Every test that uses it gets a database of its own, created from a migrated template
and dropped afterwards. When CI=true an unreachable server fails those tests instead
of skipping them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from dagster import DagsterInstance
from sqlalchemy.engine import make_url

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.db.engine import default_sqlite_url, dispose_engine, get_engine
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.server import DATA

PG_ADMIN_URL = os.environ.get(
    "CINEGRAPH_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
_RUN = uuid.uuid4().hex[:8]


def _pg_admin() -> sa.Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@pytest.fixture(autouse=True)
def _no_leftover_dagster_instance_context():
    """Dagster keeps "the current instance's state storage" in a context variable that
    an instance entered and left out of order leaves pointing at a dead instance; the
    next definitions load then fails. Each test starts without one."""
    from dagster._core.storage.defs_state.base import _current_storage

    token = _current_storage.set(None)
    yield
    _current_storage.reset(token)


@pytest.fixture
def instance():
    return DagsterInstance.ephemeral()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database; each test clones it (fast) and drops its clone."""
    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL at {make_url(PG_ADMIN_URL).render_as_string()} is unreachable: {exc}"
        if IN_CI:
            pytest.fail(message + " (CI=true: a missing database is a failure, not a skip)")
        pytest.skip(message)
    name = f"cg_test_{_RUN}_template"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    get_engine(url)  # migrate once
    dispose_engine(url)
    yield name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def fresh_pg_database(template: str | None = None) -> Iterator[str]:
    """A new database on the test server (a clone of template if given), dropped after."""
    admin = _pg_admin()
    name = f"cg_test_{_RUN}_{uuid.uuid4().hex[:8]}"
    clause = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"{clause}'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        dispose_engine(url)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    with fresh_pg_database(pg_template) as url:
        yield url


@pytest.fixture
def empty_pg_url(pg_template: str) -> Iterator[str]:
    """An empty database (for Dagster's own storage); depends on the server check."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sqlite_template")
    url = default_sqlite_url(str(folder))
    get_engine(url)
    dispose_engine(url)
    return folder / "cinegraph.sqlite"


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    target = tmp_path / "db" / "cinegraph.sqlite"
    target.parent.mkdir()
    shutil.copy(sqlite_template, target)
    url = f"sqlite:///{target}"
    yield url
    dispose_engine(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """Each database test runs on both databases."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def db(db_url: str) -> DatabaseResource:
    return DatabaseResource(url=db_url)


@pytest.fixture
def upstream_roots() -> list[Path]:
    """Data roots for the fixture server; tests override to add scenarios."""
    return [DATA]


@pytest.fixture
def upstream(upstream_roots) -> Iterator[SampleUpstream]:
    with SampleUpstream(
        upstream_roots, tmdb_key="test-tmdb-key", omdb_key="test-omdb-key"
    ) as server:
        yield server
