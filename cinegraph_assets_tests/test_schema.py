"""The schema in sql/ on both databases: idempotent, natural keys enforced, upserts."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from cinegraph_assets.db import DatabaseResource, upsert
from cinegraph_assets.db.engine import get_engine, tables_for
from cinegraph_assets.db.migrations import load_migrations, migrate

CONTRACT_COLUMNS = {
    "festival_organizations": {"name", "abbreviation", "country", "website"},
    "festival_ceremonies": {
        "organization_id",
        "year",
        "ceremony_number",
        "name",
        "date",
        "location",
        "source_url",
        "scraped_at",
        "source_metadata",
    },
    "festival_categories": {"organization_id", "name", "category_type", "tracks_person"},
    "festival_nominations": {
        "ceremony_id",
        "category_id",
        "movie_id",
        "won",
        "details",
        "match_status",
        "nominee_statement",
    },
    "festival_nomination_people": {"nomination_id", "person_id", "position"},
    "movies": {
        "imdb_id",
        "tmdb_id",
        "title",
        "original_title",
        "release_date",
        "runtime",
        "overview",
        "status",
        "original_language",
        "poster_path",
        "tmdb_data",
        "omdb_data",
    },
    "people": {"imdb_id", "tmdb_id", "name", "known_for_department"},
    "movie_credits": {
        "movie_id",
        "person_id",
        "credit_id",
        "credit_type",
        "department",
        "job",
        "character",
        "cast_order",
    },
    "collaborations": {
        "person_a_id",
        "person_b_id",
        "collaboration_count",
        "first_collaboration_date",
        "latest_collaboration_date",
        "years_active",
    },
    "collaboration_details": {"collaboration_id", "movie_id", "collaboration_type", "year"},
    "external_metrics": {
        "movie_id",
        "source",
        "metric_type",
        "value",
        "text_value",
        "metadata",
        "fetched_at",
    },
}


def _schema(engine: sa.Engine) -> dict:
    inspector = sa.inspect(engine)
    return {
        t: sorted((c["name"], str(c["type"])) for c in inspector.get_columns(t))
        for t in inspector.get_table_names()
    }


def test_contract_columns_exist(db):
    schema = _schema(db.engine())
    for name, columns in CONTRACT_COLUMNS.items():
        assert columns <= {c for c, _ in schema[name]}, name


def test_applying_twice_changes_nothing(db):
    engine = db.engine()
    before = _schema(engine)
    with db.transaction() as conn:
        ledger = conn.execute(sa.text("SELECT version, checksum FROM schema_migrations")).all()
    assert [v for v, _ in ledger] == [m.version for m in load_migrations()]
    assert migrate(engine) == []
    assert _schema(engine) == before
    with db.transaction() as conn:
        assert (
            conn.execute(sa.text("SELECT version, checksum FROM schema_migrations")).all() == ledger
        )


def _org(conn) -> int:
    return upsert(conn, "festival_organizations", {"name": "AMPAS test"}, key=["name"])


def _ceremony(conn, org: int, year: int = 2024) -> int:
    return upsert(
        conn,
        "festival_ceremonies",
        {"organization_id": org, "year": year},
        key=["organization_id", "year", "instance"],
    )


def _category(conn, org: int, name: str = "Music (Original Song)") -> int:
    return upsert(
        conn,
        "festival_categories",
        {
            "organization_id": org,
            "award_name": "Oscar",
            "name": name,
            "category_type": "competitive",
            "is_competitive": True,
        },
        key=["organization_id", "award_name", "name"],
    )


def _person(conn, imdb_id: str | None = None, tmdb_id: int | None = None) -> int:
    t = sa.table(
        "people", sa.column("id"), sa.column("imdb_id"), sa.column("tmdb_id"), sa.column("name")
    )
    return conn.execute(
        sa.insert(t).values(imdb_id=imdb_id, tmdb_id=tmdb_id, name="X").returning(t.c.id)
    ).scalar_one()


def _movie(conn, imdb_id: str = "tt1517268") -> int:
    return upsert(conn, "movies", {"imdb_id": imdb_id, "title": "Barbie"}, key=["imdb_id"])


DUPLICATES = {
    "festival_organizations": lambda c: sa.text(
        "INSERT INTO festival_organizations (name) VALUES ('AMPAS test')"
    ),
    "festival_ceremonies": lambda c: sa.text(
        "INSERT INTO festival_ceremonies (organization_id, year) "
        "SELECT organization_id, year FROM festival_ceremonies"
    ),
    "festival_categories": lambda c: sa.text(
        "INSERT INTO festival_categories"
        " (organization_id, award_name, name, category_type, is_competitive)"
        " SELECT organization_id, award_name, name, category_type, is_competitive"
        " FROM festival_categories"
    ),
    "festival_nominations": lambda c: sa.text(
        "INSERT INTO festival_nominations"
        " (ceremony_id, category_id, nomination_key, position, source)"
        " SELECT ceremony_id, category_id, nomination_key, position, source"
        " FROM festival_nominations"
    ),
    "movies.imdb_id": lambda c: sa.text("INSERT INTO movies (imdb_id) VALUES ('tt1517268')"),
    "movies.tmdb_id": lambda c: sa.text(
        "INSERT INTO movies (imdb_id, tmdb_id) VALUES ('tt2', 346698)"
    ),
    "people.imdb_id": lambda c: sa.text(
        "INSERT INTO people (imdb_id, name) VALUES ('nm0000001', 'Y')"
    ),
    "people.tmdb_id": lambda c: sa.text("INSERT INTO people (tmdb_id, name) VALUES (500, 'Y')"),
    "movie_credits": lambda c: sa.text(
        "INSERT INTO movie_credits (movie_id, person_id, credit_id, credit_type) "
        "SELECT movie_id, person_id, credit_id, credit_type FROM movie_credits"
    ),
    "collaborations": lambda c: sa.text(
        "INSERT INTO collaborations (person_a_id, person_b_id, collaboration_count) "
        "SELECT person_a_id, person_b_id, 1 FROM collaborations"
    ),
    "collaboration_details": lambda c: sa.text(
        "INSERT INTO collaboration_details (collaboration_id, movie_id, collaboration_type) "
        "SELECT collaboration_id, movie_id, collaboration_type FROM collaboration_details"
    ),
    "external_metrics": lambda c: sa.text(
        "INSERT INTO external_metrics (movie_id, source, metric_type, fetched_at) "
        "SELECT movie_id, source, metric_type, fetched_at FROM external_metrics"
    ),
}


def _seed(conn) -> None:
    org = _org(conn)
    ceremony, category, movie = _ceremony(conn, org), _category(conn, org), _movie(conn)
    conn.execute(sa.text("UPDATE movies SET tmdb_id = 346698 WHERE id = :m"), {"m": movie})
    upsert(
        conn,
        "festival_nominations",
        {
            "ceremony_id": ceremony,
            "category_id": category,
            "nomination_key": "what was i made for",
            "position": 0,
            "source": "oscars.org",
        },
        key=["ceremony_id", "category_id", "nomination_key"],
    )
    a, b = _person(conn, "nm0000001"), _person(conn, None, 500)
    conn.execute(
        sa.text(
            "INSERT INTO movie_credits (movie_id, person_id, credit_id, credit_type) "
            "VALUES (:m, :p, '52fe4be1c3a36847f8219c9f', 'cast')"
        ),
        {"m": movie, "p": a},
    )
    collab = upsert(
        conn,
        "collaborations",
        {"person_a_id": min(a, b), "person_b_id": max(a, b), "collaboration_count": 1},
        key=["person_a_id", "person_b_id"],
    )
    conn.execute(
        sa.text(
            "INSERT INTO collaboration_details (collaboration_id, movie_id, collaboration_type) "
            "VALUES (:c, :m, 'actor-actor')"
        ),
        {"c": collab, "m": movie},
    )
    conn.execute(
        sa.text(
            "INSERT INTO external_metrics (movie_id, source, metric_type, value, fetched_at) "
            "VALUES (:m, 'imdb', 'rating_average', 7.0, CURRENT_TIMESTAMP)"
        ),
        {"m": movie},
    )


@pytest.mark.parametrize("key", sorted(DUPLICATES))
def test_natural_key_rejects_duplicate(db, key):
    with db.transaction() as conn:
        _seed(conn)
    with pytest.raises(IntegrityError):
        with db.transaction() as conn:
            conn.execute(DUPLICATES[key](conn))


def test_collaboration_pairs_must_be_ordered(db):
    with db.transaction() as conn:
        a, b = _person(conn, "nm1"), _person(conn, "nm2")
    with pytest.raises(IntegrityError):
        with db.transaction() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO collaborations (person_a_id, person_b_id, collaboration_count) "
                    "VALUES (:a, :b, 1)"
                ),
                {"a": max(a, b), "b": min(a, b)},
            )


def test_upsert_twice_leaves_one_row_with_the_same_id(db):
    with db.transaction() as conn:
        org = _org(conn)
        first = _ceremony(conn, org)
        second = upsert(
            conn,
            "festival_ceremonies",
            {"organization_id": org, "year": 2024, "ceremony_number": 96},
            key=["organization_id", "year", "instance"],
        )
        rows = conn.execute(sa.text("SELECT id, ceremony_number FROM festival_ceremonies")).all()
    assert first == second
    assert rows == [(first, 96)]


def test_two_nominations_of_one_film_in_one_category_are_two_rows(db):
    """Ceremony 96: both Barbie songs. Cinegraph's (ceremony, category, movie) key merged them."""
    with db.transaction() as conn:
        org = _org(conn)
        ceremony, category, barbie = _ceremony(conn, org), _category(conn, org), _movie(conn)
        for key, song in [
            ("what was i made for", "What Was I Made For?"),
            ("im just ken", "I'm Just Ken"),
        ]:
            upsert(
                conn,
                "festival_nominations",
                {
                    "ceremony_id": ceremony,
                    "category_id": category,
                    "nomination_key": key,
                    "position": 0,
                    "source": "oscars.org",
                    "movie_id": barbie,
                    "song_title": song,
                },
                key=["ceremony_id", "category_id", "nomination_key"],
            )
        rows = (
            conn.execute(
                sa.text(
                    "SELECT song_title FROM festival_nominations"
                    " WHERE movie_id = :m ORDER BY song_title"
                ),
                {"m": barbie},
            )
            .scalars()
            .all()
        )
    assert rows == ["I'm Just Ken", "What Was I Made For?"]


