"""The sample upstream's synthetic full history (98 ceremonies) for benchmarks.

It must be deterministic, have the size and shape of the real history, and be read by
the real parsers, matcher and record functions the way real pages would be. Pure
functions and a local HTTP server: no Dagster instance, no database.

Matching all 98 ceremonies takes about 50 s on the 2-core development machine (the
matcher scores every pair of nominations), so the years outside a sample that spans
every era are marked slow: `-m "not slow"` runs the file in about 25 s, all of it 65 s.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.imdb_parser import parse_event_page
from cinegraph_assets.ceremonies.matcher import match_ceremony
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.ceremonies.oscars_parser import parse_ceremony_page
from cinegraph_assets.ceremonies.partitions import imdb_edition
from cinegraph_assets.ceremonies.text import name_similarity
from cinegraph_assets.movies import omdb_metrics, tmdb_records
from cinegraph_assets.movies.collaborations import KEY_CREW_JOBS, CreditRole, key_people, pairs
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.synthetic import CATEGORIES, SyntheticHistory

YEARS = range(1929, 2027)
MODERN = range(2000, 2027)
# Every era of category names, the IMDb edition quirks (1930/2, no 1933) and the present.
SAMPLE = {1929, 1930, 1931, 1933, 1934, 1941, 1950, 1957, 1968, 1977, 1990, 2002, 2020, 2026}


@pytest.fixture(scope="module")
def history() -> SyntheticHistory:
    return SyntheticHistory()


@pytest.fixture(scope="module")
def ceremonies(history):
    """Every ceremony as the real parsers read it: {year: (OscarsCeremony, ImdbEdition)}."""
    out = {}
    for year in YEARS:
        oscars = parse_ceremony_page(history.oscars_page(year), url=f"oscars {year}", year=year)
        imdb = parse_event_page(history.imdb_page(*imdb_edition(year)), url=f"imdb {year}")
        out[year] = (oscars, imdb)
    return out


def _oscar_films(imdb) -> set[str]:
    return {t.id for n in imdb.nominations if n.is_oscar for t in n.titles}


# -- determinism ---------------------------------------------------------------------


def _bodies(h: SyntheticHistory, tt: str) -> list[str]:
    tmdb_id = h.tmdb_id(tt)
    return [
        h.oscars_page(2024),
        h.imdb_page(2024, 1),
        h.imdb_page(1930, 2),
        h.tmdb_find(tt),
        h.tmdb_movie(tmdb_id) if tmdb_id else "",
        h.omdb(tt),
    ]


_DIGEST = """
import hashlib, sys
from cinegraph_dev.sample_upstream.synthetic import SyntheticHistory
h, tt = SyntheticHistory(), sys.argv[1]
bodies = [h.oscars_page(2024), h.imdb_page(2024, 1), h.imdb_page(1930, 2), h.tmdb_find(tt),
          h.tmdb_movie(h.tmdb_id(tt)) if h.tmdb_id(tt) else "", h.omdb(tt)]
