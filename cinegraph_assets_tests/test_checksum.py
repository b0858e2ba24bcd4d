"""The data checksum: the same facts give the same checksum, whatever the database,
the order of the work or the surrogate ids; a changed fact changes it."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from dagster import DagsterInstance

from cinegraph_assets.checksum import checksums, main, table_rows
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets_tests.helpers import (
    ceremony_films,
    materialize_movies,
    materialize_year,
    resources,
)

pytestmark = pytest.mark.postgres


def _import(url: str, upstream, instance, *, reverse: bool) -> None:
    db = DatabaseResource(url=url)
    res = resources(upstream, db)
    materialize_year("2025", res, instance)
    films = ceremony_films(db, 2025)[:: -1 if reverse else 1]
    for start in range(0, len(films), 20):  # different batches, different id order
        materialize_movies(films[start : start + 20], res, instance)
    if reverse:
        materialize_year("2025", res, instance, refresh=True)


def test_same_facts_same_checksum_on_both_databases(sqlite_url, pg_url, upstream, instance):
    _import(sqlite_url, upstream, instance, reverse=False)
    # An instance of its own: its movie partitions are added in the reverse order.
    _import(pg_url, upstream, DagsterInstance.ephemeral(), reverse=True)
    on_sqlite, on_pg = checksums(sqlite_url), checksums(pg_url)
    assert on_sqlite["movies"]["rows"] >= 45 and on_sqlite["collaborations"]["rows"] > 1000
    assert on_sqlite == on_pg
    # Movies are named by every unique column, in the same order in every process.
    movie = json.loads(table_rows(pg_url)["movie_credits"][0])["movie_id"]
    assert movie[0].startswith("tt") and isinstance(movie[1], int)

    with sa.create_engine(pg_url).begin() as conn:
        conn.execute(
            sa.text("UPDATE movie_credits SET character = 'Someone else' WHERE id = "
                    "(SELECT min(id) FROM movie_credits WHERE character IS NOT NULL)")
        )  # fmt: skip
    changed = checksums(pg_url)
    differing = {t for t in changed if changed[t] != on_sqlite[t]}
    assert differing == {"movie_credits", "all"}


def test_command_line(sqlite_url, capsys):
    assert main([sqlite_url, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["all"]["rows"] == 0 and "festival_nominations" in printed
