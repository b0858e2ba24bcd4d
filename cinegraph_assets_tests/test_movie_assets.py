"""tmdb_movies, omdb_enrichment and collaborations against the fixture server."""

from __future__ import annotations

import dataclasses
import json

import pytest
import sqlalchemy as sa
from dagster import DagsterInstance

from cinegraph_assets.movies import people_store
from cinegraph_assets.movies.assets import TMDB_FALLBACK_TAG, build_movie_assets
from cinegraph_assets.settings import SETTINGS
from cinegraph_assets_tests import helpers
from cinegraph_assets_tests.helpers import (
    FIXTURES,
    api_error,
    materialize_movies,
    materialize_year,
    partition_metadata,
    resources,
    scalar,
    upstream_settings,
)
from cinegraph_dev.sample_upstream import scripted
from cinegraph_dev.sample_upstream.server import DATA

OPPENHEIMER, BARBIE, EL_CONDE = "tt15398776", "tt1517268", "tt21113540"
NOT_ON_TMDB = "tt32205767"  # Perfectly a Strangeness (2026), a short TMDb does not know
NOT_ON_OMDB = "tt30970587"  # Butterfly (2026)
# fixtures/tmdb_lookup: an IMDb id TMDb knows as a series, and a second IMDb id of Oppenheimer
LOOKUP = FIXTURES / "tmdb_lookup"
SERIES, OPPENHEIMER_TWIN = "tt0903747", "tt99999999"
with_lookup_fixtures = pytest.mark.parametrize("upstream_roots", [[DATA, LOOKUP]], ids=["lookup"])


def _tmdb(movie_id: int) -> dict:
    return json.loads((DATA / f"tmdb/3/movie/{movie_id}.json").read_text())


def _omdb(imdb_id: str) -> dict:
    return json.loads((DATA / f"omdb/{imdb_id}.json").read_text())


def test_tmdb_movie_credits_and_people(upstream, db, instance):
    result = materialize_movies([OPPENHEIMER], resources(upstream, db), instance)
    fixture = _tmdb(872585)
    row = scalar(
        db,
        "SELECT tmdb_id || '|' || title || '|' || runtime FROM movies WHERE imdb_id = :i",
        i=OPPENHEIMER,
    )
    assert row == "872585|Oppenheimer|181"
    credits = len(fixture["credits"]["cast"]) + len(fixture["credits"]["crew"])
    assert scalar(db, "SELECT count(*) FROM movie_credits") == credits
    assert scalar(db, "SELECT count(DISTINCT credit_id) FROM movie_credits") == credits
    # Christopher Nolan directed, wrote and produced: one person, three credits.
    assert scalar(db, "SELECT count(*) FROM people WHERE name = 'Christopher Nolan'") == 1
    assert (
        scalar(
            db,
            """SELECT count(*) FROM movie_credits c JOIN people p ON p.id = c.person_id
                         WHERE p.name = 'Christopher Nolan'""",
        )
        == 3
    )
    # One call per new movie: the movie endpoint, asked by IMDb id, with its appends.
    assert upstream.count(r"^/tmdb/") == 1
    assert (
        upstream.count(
            rf"^/tmdb/3/movie/{OPPENHEIMER}\?append_to_response=credits%2Cexternal_ids%2Crelease_dates"
        )
        == 1
    )
    meta = partition_metadata(result, "tmdb_movies")[OPPENHEIMER]
    assert meta["tmdb_url"] == "https://www.themoviedb.org/movie/872585"
    assert (meta["title"], meta["year"], meta["status"]) == ("Oppenheimer", 2023, "ok")
    assert (meta["cast"], meta["crew"]) == (
        len(fixture["credits"]["cast"]),
        len(fixture["credits"]["crew"]),
    )


def test_nominees_become_the_same_person_as_their_tmdb_credit(upstream, db, instance):
    res = resources(upstream, db)
    materialize_year("2024", res, instance)
    for key in (OPPENHEIMER, EL_CONDE):
        materialize_movies([key], res, instance)
    nolan = scalar(
        db, "SELECT count(*) FROM people WHERE imdb_id = 'nm0634240' AND tmdb_id IS NOT NULL"
    )
    assert nolan == 1
    assert scalar(db, "SELECT count(*) FROM people WHERE name = 'Christopher Nolan'") == 1
    # IMDb says "Edward Lachman", TMDb "Ed Lachman": still one human.
    lachman = scalar(
        db,
        "SELECT name FROM people WHERE imdb_id = (SELECT p.imdb_id FROM people p "
        "WHERE p.name LIKE '%Lachman' AND p.imdb_id IS NOT NULL)",
    )
    assert lachman is not None
    assert scalar(db, "SELECT count(*) FROM people WHERE name LIKE '%Lachman'") == 1
    assert (
        scalar(
            db,
            "SELECT count(*) FROM people WHERE name LIKE '%Lachman' AND tmdb_id IS NOT NULL "
            "AND imdb_id IS NOT NULL",
        )
        == 1
    )


