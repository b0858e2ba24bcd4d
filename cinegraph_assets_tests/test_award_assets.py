"""The award bodies' edition assets on real databases, fed by the fixture server."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

import pytest
import sqlalchemy as sa
from dagster import SensorResult, build_sensor_context

from cinegraph_assets.awards.checks import prizes_due
from cinegraph_assets.awards.editions import Edition
from cinegraph_assets.definitions import movie_sources
from cinegraph_assets.movies.sensors import movie_sensor
from cinegraph_assets.settings import SETTINGS
from cinegraph_assets_tests.helpers import (
    AWARD_FIXTURES,
    award_body,
    materialize_editions,
    partition_metadata,
    resources,
    scalar,
)
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.server import DATA

TRUTH, CASES, LATER = (AWARD_FIXTURES / d for d in ("truth", "cases", "cases_later"))


@pytest.fixture
def upstream_roots():
    return [DATA, CASES]


def _rows(db, sql: str, **params) -> list:
    with db.transaction() as conn:
        return conn.execute(sa.text(sql), params).all()


def _by_category(db, body_key: str, year: int, instance: int = 1) -> dict:
    """{(award, category): {"nominees": [ids], "winners": [ids]}} as stored, every title of
    a nomination (films and television) counted."""
    rows = _rows(
        db,
        """
        SELECT cat.award_name, cat.name, n.won, m.imdb_id AS film, t.imdb_id AS other
        FROM festival_nominations n
        JOIN festival_ceremonies c ON c.id = n.ceremony_id
        JOIN festival_organizations o ON o.id = c.organization_id
        JOIN festival_categories cat ON cat.id = n.category_id
        LEFT JOIN festival_nomination_movies nm ON nm.nomination_id = n.id
        LEFT JOIN movies m ON m.id = nm.movie_id
        LEFT JOIN festival_nomination_titles t ON t.nomination_id = n.id
        WHERE o.body_key = :b AND c.year = :y AND c.instance = :i""",
        b=body_key,
        y=year,
        i=instance,
    )
    out: dict = defaultdict(lambda: {"nominees": set(), "winners": set()})
    for award, category, won, film, other in rows:
        entry = out[(award, category)]
        for title in (film, other):
            if title:
                entry["nominees"].add(title)
                if won:
                    entry["winners"].add(title)
    return {k: {n: sorted(v) for n, v in e.items()} for k, e in out.items()}


@pytest.mark.parametrize(
    ("body_key", "key", "page"),
    [
        ("cannes", "2025", "ev0000147/2025/1"),
        ("golden_globes", "2026", "ev0000292/2026/1"),
        ("critics_choice", "2016-2", "ev0000133/2016/2"),
    ],
)
def test_a_real_edition_imports_every_film_and_winner_of_the_truth_sample(
    body_key, key, page, db, instance
):
    """Editions of the Kometa truth sample (fixtures/award_bodies/truth): every nominee
    and winner by IMDb id, in every award and category, as IMDb lists them."""
    expected = json.loads((TRUTH / "expected.json").read_text())[page]
    with SampleUpstream([DATA, TRUTH], tmdb_key="test-tmdb-key") as server:
        result = materialize_editions(award_body(body_key), [key], resources(server, db), instance)
    assert result.success
    edition = Edition.parse(key)
    stored = _by_category(db, body_key, edition.year, edition.instance)
    want = {
        (award, category): {"nominees": sorted(v["nominees"]), "winners": sorted(v["winners"])}
        for award, categories in expected.items()
        for category, v in categories.items()
    }
    assert stored == want


def test_awards_and_categories_are_kept_apart_and_every_film_is_linked(upstream, db, instance):
    """Cannes 2024 (cases): category null, one category text under two awards, a
    nomination naming two films, person nominations."""
    body = award_body("cannes")
    result = materialize_editions(body, ["2024"], resources(upstream, db), instance)
    stored = _by_category(db, "cannes", 2024)
    # "Best Actor" of the competition and of Un Certain Regard: two categories.
    assert ("Best Actor", "Best Actor") in stored
    assert ("Un Certain Regard - Best Actor", "Best Actor") in stored
    assert stored[("Palme d'Or", "Palme d'Or")]["winners"]  # category null: the award's text
    assert {("FIPRESCI Prize", "Competition"), ("FIPRESCI Prize", "Un Certain Regard")} <= set(
        stored
    )
    # The Jury Prize nomination names two films: one nomination, both linked, the first
    # in movie_id.
    (jury,) = _rows(
        db,
        """
        SELECT n.id, m.imdb_id FROM festival_nominations n
        JOIN festival_categories cat ON cat.id = n.category_id
        JOIN movies m ON m.id = n.movie_id WHERE cat.award_name = 'Jury Prize'""",
    )
    films = _rows(
        db,
        "SELECT m.imdb_id FROM festival_nomination_movies nm JOIN movies m ON m.id = nm.movie_id"
        " WHERE nm.nomination_id = :n ORDER BY nm.position",
        n=jury.id,
    )
    assert len(films) == 2 and films[0][0] == jury.imdb_id
    # Person nominations keep their people by IMDb name id.
    (actor,) = _rows(
        db,
        """
        SELECT p.imdb_id, p.name FROM festival_nominations n
        JOIN festival_categories cat ON cat.id = n.category_id
        JOIN festival_nomination_people np ON np.nomination_id = n.id
        JOIN people p ON p.id = np.person_id
        WHERE cat.award_name = 'Best Actor' AND cat.name = 'Best Actor'""",
    )
    assert actor.name == "Sebastian Stan" and actor.imdb_id.startswith("nm")
    metadata = partition_metadata(result, "cannes_nominations")["2024"]
    assert metadata["imdb_event_id"] == "ev0000147" and metadata["awarded"] is True
    assert metadata["other_titles"] == 0 and len(metadata["movie_ids"]) == metadata["films"]
    # A re-run re-parses the stored page and changes nothing.
    before = _by_category(db, "cannes", 2024)
    assert materialize_editions(body, ["2024"], resources(upstream, db), instance).success
    assert _by_category(db, "cannes", 2024) == before
    assert scalar(db, "SELECT count(*) FROM festival_ceremonies") == 1


def test_television_is_kept_on_its_nomination_and_never_becomes_a_movie(upstream, db, instance):
    """Golden Globes 2025 (cases): series typed and untyped, a TV movie, a series only
    TMDb's find can classify."""
    result = materialize_editions(
        award_body("golden_globes"), ["2025"], resources(upstream, db), instance
    )
    kinds = dict(
        _rows(db, "SELECT DISTINCT imdb_id, kind FROM festival_nomination_titles ORDER BY 1")
    )
    # Typed on the page, typed elsewhere on the page, told by the category, told by TMDb.
    assert {"tt91410001", "tt91410004", "tt91410006"} <= set(kinds)
    assert set(kinds.values()) == {"series"}
    movies = {r[0] for r in _rows(db, "SELECT imdb_id FROM movies")}
    assert not movies & set(kinds)
    assert "tt91400010" in movies  # the TV movie is a film
    assert _rows(db, "SELECT kind, decided_by FROM title_kinds WHERE imdb_id = 'tt91410006'") == [
        ("series", "tmdb_find")
    ]
    metadata = partition_metadata(result, "golden_globes_nominations")["2025"]
    assert not set(metadata["movie_ids"]) & set(kinds)
    assert metadata["other_titles"] == len(kinds) and metadata["title_kinds_from_tmdb"] >= 1
    # The series only TMDb could classify is asked once: a re-run uses the stored answer.
    asked = upstream.count(r"/tmdb/3/find/tt91410006")
    materialize_editions(
        award_body("golden_globes"), ["2025"], resources(upstream, db), instance, refresh=True
    )
    assert upstream.count(r"/tmdb/3/find/tt91410006") == asked == 1