print(hashlib.sha256("".join(bodies).encode()).hexdigest())
"""


def test_a_seed_gives_the_same_bodies_in_every_process_and_another_seed_others(history):
    tt = next(tt for tt, years in history.films().items() if 2024 in years)
    bodies = _bodies(history, tt)
    assert _bodies(SyntheticHistory(seed=1929), tt) == bodies
    digests = set()
    for hash_seed in ("1", "2"):  # str hashes (and set orders) differ between the two
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", _DIGEST, tt], env=env, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    assert digests == {hashlib.sha256("".join(bodies).encode()).hexdigest()}
    other = _bodies(SyntheticHistory(seed=7), tt)
    assert all(mine != theirs for mine, theirs in zip(bodies[:3], other[:3], strict=True))


def test_a_ceremony_does_not_depend_on_how_many_there_are(history):
    short = SyntheticHistory(ceremonies=5)
    assert short.ceremony_years() == [1929, 1930, 1931, 1932, 1933]
    assert short.oscars_page(1934) is None and short.imdb_page(1934, 1) is None
    assert short.films().keys() <= history.films().keys()
    tt = next(iter(short.films()))
    assert short.tmdb_movie(short.tmdb_id(tt)) == history.tmdb_movie(history.tmdb_id(tt))


# -- size and shape ------------------------------------------------------------------


def test_every_category_name_is_one_the_classifier_knows_on_both_sites():
    kinds = {"none": "international", "songwriters": "song"}
    for category in CATEGORIES:
        expected = "acting" if category.role.startswith(("lead_", "supporting_")) else "default"
        expected = kinds.get(category.role, expected)
        for _first, _last, oscars_name, imdb_name in category.eras:
            oscars, imdb = classify(oscars_name), classify(imdb_name)
            assert oscars.is_competitive and imdb.is_competitive, (oscars_name, imdb_name)
            assert oscars.canonical_name == imdb.canonical_name, (oscars_name, imdb_name)
            assert oscars.kind == imdb.kind == expected, (oscars_name, imdb_name)


def test_the_history_has_the_size_and_shape_of_the_real_one(history, ceremonies):
    films_per_year = {}
    for year, (oscars, imdb) in ceremonies.items():
        assert oscars.ceremony_number == year - 1928 and oscars.awarded
        assert (imdb.year, imdb.instance) == imdb_edition(year)
        assert len(imdb.history) == len(YEARS)
        for category in oscars.categories:
            assert sum(n.won for n in category.nominations) == 1, (year, category.name)
        oscar = [n for n in imdb.nominations if n.is_oscar]
        assert len(oscar) == len(oscars.nominations)
        assert {n.award for n in imdb.nominations if not n.is_oscar} >= {"Honorary Award"}
        films_per_year[year] = _oscar_films(imdb)
        if year in MODERN:
            assert 22 <= len(oscars.categories) <= 25, year
            assert 110 <= len(oscars.nominations) <= 125, year
    names = {year: {c.name for c in ceremonies[year][0].categories} for year in YEARS}
    assert {"Outstanding Picture", "Actor", "Writing (Adaptation)"} <= names[1929]
    assert {"Best Motion Picture", "Actor", "Cinematography (Color)"} <= names[1950]
    assert "Foreign Language Film" in names[1990] and "Actor in a Leading Role" in names[1990]
    assert {"International Feature Film", "Music (Original Song)"} <= names[2024]
    assert len(ceremonies[2024][0].categories) == 23 and "Casting" in names[2026]

    films = history.films()
    assert set(films) == set().union(*films_per_year.values())
    per_ceremony = statistics.mean(len(f) for f in films_per_year.values())
    twice = [years for years in films.values() if len(years) == 2]
    assert 5_000 <= len(films) <= 5_600 and 50 <= per_ceremony <= 58
    assert 0.02 <= len(twice) / len(films) <= 0.04
    assert all(len(years) <= 2 for years in films.values())
    assert all(b == a + 1 for a, b in twice)  # nominated again the year after


# -- the real parsers and matcher ----------------------------------------------------


def test_the_pages_follow_the_real_slot_conventions(ceremonies):
    oscars, imdb = ceremonies[2024]
    by_name = {c.name: c for c in oscars.categories}
    international = by_name["International Feature Film"].nominations
    assert all(n.country and n.films and not n.people for n in international)
    songs = by_name["Music (Original Song)"].nominations
    assert all(n.song_title and n.films and n.people for n in songs)
    assert all(n.films[0] not in n.song_title for n in songs)
    pictures, design = by_name["Best Picture"], by_name["Production Design"]
    assert all(n.statement.endswith(("Producer", "Producers")) for n in pictures.nominations)
    assert all(n.statement.startswith("Production Design: ") for n in design.nominations)
    notes = {n.notes for n in imdb.nominations if n.category == "Best International Feature Film"}
    assert notes == {n.country for n in international}
    assert all(
        re.fullmatch(r'For ".+"', n.notes or "")
        for n in imdb.nominations
        if "Original Song" in n.category
    )


@pytest.mark.parametrize(
    "year", [y if y in SAMPLE else pytest.param(y, marks=pytest.mark.slow) for y in YEARS]
)
def test_the_real_matcher_matches_every_nomination(ceremonies, year):
    oscars, imdb = ceremonies[year]
    result = match_ceremony(oscars.nominations, imdb.nominations, awarded=oscars.awarded)
    assert result.match_rate >= 0.99, [m.reason for m in result.matches if m.imdb is None]
    for m in result.matched:
        assert m.imdb.titles[0].title in m.oscars.films, (m.oscars.category, m.oscars.films)
        assert not m.winner_conflict
    assert all(not i.is_oscar for i in result.imdb_only) and not result.imdb_unassigned


def test_tmdb_and_omdb_records_for_every_film(history, ceremonies):
    nominees: dict[str, set[str]] = {}  # film -> the names IMDb gives its nominees
    nominations, wins = Counter(), Counter()
    for _oscars, imdb in ceremonies.values():
        for n in imdb.nominations:
            if n.is_oscar:
                nominees.setdefault(n.titles[0].id, set()).update(p.name for p in n.people)
                nominations[n.titles[0].id] += 1
                wins[n.titles[0].id] += n.is_winner
    credit_ids: set[str] = set()
    films_of_person: Counter = Counter()
    casts, crews, pair_counts = [], [], []
    absent_tmdb = absent_omdb = 0
    for tt, years in history.films().items():
        found = json.loads(history.tmdb_find(tt))["movie_results"]
        record = json.loads(history.omdb(tt))
        if record["Response"] == "True":
            counts = omdb_metrics.parse_awards(record["Awards"])
            assert counts.get("oscar_wins", 0) == wins[tt]
            assert wins[tt] or counts["oscar_nominations"] == nominations[tt]
            assert {m.metric_type for m in omdb_metrics.metrics(record)} >= {"rating_average"}
        else:
            assert record == {"Response": "False", "Error": "Movie not found!"}
            absent_omdb += 1
        if not found:
            assert history.tmdb_movie_by_imdb_id(tt) is None
            absent_tmdb += 1
            continue
        details = json.loads(history.tmdb_movie(found[0]["id"]))
        assert history.tmdb_movie_by_imdb_id(tt) == history.tmdb_movie(found[0]["id"])
        columns = tmdb_records.movie_columns(details)
        assert tmdb_records.imdb_id_of(details) == details["external_ids"]["imdb_id"] == tt
        assert columns["tmdb_id"] == found[0]["id"] and columns["title"]
        assert columns["release_date"].year in (years[0] - 2, years[0] - 1)
        credits = tmdb_records.credits(details)
        cast = [c for c in credits if c.credit_type == "cast"]
        crew = [c for c in credits if c.credit_type == "crew"]
        casts.append(len(cast))
        crews.append(len(crew))
        jobs = {c.job for c in crew}
        assert {"Director", "Producer", "Director of Photography", "Editor"} <= jobs
        assert "Original Music Composer" in jobs and jobs & {"Screenplay", "Writer"}
        assert jobs - KEY_CREW_JOBS  # and others
        for c in credits:
            assert re.fullmatch(r"[0-9a-f]{24}", c.credit_id) and c.credit_id not in credit_ids
            credit_ids.add(c.credit_id)
        films_of_person.update({c.tmdb_person_id for c in credits})
        roles = key_people(
            CreditRole(c.tmdb_person_id, c.credit_type, c.job, c.cast_order) for c in credits
        )
        pair_counts.append(len(pairs(roles)))
        # The pipeline links a nominee to the one credit of the film with a similar name.
        names = {c.tmdb_person_id: c.name for c in credits}
        for nominee in nominees[tt]:
            assert sum(name_similarity(nominee, n) >= 0.9 for n in names.values()) == 1
        for name in names.values():
            assert sum(name_similarity(nominee, name) >= 0.9 for nominee in nominees[tt]) <= 1
    total = len(casts) + absent_tmdb
    assert 0.002 <= absent_tmdb / total <= 0.012 and 0 < absent_omdb / total <= 0.012
    assert min(casts) >= 15 and max(casts) <= 40 and min(crews) >= 10 and max(crews) <= 25
    assert 200 <= statistics.mean(pair_counts) <= 500  # a few hundred pairs per film
    recurring = sum(n > 1 for n in films_of_person.values()) / len(films_of_person)
    assert recurring > 0.5 and films_of_person.most_common(1)[0][1] >= 30  # people recur
    unknown = json.loads(history.tmdb_find("tt0000001"))
    assert unknown["movie_results"] == [] and unknown["tv_results"] == []
    assert history.tmdb_movie(1) is None


# -- served over HTTP ----------------------------------------------------------------


def test_the_server_serves_the_synthetic_history(history):
    with SampleUpstream(synthetic=history, tmdb_key="k", omdb_key="k") as upstream:
        urls = upstream.base_urls()
        page = requests.get(f"{urls['oscars']}/oscars/ceremonies/1999", timeout=10)
        assert page.status_code == 200
        assert parse_ceremony_page(page.text, url="served", year=1999).ceremony_number == 71
        missing = requests.get(f"{urls['oscars']}/oscars/ceremonies/2027", timeout=10)
        assert missing.status_code == 404
        client = OscarsClient(base_url=urls["oscars"], backoff_seconds=0.01)
        assert client.ceremony_years(2026) == list(YEARS)
        event = requests.get(f"{urls['imdb']}/event/ev0000003/1930/2/", timeout=10)
        assert parse_event_page(event.text, url="served").nominations
        no_1933 = requests.get(f"{urls['imdb']}/event/ev0000003/1933/1/", timeout=10)
        assert no_1933.status_code == 404
        tt = next(tt for tt in history.films() if history.tmdb_id(tt))
        key = {"api_key": "k"}
        find = requests.get(
            f"{urls['tmdb']}/3/find/{tt}", params={"external_source": "imdb_id", **key}, timeout=10
        )
        tmdb_id = find.json()["movie_results"][0]["id"]
        movie = requests.get(f"{urls['tmdb']}/3/movie/{tmdb_id}", params=key, timeout=10)
        assert movie.json()["imdb_id"] == tt
        # TMDb resolves an IMDb id on its movie endpoint: the same record, in one call.
        by_imdb_id = requests.get(f"{urls['tmdb']}/3/movie/{tt}", params=key, timeout=10)
        assert by_imdb_id.content == movie.content
        absent = next(tt for tt in history.films() if not history.tmdb_id(tt))
        for unknown in (absent, "tt0000001", "1"):
            answer = requests.get(f"{urls['tmdb']}/3/movie/{unknown}", params=key, timeout=10)
            assert answer.status_code == 404 and answer.json()["status_code"] == 34
        assert requests.get(f"{urls['tmdb']}/3/movie/{tmdb_id}", timeout=10).status_code == 401
        omdb = requests.get(f"{urls['omdb']}/", params={"i": tt, "apikey": "k"}, timeout=10)
        assert omdb.json()["imdbID"] == tt
        stats = requests.get(f"{upstream.url}/_stats", timeout=10).json()
        assert stats == upstream.stats()
        assert stats == {
            "requests": {"oscars": 3, "imdb": 2, "tmdb": 7, "omdb": 1},
            "tmdb_429": 0,
        }


def test_tmdb_answers_429_with_retry_after_over_its_rate(history):
    with SampleUpstream(synthetic=history, tmdb_rate=5.0) as upstream:
        url = f"{upstream.base_urls()['tmdb']}/3/find/tt0000001"
        started = time.monotonic()
        with ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(lambda _: requests.get(url, timeout=10), range(30)))
        elapsed = time.monotonic() - started
        limited = [a for a in answers if a.status_code == 429]
        # The 5 in the bucket pass, and what refilled while the burst lasted.
        assert 5 <= len(answers) - len(limited) <= 5 + 5 * elapsed + 1
        assert all(a.headers["Retry-After"] == "1" for a in limited)
        assert limited[0].json() == {
            "success": False,
            "status_code": 25,
            "status_message": "Your request count (#) is over the allowed limit of (5).",
        }
        assert {a.status_code for a in answers} == {200, 429}
        assert upstream.stats() == {
            "requests": {"oscars": 0, "imdb": 0, "tmdb": 30, "omdb": 0},
            "tmdb_429": len(limited),
        }
        time.sleep(0.3)  # one token back
        assert requests.get(url, timeout=10).status_code == 200


def test_latency_is_per_request_for_concurrent_clients(history):
    with SampleUpstream(synthetic=history, latency=0.2) as upstream:
        url = f"{upstream.base_urls()['omdb']}/"

        def timed(_):
            started = time.monotonic()
            requests.get(url, params={"i": "tt0000001"}, timeout=10)
            return time.monotonic() - started

        started = time.monotonic()
        with ThreadPoolExecutor(16) as pool:
            durations = list(pool.map(timed, range(16)))
        # One after another they would take 3.2 s.
        assert min(durations) >= 0.2 and time.monotonic() - started < 1.0