def test_a_failed_unit_of_work_writes_nothing(db):
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            _org(conn)
            raise RuntimeError("boom")
    with db.transaction() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM festival_organizations")).scalar() == 0


def test_one_category_name_under_two_awards_and_two_editions_in_a_year_are_rows_of_their_own(db):
    """Cannes' "Best Actor" of the competition and of Un Certain Regard; Critics Choice
    held two editions in 2016."""
    with db.transaction() as conn:
        org = _org(conn)
        for award in ("Best Actor", "Un Certain Regard - Best Actor"):
            upsert(
                conn,
                "festival_categories",
                {
                    "organization_id": org,
                    "award_name": award,
                    "name": "Best Actor",
                    "category_type": "competitive",
                    "is_competitive": True,
                },
                key=["organization_id", "award_name", "name"],
            )
        for instance in (1, 2):
            upsert(
                conn,
                "festival_ceremonies",
                {"organization_id": org, "year": 2016, "instance": instance},
                key=["organization_id", "year", "instance"],
            )
        categories = conn.execute(sa.text("SELECT count(*) FROM festival_categories")).scalar()
        editions = conn.execute(sa.text("SELECT count(*) FROM festival_ceremonies")).scalar()
    assert (categories, editions) == (2, 2)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite'}"
    return request.getfixturevalue("empty_pg_url")