def test_a_second_edition_in_one_year_is_an_edition_of_its_own(upstream, db, instance):
    body = award_body("critics_choice")
    assert materialize_editions(body, ["2016", "2016-2"], resources(upstream, db), instance).success
    assert _rows(db, "SELECT year, instance FROM festival_ceremonies ORDER BY instance") == [
        (2016, 1),
        (2016, 2),
    ]
    first, second = (
        _by_category(db, "critics_choice", 2016),
        _by_category(db, "critics_choice", 2016, 2),
    )
    films = lambda stored: {t for v in stored.values() for t in v["nominees"]}  # noqa: E731
    assert films(first) and films(second) and not films(first) & films(second)


def test_a_line_up_gains_its_winners_on_a_later_fetch(db, instance):
    body = award_body("cannes")
    with SampleUpstream([DATA, CASES], tmdb_key="test-tmdb-key") as server:
        result = materialize_editions(body, ["2026"], resources(server, db), instance)
    assert result.success and scalar(db, "SELECT awarded FROM festival_ceremonies") in (0, False)
    (late,) = [
        e for e in result.get_asset_check_evaluations() if e.check_name == "winners_announced"
    ]
    # Cannes gives its prizes in May: by December 2026 a 2026 line-up without winners is
    # reported (a warning, the films fan out regardless).
    assert late.passed is (not prizes_due(Edition(2026), 5, date.today()))
    with SampleUpstream([DATA, CASES, LATER], tmdb_key="test-tmdb-key") as server:
        result = materialize_editions(body, ["2026"], resources(server, db), instance, refresh=True)
    assert scalar(db, "SELECT awarded FROM festival_ceremonies") in (1, True)
    assert scalar(db, "SELECT count(*) FROM festival_nominations WHERE won") > 0
    evaluations = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert evaluations["winners_announced"] and evaluations["edition_matches_page"]
    # The nominations are the same rows: winners change, identities do not.
    assert scalar(db, "SELECT count(DISTINCT ceremony_id) FROM festival_nominations") == 1


