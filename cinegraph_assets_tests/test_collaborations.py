"""Collaboration pairs: typing rules (pure) and the per-movie rebuild in the database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from dagster import DagsterInstance

from cinegraph_assets.movies.collaborations import (
    CreditRole,
    Roles,
    collaboration_type,
    key_people,
    pairs,
)
from cinegraph_assets_tests.helpers import dump, materialize_movies, resources, scalar

POOR_THINGS, BUGONIA = "tt14230458", "tt12300742"


def test_key_people_are_top_cast_and_key_crew():
    roles = key_people(
        [
            CreditRole(1, "cast", "Actor", 0),
            CreditRole(2, "cast", "Actor", 19),
            CreditRole(3, "cast", "Actor", 20),  # billed too low
            CreditRole(4, "crew", "Director", None),
            CreditRole(5, "crew", "Original Music Composer", None),
            CreditRole(6, "crew", "Gaffer", None),  # not a key job
            CreditRole(4, "crew", "Screenplay", None),
            CreditRole(7, "cast", "Actor", None),
        ]
    )
    assert roles == {
        1: Roles(cast=True),
        2: Roles(cast=True),
        4: Roles(director=True, crew=True),
        5: Roles(crew=True),
    }


@pytest.mark.parametrize(
    "a,b,kind",
    [
        (Roles(cast=True), Roles(cast=True), "actor-actor"),
        (Roles(cast=True), Roles(director=True), "actor-director"),
        (Roles(director=True), Roles(cast=True), "actor-director"),
        (Roles(director=True), Roles(director=True), "director-director"),
        (Roles(director=True), Roles(crew=True), "director-crew"),
        (Roles(crew=True), Roles(crew=True), "crew-crew"),
        (Roles(cast=True), Roles(crew=True), "other"),
        # First rule that fits: an actor who also directs is an actor to another actor.
        (Roles(cast=True, director=True), Roles(cast=True), "actor-actor"),
    ],
)
def test_collaboration_types(a, b, kind):
    assert collaboration_type(a, b) == kind


def test_pairs_are_ordered_and_complete():
    roles = {9: Roles(cast=True), 3: Roles(director=True), 5: Roles(crew=True)}
    assert pairs(roles) == [(3, 5, "director-crew"), (3, 9, "actor-director"), (5, 9, "other")]


def test_rebuilding_a_movie_never_double_counts(upstream, db):
    instance = DagsterInstance.ephemeral()
    res = resources(upstream, db)
    materialize_movies([POOR_THINGS], res, instance)
    first = dump(db)
    materialize_movies([POOR_THINGS], res, instance)
    again = dump(db)
    for name in ("collaborations", "collaboration_details"):
        assert again[name] == first[name]
    assert scalar(db, "SELECT max(collaboration_count) FROM collaborations") == 1


def test_pairs_across_movies_aggregate(upstream, db):
    instance = DagsterInstance.ephemeral()
    res = resources(upstream, db)
    materialize_movies([POOR_THINGS], res, instance)
    materialize_movies([BUGONIA], res, instance)
    materialize_movies([POOR_THINGS], res, instance)  # a re-run changes nothing
    shared = scalar(db, "SELECT count(*) FROM collaborations WHERE collaboration_count = 2")
    assert shared == 21  # seven key people worked on both: 7 * 6 / 2 pairs
    row = scalar(
        db,
        """SELECT first_collaboration_date || '|' || latest_collaboration_date || '|' ||
                        years_active FROM collaborations WHERE collaboration_count = 2 LIMIT 1""",
    )
    assert row.replace(" 00:00:00", "") == "2023-12-07|2025-10-24|3"
    assert scalar(db, "SELECT count(*) FROM collaborations WHERE person_a_id >= person_b_id") == 0
    assert (
        scalar(
            db,
            """SELECT count(*) FROM collaborations c WHERE collaboration_count !=
                         (SELECT count(DISTINCT movie_id) FROM collaboration_details d
                          WHERE d.collaboration_id = c.id)""",
        )
        == 0
    )


def test_top_collaborations_rank_by_count_then_names(upstream, db):
    from cinegraph_assets.movies.collaboration_store import top_collaborations

    res = resources(upstream, db)
    materialize_movies([POOR_THINGS, BUGONIA], res, DagsterInstance.ephemeral())
    with db.transaction() as conn:
        kinds = dict(
            conn.execute(
                sa.text("""SELECT d.collaboration_id, d.collaboration_type
                           FROM collaboration_details d JOIN movies m ON m.id = d.movie_id
                           WHERE m.imdb_id = :tt"""),
                {"tt": BUGONIA},
            ).all()
        )
        top = top_collaborations(conn, kinds, limit=25)
        expected = conn.execute(
            sa.text("""SELECT pa.name, pb.name, c.collaboration_count FROM collaborations c
                       JOIN people pa ON pa.id = c.person_a_id
                       JOIN people pb ON pb.id = c.person_b_id
                       WHERE c.id IN (SELECT d.collaboration_id FROM collaboration_details d
                                      JOIN movies m ON m.id = d.movie_id WHERE m.imdb_id = :tt)
                       ORDER BY c.collaboration_count DESC, pa.name, pb.name LIMIT 25"""),
            {"tt": BUGONIA},
        ).all()
    assert len(kinds) > 25 and len(top) == 25
    assert [(t["a"], t["b"], t["collaboration_count"]) for t in top] == [tuple(r) for r in expected]
    assert [t["collaboration_count"] for t in top[:21]] == [2] * 21  # the shared pairs first