_OSCAR_ROWS = [
    "INSERT INTO festival_organizations (name) VALUES "
    "('Academy of Motion Picture Arts and Sciences')",
    "INSERT INTO festival_ceremonies (organization_id, year, ceremony_number, awarded) "
    "VALUES (1, 2024, 96, TRUE)",
    "INSERT INTO festival_categories (organization_id, name, category_type, is_competitive) "
    "VALUES (1, 'Best Picture', 'competitive', TRUE), (1, 'Honorary Award', 'honorary', FALSE)",
    "INSERT INTO movies (imdb_id) VALUES ('tt15398776')",
    "INSERT INTO festival_nominations"
    " (ceremony_id, category_id, nomination_key, position, source, movie_id, won)"
    " VALUES (1, 1, 'oppenheimer', 0, 'oscars.org', 1, TRUE)",
    "INSERT INTO festival_nomination_movies (nomination_id, movie_id, position) VALUES (1, 1, 0)",
]


def _rows(conn, table: str) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1"))]


def test_the_award_bodies_migration_keeps_every_oscar_row(empty_url, monkeypatch):
    """A database of the Academy-only schema (0001-0005) with Oscar rows in it: 0006
    keeps every row, id and link as they were and fills the new columns in."""
    from cinegraph_assets.db import migrations
    from cinegraph_assets.db.engine import _configure_sqlite

    engine = sa.create_engine(empty_url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    every = migrations.load_migrations
    monkeypatch.setattr(
        migrations, "load_migrations", lambda d: [m for m in every(d) if m.version < "0006"]
    )
    migrations.migrate(engine)
    with engine.begin() as conn:
        for statement in _OSCAR_ROWS:
            conn.execute(sa.text(statement))
        before = {t: _rows(conn, t) for t in ("festival_nominations", "festival_nomination_movies")}
    monkeypatch.setattr(migrations, "load_migrations", every)
    assert "0006" in migrations.migrate(engine)
    with engine.begin() as conn:
        assert {t: _rows(conn, t) for t in before} == before
        assert conn.execute(
            sa.text("SELECT id, year, instance, ceremony_number FROM festival_ceremonies")
        ).all() == [(1, 2024, 1, 96)]
        assert conn.execute(
            sa.text("SELECT id, award_name, name FROM festival_categories ORDER BY id")
        ).all() == [(1, "Oscar", "Best Picture"), (2, "Honorary Award", "Honorary Award")]
        assert conn.execute(
            sa.text("SELECT imdb_event_id, body_key FROM festival_organizations")
        ).all() == [("ev0000003", "oscars")]
        assert conn.execute(sa.text("SELECT count(*) FROM ceremony_movies")).scalar() == 1
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            # Foreign keys are on again for the connections that follow.
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def _new_pair(conn, a: int, b: int) -> int:
    return conn.execute(
        sa.text(
            "INSERT INTO collaborations (person_a_id, person_b_id, collaboration_count)"
            " VALUES (:a, :b, 1) RETURNING id"
        ),
        {"a": a, "b": b},
    ).scalar_one()


def _new_detail(conn, pair: int, movie: int) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO collaboration_details (collaboration_id, movie_id, collaboration_type)"
            " VALUES (:pair, :movie, 'actor-actor')"
        ),
        {"pair": pair, "movie": movie},
    )