def test_an_unknown_edition_is_a_clear_error_and_writes_nothing(upstream, db, instance):
    result = materialize_editions(
        award_body("cannes"), ["1999"], resources(upstream, db), instance, raise_on_error=False
    )
    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.error.to_string()
    assert "cannes_nominations" in failure and "1999: UnusableInput" in failure
    assert "/event/ev0000147/1999/1/ (HTTP 404)" in failure
    assert scalar(db, "SELECT count(*) FROM festival_ceremonies") == 0


def test_odd_content_is_reported_and_the_rest_goes_through(upstream, db, instance):
    """Cannes 2023 (cases): an empty category and a nomination naming nothing."""
    result = materialize_editions(award_body("cannes"), ["2023"], resources(upstream, db), instance)
    assert result.success
    (odd,) = [e for e in result.get_asset_check_evaluations() if e.check_name == "odd_content"]
    assert not odd.passed and odd.severity.value == "WARN"
    text = odd.metadata["warnings_md"].value
    assert "empty_category" in text and "nomination_without_entities" in text
    metadata = partition_metadata(result, "cannes_nominations")["2023"]
    assert metadata["warnings"] == 2 and metadata["films"] > 0
    ((stored,),) = _rows(db, "SELECT source_metadata FROM festival_ceremonies")
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert {w["kind"] for w in stored["warnings"]} == {
        "empty_category",
        "nomination_without_entities",
    }


def test_a_body_that_is_only_a_registry_entry_works(upstream, db, instance):
    """César (ev0000157): one entry in a registry file, no code."""
    cesar = award_body("cesar")
    result = materialize_editions(cesar, ["2025"], resources(upstream, db), instance)
    assert result.success
    assert _rows(db, "SELECT name, imdb_event_id, body_key FROM festival_organizations") == [
        ("César Awards", "ev0000157", "cesar")
    ]
    stored = _by_category(db, "cesar", 2025)
    assert {award for award, _ in stored} == {"César", "Honorary César"}


def test_films_of_every_body_fan_out_to_the_same_movie_partitions(upstream, db, instance):
    """A film of Cannes and of the Golden Globes is one movie partition; series are none."""
    cannes, globes = award_body("cannes"), award_body("golden_globes")
    materialize_editions(cannes, ["2024"], resources(upstream, db), instance)
    materialize_editions(globes, ["2025"], resources(upstream, db), instance)
    sensor = movie_sensor(movie_sources([cannes, globes]), SETTINGS)
    result = sensor(build_sensor_context(instance=instance))
    assert isinstance(result, SensorResult)
    (add,) = result.dynamic_partitions_requests
    keys = add.partition_keys
    assert len(keys) == len(set(keys))
    films = {r[0] for r in _rows(db, "SELECT imdb_id FROM movies")}
    series = {r[0] for r in _rows(db, "SELECT imdb_id FROM festival_nomination_titles")}
    assert set(keys) == films and not set(keys) & series
    both = _rows(
        db,
        """
        SELECT m.imdb_id FROM movies m
        JOIN festival_nomination_movies nm ON nm.movie_id = m.id
        JOIN festival_nominations n ON n.id = nm.nomination_id
        JOIN festival_ceremonies c ON c.id = n.ceremony_id
        GROUP BY m.imdb_id HAVING count(DISTINCT c.organization_id) = 2""",
    )
    assert both, "the fixtures share films between Cannes 2024 and the Golden Globes 2025"
    # Handled once.
    instance.add_dynamic_partitions("movies", keys)
    again = sensor(build_sensor_context(instance=instance, cursor=result.cursor))
    assert not isinstance(again, SensorResult) or not again.run_requests