def test_a_nominee_becomes_the_credited_person_who_matches_best(upstream, db, instance):
    """TMDb credits a camera operator "Hoyte van Hoyt" before the director of
    photography Hoyte van Hoytema, the Cinematography nominee. Both names score >= 0.9
    against the nominee; the nominee is the one who matches best, not the first."""
    movie = _tmdb(872585)
    hoytema = next(c for c in movie["credits"]["crew"] if c["name"] == "Hoyte van Hoytema")
    operator = {**hoytema, "id": 9_000_777, "name": "Hoyte van Hoyt",
                "original_name": "Hoyte van Hoyt", "job": "Camera Operator",
                "credit_id": "camera-operator-credit"}  # fmt: skip
    movie["credits"]["crew"].insert(0, operator)
    upstream.script(rf"^/tmdb/3/movie/{OPPENHEIMER}", scripted(200, movie))
    res = resources(upstream, db)
    materialize_year("2024", res, instance)
    materialize_movies([OPPENHEIMER], res, instance)
    linked = scalar(db, "SELECT tmdb_id FROM people WHERE imdb_id = 'nm0887227'")
    assert linked == hoytema["id"]
    assert scalar(db, "SELECT imdb_id FROM people WHERE tmdb_id = 9000777") is None


def _tmdb_data(db, imdb_id: str) -> dict:
    stored = scalar(db, "SELECT tmdb_data FROM movies WHERE imdb_id = :i", i=imdb_id)
    return json.loads(stored) if isinstance(stored, str) else stored


def test_a_film_tmdb_does_not_know_is_a_successful_not_found(upstream, db, instance):
    result = materialize_movies([NOT_ON_TMDB], resources(upstream, db), instance)
    meta = partition_metadata(result, "tmdb_movies")[NOT_ON_TMDB]
    assert meta["status"] == "not_found"
    assert meta["reason"] == "TMDb find returned no movie_results"
    assert (
        scalar(db, "SELECT tmdb_status FROM movies WHERE imdb_id = :i", i=NOT_ON_TMDB)
        == "not_found"
    )
    assert _tmdb_data(db, NOT_ON_TMDB) == {"not_found": "TMDb find returned no movie_results"}
    # Two calls: the movie endpoint's 404, confirmed by find.
    assert upstream.count(rf"^/tmdb/3/movie/{NOT_ON_TMDB}\?") == 1
    assert upstream.count(rf"^/tmdb/3/find/{NOT_ON_TMDB}\?") == 1
    assert upstream.count(r"^/tmdb/") == 2
    assert TMDB_FALLBACK_TAG not in instance.get_run_by_id(result.run_id).tags


@with_lookup_fixtures
def test_a_series_is_recorded_as_not_a_film(upstream, db, instance):
    result = materialize_movies([SERIES], resources(upstream, db), instance)
    meta = partition_metadata(result, "tmdb_movies")[SERIES]
    assert meta["status"] == "not_found"
    assert meta["reason"].startswith(f"not a film: TMDb knows {SERIES} as a TV series")
    assert "'Breaking Bad', TMDb id 1396" in meta["reason"]
    assert scalar(db, "SELECT tmdb_status FROM movies WHERE imdb_id = :i", i=SERIES) == (
        "not_found"
    )
    assert _tmdb_data(db, SERIES)["not_film"] == {
        "kind": "TV series",
        "tmdb_id": 1396,
        "name": "Breaking Bad",
    }
    assert scalar(db, "SELECT count(*) FROM movie_credits") == 0
    # The movie endpoint answered 404 and find said why: two calls, no fallback.
    assert upstream.count(rf"^/tmdb/3/movie/{SERIES}\?") == 1
    assert upstream.count(rf"^/tmdb/3/find/{SERIES}\?") == 1
    assert upstream.count(r"^/tmdb/") == 2
    assert TMDB_FALLBACK_TAG not in instance.get_run_by_id(result.run_id).tags


