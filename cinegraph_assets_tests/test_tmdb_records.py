"""TMDb records: movie columns and credits."""

from __future__ import annotations

import json

import pytest

from cinegraph_assets.tmdb.records import (
    MalformedRecord,
    check_details,
    check_find,
    credits,
    movie_columns,
    parse_movie,
)
from cinegraph_dev.sample_upstream.server import DATA


def test_tmdb_records():
    movie = json.loads((DATA / "tmdb/3/movie/872585.json").read_text())
    columns = movie_columns(movie)
    assert (columns["tmdb_id"], columns["title"], str(columns["release_date"])) == (
        872585,
        "Oppenheimer",
        "2023-07-19",
    )
    rows = credits(movie)
    assert len({c.credit_id for c in rows}) == len(rows) == 42
    assert {c.job for c in rows if c.name == "Christopher Nolan"} == {
        "Director",
        "Screenplay",
        "Producer",
    }


def test_a_movie_answer_is_read_once_into_a_record():
    movie = parse_movie(_movie())
    assert (movie.tmdb_id, movie.imdb_id, movie.title, str(movie.release_date)) == (
        872585,
        "tt15398776",
        "Oppenheimer",
        "2023-07-19",
    )
    assert movie.columns == movie_columns(_movie())
    assert movie.credits == tuple(credits(_movie()))
    assert movie.raw == _movie()


def _movie() -> dict:
    return json.loads((DATA / "tmdb/3/movie/872585.json").read_text())


def test_a_record_asked_for_by_tmdb_id_must_be_that_film():
    check_details(_movie(), 872585)
    with pytest.raises(MalformedRecord, match=r"id 872585 is not the TMDb id asked for \(346698\)"):
        check_details(_movie(), 346698)


def test_a_record_asked_for_by_imdb_id_must_be_a_movie_record_of_its_own():
    check_details(_movie())
    # Another IMDb id than asked is data (two IMDb ids, one TMDb film), not malformed.
    check_details({**_movie(), "imdb_id": "tt99999999"})
    tmdb_error = {"success": False, "status_code": 34, "status_message": "not found"}
    for body, problem in [
        (tmdb_error, r"^id is missing"),
        ({**_movie(), "id": 0}, r"id 0 is not a TMDb id"),
        ({**_movie(), "id": "872585"}, r"id is a string"),
        ({**_movie(), "id": True}, r"id is a boolean"),
        ({k: v for k, v in _movie().items() if k != "credits"}, r"credits is null"),
    ]:
        with pytest.raises(MalformedRecord, match=problem):
            check_details(body)


def _find(**results) -> dict:
    empty = {k: [] for k in ("movie_results", "person_results", "tv_results")}
    return {**empty, "tv_episode_results": [], "tv_season_results": [], **results}


def test_find_answers_with_series_and_episodes_are_checked_too():
    series = {"id": 1396, "name": "Breaking Bad", "media_type": "tv"}
    check_find(_find(tv_results=[series]))
    check_find({"movie_results": []})  # arrays TMDb did not send are not required
    for body, problem in [
        (_find(tv_results={"id": 1396}), r"tv_results is an object, not an array"),
        (_find(tv_results=["Breaking Bad"]), r"tv_results\[0\] is a string"),
        (_find(tv_results=[{**series, "id": "1396"}]), r"tv_results\[0\]\.id is a string"),
        (_find(tv_episode_results=[{"name": "Pilot"}]), r"tv_episode_results\[0\]\.id is missing"),
        ({"tv_results": [series]}, r"movie_results is null"),
    ]:
        with pytest.raises(MalformedRecord, match=problem):
            check_find(body)