def test_the_status_table_and_the_dataset_cover_every_body(upstream, db, instance):
    from cinegraph_assets.exports.awards import build_award_dataset
    from cinegraph_assets.status import status_rows

    globes, critics = award_body("golden_globes"), award_body("critics_choice")
    materialize_editions(globes, ["2025"], resources(upstream, db), instance)
    materialize_editions(critics, ["2016", "2016-2"], resources(upstream, db), instance)
    rows = {(r["body"], r["edition"]): r for r in status_rows(db)}
    assert set(rows) == {
        ("golden_globes", "2025"),
        ("critics_choice", "2016"),
        ("critics_choice", "2016-2"),
    }
    globes_row = rows[("golden_globes", "2025")]
    stored = _by_category(db, "golden_globes", 2025)
    assert globes_row["categories"] == len(stored) and globes_row["awarded"]
    assert globes_row["nominations"] == scalar(
        db,
        "SELECT count(*) FROM festival_nominations n JOIN festival_ceremonies c"
        " ON c.id = n.ceremony_id WHERE c.year = 2025",
    )
    assert globes_row["other_titles"] == 6 and globes_row["films"] > 0
    assert (globes_row["tmdb_done"], globes_row["failed"]) == (0, 0)
    with db.transaction() as conn:
        frame = build_award_dataset(conn)
    assert set(frame["Body"]) == {"golden_globes", "critics_choice"}
    assert set(frame["Edition"]) == {"2025", "2016", "2016-2"}
    assert len(frame) == sum(r["nominations"] for r in rows.values())
    series = frame[frame["TitleType"].str.contains("tvSeries")]
    assert len(series) and series["TmdbIds"].eq("").all()
    drama = frame[
        frame["Category"] == "Best Performance by an Actress in a Television Series - Drama"
    ]
    assert set(drama["TitleType"]) <= {"series", "tvSeries"} and len(drama)


def test_the_edition_sensor_registers_editions_then_runs_new_and_unawarded_ones(db, instance):
    """First tick: every edition IMDb lists from the body's first year on is registered,
    nothing runs. Later ticks: a new edition is run; an edition without winners (of this
    or last year) is fetched again every interval."""
    from cinegraph_assets.awards.sensors import edition_sensor

    cannes, critics = award_body("cannes"), award_body("critics_choice")
    sensor = edition_sensor([cannes, critics])
    with SampleUpstream([DATA, CASES], tmdb_key="test-tmdb-key") as server:
        res = resources(server, db)
        first = sensor(build_sensor_context(instance=instance, resources=res))
        assert isinstance(first, SensorResult) and not first.run_requests
        added = {
            r.partitions_def_name: list(r.partition_keys) for r in first.dynamic_partitions_requests
        }
        # From the newest page's historyEventEditions (the root answers with it), oldest
        # first, from the body's first imported year on; the second edition of 2016 too.
        critics_editions = added["critics_choice_editions"]
        assert critics_editions.index("2016-2") == critics_editions.index("2016") + 1
        assert critics_editions[0] == "1996" and critics_editions == sorted(
            critics_editions, key=Edition.parse
        )
        assert "2026" in added["cannes_editions"] and added["cannes_editions"][0] >= "1946"
        for name, keys in added.items():
            instance.add_dynamic_partitions(name, keys)
        # The 2026 line-up is imported without winners: the next tick fetches it again.
        materialize_editions(cannes, ["2026"], res, instance)
        instance.delete_dynamic_partition("critics_choice_editions", "2016-2")
        second = sensor(build_sensor_context(instance=instance, resources=res, cursor=first.cursor))
    requests = {(r.partition_key, r.job_name) for r in second.run_requests}
    assert requests == {("2016-2", "critics_choice_editions_job"), ("2026", "cannes_editions_job")}
    assert [r.run_config["ops"] for r in second.run_requests if r.partition_key == "2026"] == [
        {"cannes_nominations": {"config": {"refresh": True}}}
    ]