@with_lookup_fixtures
def test_two_imdb_ids_of_one_tmdb_film_cost_one_call_each_and_one_owns_it(upstream, db, instance):
    result = materialize_movies([OPPENHEIMER, OPPENHEIMER_TWIN], resources(upstream, db), instance)
    assert upstream.count(r"^/tmdb/") == 2
    assert upstream.count(r"^/tmdb/3/find/") == 0
    meta = partition_metadata(result, "tmdb_movies")
    assert meta[OPPENHEIMER_TWIN]["status"] == meta[OPPENHEIMER]["status"] == "ok"
    # TMDb's record names tt15398776: that IMDb id owns the film and its credits.
    owners = scalar(db, "SELECT count(*) FROM movies WHERE tmdb_id = 872585")
    assert owners == 1
    assert scalar(db, "SELECT tmdb_id FROM movies WHERE imdb_id = :i", i=OPPENHEIMER) == 872585
    assert scalar(db, "SELECT tmdb_id FROM movies WHERE imdb_id = :i", i=OPPENHEIMER_TWIN) is None
    credits = len({c["credit_id"] for k in ("cast", "crew") for c in _tmdb(872585)["credits"][k]})
    assert scalar(db, "SELECT count(*) FROM movie_credits") == credits
    twin_credits = scalar(
        db,
        "SELECT count(*) FROM movie_credits mc JOIN movies m ON m.id = mc.movie_id "
        "WHERE m.imdb_id = :i",
        i=OPPENHEIMER_TWIN,
    )
    assert twin_credits == 0
    assert scalar(db, "SELECT count(DISTINCT movie_id) FROM collaboration_details") == 1
    checks = {
        e.event_specific_data.asset_check_key.name: e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    mismatch = checks["tmdb_record_matches_partition"]
    assert not mismatch.passed
    assert mismatch.metadata["failed_partitions"].value == {
        OPPENHEIMER_TWIN: {"tmdb_record_imdb_id": OPPENHEIMER}
    }
    assert checks["credits_match_tmdb_record"].passed


def test_a_stale_find_entry_is_not_found_without_falling_back(upstream, db, instance):
    """find names a film the movie endpoint has under neither id: not found, and the
    movie endpoint's answers by IMDb id are still trusted."""
    upstream.script(rf"^/tmdb/3/movie/{OPPENHEIMER}", api_error("tmdb_404_not_found"))
    upstream.script(r"^/tmdb/3/movie/872585", api_error("tmdb_404_not_found"))
    result = materialize_movies([OPPENHEIMER], resources(upstream, db), instance)
    meta = partition_metadata(result, "tmdb_movies")[OPPENHEIMER]
    assert (meta["status"], meta["reason"]) == ("not_found", "TMDb has no movie 872585 (HTTP 404)")
    assert upstream.count(r"^/tmdb/") == 3
    assert TMDB_FALLBACK_TAG not in instance.get_run_by_id(result.run_id).tags
    assert "tmdb_two_call_fallback_since" not in meta


def _one_film_at_a_time(monkeypatch) -> None:
    # The order in which a batch's films meet TMDb is then the partitions' order. The
    # movie assets are built from settings that fetch one film at a time.
    built = tuple(build_movie_assets(dataclasses.replace(SETTINGS, movie_fetch_concurrency=1)))
    monkeypatch.setattr(helpers, "movie_assets", lambda: built)


def test_when_tmdb_stops_resolving_imdb_ids_the_run_falls_back_to_two_calls(
    upstream, db, instance, monkeypatch
):
    _one_film_at_a_time(monkeypatch)
    keys = [OPPENHEIMER, BARBIE, EL_CONDE]
    # TMDb's movie endpoint no longer resolves IMDb ids; find still knows every film.
    by_imdb_id = rf"^/tmdb/3/movie/({'|'.join(keys)})\?"
    upstream.script(by_imdb_id, *[api_error("tmdb_404_not_found")] * len(keys))
    res = resources(upstream, db)
    result = materialize_movies(keys, res, instance)

    meta = partition_metadata(result, "tmdb_movies")
    assert {k: m["status"] for k, m in meta.items()} == dict.fromkeys(keys, "ok")
    assert scalar(db, "SELECT count(*) FROM movies WHERE tmdb_id IS NOT NULL") == 3
    # The first film: 404, find, movie by TMDb id. The others: find, movie by TMDb id.
    first = keys[0]
    assert upstream.count(r"^/tmdb/3/movie/tt") == 1
    assert upstream.count(rf"^/tmdb/3/movie/{first}\?") == 1
    assert upstream.count(r"^/tmdb/3/find/") == 3
    assert upstream.count(r"^/tmdb/3/movie/\d+\?") == 3
    assert upstream.count(r"^/tmdb/") == 3 + 2 + 2
    # Said in the run's tags, the step's metadata and the log.
    assert instance.get_run_by_id(result.run_id).tags[TMDB_FALLBACK_TAG] == first
    assert {m["tmdb_two_call_fallback_since"] for m in meta.values()} == {first}
    warnings = [
        e.user_message
        for e in instance.all_logs(result.run_id)
        if e.level == 30 and "no longer resolves IMDb ids" in (e.user_message or "")
    ]
    assert len(warnings) == 1 and first in warnings[0]

    # The fallback belongs to that run: the next run, in the same process with the
    # same resources, asks by IMDb id again.
    calls = upstream.count(r"^/tmdb/")
    later = materialize_movies([NOT_ON_OMDB], res, instance)
    assert upstream.count(r"^/tmdb/") == calls + 1
    assert TMDB_FALLBACK_TAG not in instance.get_run_by_id(later.run_id).tags
    assert (
        "tmdb_two_call_fallback_since" not in partition_metadata(later, "tmdb_movies")[NOT_ON_OMDB]
    )


def test_films_in_flight_when_the_run_falls_back_are_confirmed_and_reported_once(
    upstream, db, instance
):
    """Several films at once (the batch's threads): each 404 of the movie endpoint is
    confirmed by find whatever the others did, and the fallback is reported once."""
    keys = [OPPENHEIMER, BARBIE, EL_CONDE, NOT_ON_OMDB]
    upstream.script(r"^/tmdb/3/movie/tt\d+\?", *[api_error("tmdb_404_not_found")] * len(keys))
    result = materialize_movies(keys, resources(upstream, db), instance)
    meta = partition_metadata(result, "tmdb_movies")
    assert {k: m["status"] for k, m in meta.items()} == dict.fromkeys(keys, "ok")
    asked_by_imdb_id = upstream.count(r"^/tmdb/3/movie/tt")
    assert 1 <= asked_by_imdb_id <= len(keys)
    # Every film: find and the movie by TMDb id, plus the 404 of those asked by IMDb id.
    assert upstream.count(r"^/tmdb/") == asked_by_imdb_id + 2 * len(keys)
    tag = instance.get_run_by_id(result.run_id).tags[TMDB_FALLBACK_TAG]
    assert tag in keys and {m["tmdb_two_call_fallback_since"] for m in meta.values()} == {tag}
    warnings = [
        e for e in instance.all_logs(result.run_id)
        if "no longer resolves IMDb ids" in (e.user_message or "")
    ]  # fmt: skip
    assert len(warnings) == 1


def test_a_run_that_fell_back_keeps_two_calls_in_its_step_retries(upstream, db, instance):
    """A step retry (or the run re-launched after its worker died) reads the fallback
    from the run's tags and does not ask the movie endpoint by IMDb id again."""
    keys = [OPPENHEIMER, BARBIE]
    tags = {TMDB_FALLBACK_TAG: EL_CONDE}
    result = materialize_movies(keys, resources(upstream, db), instance, tags=tags)
    assert upstream.count(r"^/tmdb/3/movie/tt") == 0
    assert upstream.count(r"^/tmdb/3/find/") == 2 and upstream.count(r"^/tmdb/") == 4
    meta = partition_metadata(result, "tmdb_movies")
    assert {m["tmdb_two_call_fallback_since"] for m in meta.values()} == {EL_CONDE}
    assert {m["status"] for m in meta.values()} == {"ok"}


@pytest.mark.parametrize(
    "answers",
    [
        ["tmdb_429_rate_limited"],
        ["tmdb_503_service_offline", "tmdb_500_internal_error"],
        ["truncated"],
    ],
)
def test_transient_tmdb_failures_are_retried(upstream, db, instance, answers):
    truncated = scripted(200, (DATA / "tmdb/3/movie/872585.json").read_bytes()[:4000])
    upstream.script(
        rf"^/tmdb/3/movie/{OPPENHEIMER}",
        *[truncated if a == "truncated" else api_error(a) for a in answers],
    )
    result = materialize_movies([OPPENHEIMER], resources(upstream, db), instance)
    assert partition_metadata(result, "tmdb_movies")[OPPENHEIMER]["http_retries"] == len(answers)
    assert upstream.count(r"^/tmdb/") == upstream.count(r"^/tmdb/3/movie/") == len(answers) + 1


def _event_log_text(instance: DagsterInstance, run_id: str) -> str:
    return "\n".join(
        e.to_json() if hasattr(e, "to_json") else repr(e) for e in instance.all_logs(run_id)
    )


def test_an_invalid_tmdb_key_fails_clearly_without_retry_or_leak(upstream, db, instance):
    secret = "sekrit-tmdb-key-0123456789"
    res = resources(upstream, db, secrets={"TMDB_API_KEY": secret})
    result = materialize_movies([OPPENHEIMER], res, instance, raise_on_error=False)
    assert not result.success
    assert upstream.count(r"^/tmdb/") == 1  # neither the client nor Dagster retried
    log = _event_log_text(instance, result.run_id)
    assert "TMDB_API_KEY" in log and "HTTP 401" in log
    assert secret not in log
    run = instance.get_run_by_id(result.run_id)
    assert secret not in json.dumps(run.run_config) + json.dumps(run.tags)


def test_an_invalid_omdb_key_fails_without_retry_or_leak(upstream, db, instance):
    secret = "sekrit-omdb-key-9876543210"
    res = resources(upstream, db, secrets={"OMDB_API_KEY": secret})
    result = materialize_movies([OPPENHEIMER], res, instance, raise_on_error=False)
    assert not result.success
    assert upstream.count(r"^/omdb/") == 1
    log = _event_log_text(instance, result.run_id)
    assert "OMDB_API_KEY" in log and secret not in log


def test_omdb_metrics(upstream, db, instance):
    materialize_movies([OPPENHEIMER], resources(upstream, db), instance)
    raw = _omdb(OPPENHEIMER)

    def metric(source, kind, column="value"):
        return scalar(
            db,
            f"""SELECT e.{column} FROM external_metrics e JOIN movies m ON m.id = e.movie_id
                             WHERE m.imdb_id = :i AND e.source = :s AND e.metric_type = :k""",
            i=OPPENHEIMER,
            s=source,
            k=kind,
        )

    assert metric("imdb", "rating_average") == float(raw["imdbRating"])
    assert metric("imdb", "rating_votes") == float(raw["imdbVotes"].replace(",", ""))
    assert metric("metacritic", "metascore") == float(raw["Metascore"])
    rt = next(r["Value"] for r in raw["Ratings"] if r["Source"] == "Rotten Tomatoes")
    assert metric("rotten_tomatoes", "tomatometer") == float(rt.rstrip("%"))
    assert metric("omdb", "revenue_domestic") == float(raw["BoxOffice"].strip("$").replace(",", ""))
    assert metric("omdb", "awards_summary", "text_value") == raw["Awards"]
    assert metric("omdb", "awards_summary") == 7  # "Won 7 Oscars."
    assert metric("omdb", "content_rating", "text_value") == raw["Rated"]
    stored = scalar(db, "SELECT omdb_data FROM movies WHERE imdb_id = :i", i=OPPENHEIMER)
    assert (json.loads(stored) if isinstance(stored, str) else stored)["Title"] == raw["Title"]


def test_omdb_movie_not_found_is_a_successful_not_found(upstream, db, instance):
    result = materialize_movies([NOT_ON_OMDB], resources(upstream, db), instance)
    assert partition_metadata(result, "omdb_enrichment")[NOT_ON_OMDB]["status"] == "not_found"
    assert (
        scalar(db, "SELECT omdb_status FROM movies WHERE imdb_id = :i", i=NOT_ON_OMDB)
        == "not_found"
    )


def test_a_spent_omdb_quota_retries_the_movie_later_without_redoing_the_others(
    upstream, db, instance
):
    keys = [OPPENHEIMER, BARBIE, EL_CONDE]
    upstream.script(rf"^/omdb/\?i={BARBIE}", api_error("omdb_request_limit_reached"))
    res = resources(
        upstream, db, settings=upstream_settings(upstream, omdb_quota_retry_seconds=0.2)
    )
    result = materialize_movies(keys, res, instance)
    assert set(partition_metadata(result, "omdb_enrichment")) == set(keys)
    retries = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert [e.step_key for e in retries] == ["omdb_enrichment"]
    # The first movie was written before the quota ran out and was not asked for again.
    assert upstream.count(rf"i={OPPENHEIMER}") == 1
    assert upstream.count(rf"i={BARBIE}") == 2
    assert upstream.count(rf"i={EL_CONDE}") == 1


def test_an_invalid_partition_key_is_refused(upstream, db, instance):
    instance.add_dynamic_partitions("movies", ["Oppenheimer"])
    result = materialize_movies(
        ["Oppenheimer"], resources(upstream, db), instance, raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "is not an IMDb title id" in failure.step_failure_data.error.to_string()


def _rows(db, sql: str) -> list[tuple]:
    with db.transaction() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def _nominated(db, people: dict[str, tuple[str | None, int | None]], links: list[tuple[int, str]]):
    """People rows (name -> (IMDb id, TMDb id)) and their links to nominations 1..n of
    one ceremony; {name: people.id}."""
    with db.transaction() as conn:
        run = lambda sql, **p: conn.execute(sa.text(sql), p)  # noqa: E731
        run("INSERT INTO festival_organizations (id, name) VALUES (1001, 'Test Awards')")
        run("INSERT INTO festival_ceremonies (id, organization_id, year) VALUES (1, 1001, 2024)")
        run(
            "INSERT INTO festival_categories (id, organization_id, name, category_type, "
            "is_competitive, award_name) VALUES (1, 1001, 'Directing', 'person', TRUE, 'Prize')"
        )
        for n in sorted({n for n, _ in links}):
            run(
                "INSERT INTO festival_nominations (id, ceremony_id, category_id, "
                "nomination_key, position, source) VALUES (:n, 1, 1, :key, :n, 'test')",
                n=n,
                key=f"k{n}",
            )
        ids = {}
        for i, (name, (imdb, tmdb)) in enumerate(people.items(), start=1):
            run(
                "INSERT INTO people (id, name, imdb_id, tmdb_id) VALUES (:i, :name, :imdb, :tmdb)",
                i=i,
                name=name,
                imdb=imdb,
                tmdb=tmdb,
            )
            ids[name] = i
        for position, (n, name) in enumerate(links):
            run(
                "INSERT INTO festival_nomination_people (nomination_id, person_id, position) "
                "VALUES (:n, :p, :pos)",
                n=n,
                p=ids[name],
                pos=position,
            )
    return ids


def test_a_films_nominee_merges_fold_into_the_tmdb_people_in_one_go(db):
    """Three nominees of one film matched to TMDb people already stored: an IMDb-only
    row with links to two nominations, one of which the TMDb person already holds; one
    whose IMDb id differs from the TMDb person's (two humans of one name: left apart);
    one without an IMDb id."""
    ids = _nominated(
        db,
        {
            "Keep A": (None, 101), "Nominee A": ("nm0000001", None),
            "Keep B": ("nm0000002", 102), "Nominee B": ("nm0000003", None),
            "Keep C": ("nm0000004", 103), "Nominee C": (None, None),
        },
        [(1, "Nominee A"), (2, "Nominee A"), (2, "Keep A"), (3, "Nominee B"), (4, "Nominee C")],
    )  # fmt: skip
    with db.transaction() as conn:
        people_store._merge_people(
            conn,
            [
                (ids["Keep A"], ids["Nominee A"], "nm0000001"),
                (ids["Keep B"], ids["Nominee B"], "nm0000003"),
                (ids["Keep C"], ids["Nominee C"], None),
            ],
        )
    people = {
        r[0]: (r[1], r[2])
        for r in _rows(db, "SELECT name, imdb_id, tmdb_id FROM people ORDER BY id")
    }
    assert people == {
        "Keep A": ("nm0000001", 101),  # took the nominee's IMDb id
        "Keep B": ("nm0000002", 102),
        "Nominee B": ("nm0000003", None),
        "Keep C": ("nm0000004", 103),
    }
    links = _rows(
        db,
        "SELECT np.nomination_id, p.name FROM festival_nomination_people np "
        "JOIN people p ON p.id = np.person_id ORDER BY 1, 2",
    )
    assert links == [(1, "Keep A"), (2, "Keep A"), (3, "Nominee B"), (4, "Keep C")]