def _new_row(conn, sql: str) -> int:
    return conn.execute(sa.text(sql + " RETURNING id")).scalar_one()


def _collaboration_world(conn) -> dict[str, int]:
    """Two people in a pair with one detail on one movie, and a third person alone."""
    ids = {
        "movie": _new_row(conn, "INSERT INTO movies (imdb_id) VALUES ('tt0000001')"),
        "a": _new_row(conn, "INSERT INTO people (tmdb_id, name) VALUES (1, 'A')"),
        "b": _new_row(conn, "INSERT INTO people (tmdb_id, name) VALUES (2, 'B')"),
        "alone": _new_row(conn, "INSERT INTO people (tmdb_id, name) VALUES (3, 'C')"),
    }
    ids["pair"] = _new_pair(conn, ids["a"], ids["b"])
    _new_detail(conn, ids["pair"], ids["movie"])
    return ids


def _fails(db, sql: str, **params) -> None:
    """The statement is refused for a reference (not another constraint)."""
    with pytest.raises(IntegrityError) as refused, db.transaction() as conn:
        conn.execute(sa.text(sql), params)
    if db.resolved_url().startswith("sqlite"):
        assert "FOREIGN KEY constraint failed" in str(refused.value)
    else:
        assert refused.value.orig.pgcode == "23503"  # foreign_key_violation


def test_collaborations_reference_their_people_pairs_and_movies(db):
    """The references of collaborations and their details hold on both databases:
    declared keys on SQLite, statement-level triggers on PostgreSQL (sql/0007)."""
    with db.transaction() as conn:
        ids = _collaboration_world(conn)
    missing = 10**9
    pair = "INSERT INTO collaborations (person_a_id, person_b_id, collaboration_count) "
    # A new pair with a person who is not there, among pairs that are fine: all refused.
    _fails(db, pair + "VALUES (:a, :alone, 1), (:alone, :x, 1)", x=missing, **ids)
    detail = "INSERT INTO collaboration_details (collaboration_id, movie_id, collaboration_type) "
    _fails(db, detail + "VALUES (:x, :movie, 'crew-crew')", x=missing, **ids)
    _fails(db, detail + "VALUES (:pair, :x, 'crew-crew')", x=missing, **ids)
    # A person in a pair cannot go; a person in none can.
    _fails(db, "DELETE FROM people WHERE id = :a", **ids)
    with db.transaction() as conn:
        conn.execute(sa.text("DELETE FROM people WHERE id = :alone"), ids)
        assert conn.execute(sa.text("SELECT count(*) FROM collaborations")).scalar() == 1
    # A pair that goes takes its details along; so does a movie.
    with db.transaction() as conn:
        conn.execute(sa.text("DELETE FROM collaborations WHERE id = :pair"), ids)
        assert conn.execute(sa.text("SELECT count(*) FROM collaboration_details")).scalar() == 0
        conn.execute(sa.text("DELETE FROM people WHERE id = :a"), ids)  # in no pair now
    with db.transaction() as conn:
        again = _collaboration_world_again(conn, ids)
        conn.execute(sa.text("DELETE FROM movies WHERE id = :movie"), again)
        assert conn.execute(sa.text("SELECT count(*) FROM collaboration_details")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM collaborations")).scalar() == 1


def _collaboration_world_again(conn, ids: dict[str, int]) -> dict[str, int]:
    """A new movie and a pair of b with a new person, with one detail."""
    movie = _new_row(conn, "INSERT INTO movies (imdb_id) VALUES ('tt0000002')")
    person = _new_row(conn, "INSERT INTO people (tmdb_id, name) VALUES (4, 'D')")
    pair = _new_pair(conn, *sorted((ids["b"], person)))
    _new_detail(conn, pair, movie)
    return {"movie": movie, "pair": pair}


@pytest.mark.postgres
def test_the_referencing_keys_of_collaborations_do_not_change(pg_url):
    """PostgreSQL (sql/0007): a pair's people, a detail's pair and movie and the ids they
    name are fixed; writers delete and insert. Updates of other columns go through."""
    db = DatabaseResource(url=pg_url)
    with db.transaction() as conn:
        ids = _collaboration_world(conn)
    _fails(db, "UPDATE collaborations SET person_b_id = :alone WHERE id = :pair", **ids)
    _fails(db, "UPDATE collaboration_details SET movie_id = movie_id + 1")
    _fails(db, "UPDATE people SET id = id + 100 WHERE id = :a", **ids)
    with db.transaction() as conn:
        conn.execute(
            sa.text("UPDATE collaborations SET collaboration_count = 2 WHERE id = :pair"), ids
        )
        conn.execute(sa.text("UPDATE collaboration_details SET year = 1999"))
        conn.execute(sa.text("UPDATE people SET name = 'A.' WHERE id = :a"), ids)
    # The reflected tables name the references either way (checksum.py reads them).
    tables = tables_for(get_engine(pg_url))
    assert {fk.column.table.name for fk in tables["collaborations"].foreign_keys} == {"people"}
    assert {fk.column.table.name for fk in tables["collaboration_details"].foreign_keys} == {
        "collaborations",
        "movies",
    }


@pytest.mark.postgres
def test_a_person_deleted_while_a_pair_names_them_waits_and_is_refused(pg_url):
    """As with a declared key: the new pair's writer holds its people (FOR KEY SHARE) from
    the end of its statement until it commits, so a delete waits, then sees the pair."""
    db = DatabaseResource(url=pg_url)
    with db.transaction() as conn:
        ids = _collaboration_world(conn)
    engine = get_engine(pg_url)
    inserted = threading.Event()
    errors: list[BaseException] = []

    def delete_alone():
        inserted.wait(10)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("DELETE FROM people WHERE id = :alone"), ids)
        except BaseException as exc:  # noqa: BLE001 (asserted below)
            errors.append(exc)

    deleter = threading.Thread(target=delete_alone)
    deleter.start()
    with engine.begin() as conn:
        _new_pair(conn, ids["b"], ids["alone"])
        inserted.set()
        deleter.join(1.0)
        assert deleter.is_alive()  # waiting for this transaction
    deleter.join(10)
    assert len(errors) == 1 and isinstance(errors[0], IntegrityError)
    assert errors[0].orig.pgcode == "23503"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM people")).scalar() == 3
