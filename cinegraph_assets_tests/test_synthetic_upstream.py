"""The sample upstream's synthetic full history (98 ceremonies and every award body's
editions) for benchmarks.

It must be deterministic, have the size and shape of the real history, and be read by
the real parsers, matcher and record functions the way real pages would be. Pure
functions and a local HTTP server: no Dagster instance, no database.

Matching all 98 ceremonies takes about 50 s on the 2-core development machine (the
matcher scores every pair of nominations), so the years outside a sample that spans
every era are marked slow: `-m "not slow"` runs the file in about 25 s, all of it 65 s.
The award bodies' tests check a sample of editions; every edition of every body (841
pages) and the totals are marked slow too.
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
from datetime import date

import pytest
import requests

from cinegraph_assets.awards.registry import load_bodies
from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.imdb_parser import extract_next_data, parse_event_page
from cinegraph_assets.ceremonies.matcher import match_ceremony
from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.ceremonies.oscars_parser import parse_ceremony_page
from cinegraph_assets.ceremonies.partitions import imdb_edition
from cinegraph_assets.movies import omdb_metrics
from cinegraph_assets.movies.collaborations import KEY_CREW_JOBS, CreditRole, key_people, pairs
from cinegraph_assets.text import name_similarity
from cinegraph_assets.tmdb import records as tmdb_records
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.synthetic import CATEGORIES, SyntheticHistory
from cinegraph_dev.sample_upstream.synthetic_bodies import LAST_EDITION_YEAR

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


# -- award bodies ----------------------------------------------------------------------
#
# Every body of the registry, every edition first_edition..2026 (and IMDb's second
# editions), in IMDb's page shape. Pages are checked through the project's parser and,
# for what it does not expose (titleType, the request context), in the page's JSON.

BODIES = load_bodies()
# The nine bodies the scale figures name (~56,000 nominations in ~590 editions).
NINE = ("cannes", "venice", "berlin", "sundance", "toronto", "golden_globes", "bafta",
        "actor_awards", "critics_choice")  # fmt: skip
TELEVISION = ("golden_globes", "bafta", "actor_awards", "critics_choice")
FILM_TYPES = {"movie", "short", "video", "tvMovie", "tvShort", "tvSpecial"}


def _event(key: str) -> str:
    return next(b.imdb_event_id for b in BODIES if b.key == key)


def _data(page: str) -> dict:
    return extract_next_data(page, url="synthetic")


def _entries(data: dict):
    """(award text, category text or None, nomination node) of a page's JSON."""
    for award in data["props"]["pageProps"]["edition"]["awards"]:
        for edge in award["nominationCategories"]["edges"]:
            category = edge["node"]["category"]
            for nomination in edge["node"]["nominations"]["edges"]:
                yield award["text"], category and category["text"], nomination["node"]


def _winners(page: str) -> int:
    return sum(n.is_winner for n in parse_event_page(page, url="winners").nominations)


def _sample(history) -> list[tuple[str, int, int]]:
    """Each body's first, a middle and its last edition, and the editions with quirks."""
    out = [("cannes", 1968, 1), ("critics_choice", 2016, 1), ("critics_choice", 2016, 2)]
    for body in BODIES:
        editions = history.bodies.editions(body.key)
        for year, instance in (editions[0], editions[len(editions) // 2], editions[-1]):
            out.append((body.key, year, instance))
    return out


def test_every_body_serves_its_editions_in_the_real_page_shape(history):
    assert {b.key for b in history.bodies.bodies} == {b.key for b in BODIES}
    edition_ids = set()
    for key, year, instance in _sample(history):
        event = _event(key)
        page = history.event_page(event, year, instance)
        edition = parse_event_page(page, url=key, expected=(year, instance))
        assert edition.nominations and edition.event_name
        assert (
            f'<link rel="canonical" href="https://www.imdb.com/event/{event}/{year}/{instance}/">'
            in page
        )  # noqa: E501
        data = _data(page)
        assert data["page"] == "/event/[evconst]/[year]/[instance]"
        assert data["query"] == {"evconst": event, "year": str(year), "instance": str(instance)}
        props = data["props"]["pageProps"]
        assert props["requestContext"]["pageConst"] == event
        info = props["editionInfo"]
        assert (info["year"], info["instanceWithinYear"]) == (year, instance)
        edition_ids.add(info["id"])
        history_editions = [
            (e["year"], e["instanceWithinYear"]) for e in props["historyEventEditions"]
        ]  # noqa: E501
        assert history_editions == sorted(history_editions, reverse=True)  # newest first
        assert history_editions == history.bodies.editions(key)[::-1]
        assert history_editions[-1][0] == next(b.first_edition for b in BODIES if b.key == key)
        assert history_editions[0] == (2026, 1)
        for award in props["edition"]["awards"]:
            assert re.fullmatch(r"aw\d{7}", award["id"])
            for edge in award["nominationCategories"]["edges"]:
                nominations = edge["node"]["nominations"]
                assert nominations["total"] == len(nominations["edges"]) >= 1
                assert nominations["pageInfo"]["hasNextPage"] is False
        for _award, _category, node in _entries(data):
            entities = node["awardedEntities"]
            for item in entities.get("awardTitles") or []:
                assert item["title"]["titleType"]["id"]  # a title nomination says its type
            for item in entities.get("secondaryAwardTitles") or []:
                assert "titleType" not in item["title"]  # a person's film does not
            for item in entities.get("secondaryAwardCompanies") or []:
                assert re.fullmatch(r"co\d{7}", item["company"]["id"])
    assert len(edition_ids) == len(_sample(history))  # distinct editions, distinct ids
    assert history.event_page(_event("cannes"), 1945, 1) is None
    assert history.event_page(_event("critics_choice"), 2017, 2) is None
    assert history.event_page("ev0009999", 2024, 1) is None


@pytest.mark.slow
def test_every_edition_of_every_body_parses(history):
    for body in BODIES:
        for year, instance in history.bodies.editions(body.key):
            page = history.event_page(body.imdb_event_id, year, instance)
            assert parse_event_page(page, url=body.key, expected=(year, instance)).nominations


def test_the_root_of_an_event_is_its_latest_edition(history):
    for body in BODIES:
        assert history.event_root(body.imdb_event_id) == history.event_page(
            body.imdb_event_id, 2026, 1
        )
    assert history.event_root("ev0000003") == history.imdb_page(2026, 1)
    short = SyntheticHistory(ceremonies=5)  # 1929..1933: the 5th ceremony is IMDb's 1932/1
    assert short.event_root("ev0000003") == short.imdb_page(1932, 1)
    assert history.event_root("ev0009999") is None


def test_body_pages_hold_what_real_editions_hold(history):
    cannes = parse_event_page(history.event_page(_event("cannes"), 2025, 1), url="cannes")
    by_category: dict[tuple[str, str], list] = {}
    for n in cannes.nominations:
        by_category.setdefault((n.award, n.category), []).append(n)
    # The main competition's whole line-up under the top award, one winner; a null
    # category named by its award; smaller prizes list only their winner.
    palme = by_category[("Palme d'Or", "Palme d'Or")]
    assert 15 <= len(palme) <= 25 and sum(n.is_winner for n in palme) == 1
    assert by_category[("Best Director", "Best Director")][0].is_winner
    assert all(len(ns) == 1 and ns[0].is_winner for (a, _), ns in by_category.items()
               if a in ("Jury Prize", "Best Actress"))  # fmt: skip
    # One category text under two awards.
    assert {a for a, c in by_category if c == "Best Actor"} == {
        "Best Actor",
        "Un Certain Regard - Best Actor",
    }
    venice = parse_event_page(history.event_page(_event("venice"), 2025, 1), url="venice")
    assert len({n.award for n in venice.nominations if n.category == "Best Film"}) >= 3
    # A person nomination names the person first and the film without a type.
    actor = by_category[("Best Actor", "Best Actor")][0]
    assert actor.people and actor.titles and not actor.companies
    entries = list(_entries(_data(history.event_page(_event("cannes"), 2025, 1))))
    person = next(node for a, c, node in entries if a == "Best Actor")["awardedEntities"]
    assert person["__typename"] == "AwardedNames" and person["awardNames"]
    assert (
        person["secondaryAwardTitles"]
        and "titleType" not in person["secondaryAwardTitles"][0]["title"]
    )  # noqa: E501

    two_films = companies = ties = careers = 0
    for key in ("cannes", "venice"):
        for year in range(2015, 2026):
            for award in history.bodies.edition(key, year).awards:
                for category in award.categories:
                    two_films += sum(len(n.titles) == 2 for n in category.nominations)
                    companies += sum(bool(n.companies) for n in category.nominations)
                    ties += sum(n.won for n in category.nominations) > 1
                    careers += sum(not n.titles for n in category.nominations)
    assert two_films >= 5 and companies >= 5 and ties >= 5 and careers >= 5


def test_editions_without_winners(history):
    # Cannes 1968 was stopped: its line-ups without a prize.
    cannes_1968 = history.bodies.edition("cannes", 1968)
    assert not cannes_1968.awarded and cannes_1968.nominations
    assert not any(n.won for n in cannes_1968.nominations)
    assert all(len(c.nominations) > 1 for a in cannes_1968.awards for c in a.categories)
    # Festivals later in 2026 than the synthetic today list their line-ups; when today
    # passes them, the same line-ups get their winners and the smaller prizes appear.
    before = history.bodies.edition("venice", 2026)
    assert history.bodies.today.isoformat() == "2026-08-20" and before.start.month == 9
    assert not before.awarded and not any(n.won for n in before.nominations)
    later = SyntheticHistory(today=date(2026, 12, 1)).bodies.edition("venice", 2026)
    assert later.awarded and sum(n.won for n in later.nominations) >= 10
    lineup = {(a.text, c.name): [t.imdb_id for n in c.nominations for t in n.titles]
              for a in before.awards for c in a.categories}  # fmt: skip
    after = {(a.text, c.name): [t.imdb_id for n in c.nominations for t in n.titles]
             for a in later.awards for c in a.categories}  # fmt: skip
    assert lineup.items() <= after.items() and len(after) > len(lineup)
    assert history.bodies.edition("cannes", 2026).awarded  # held in May
    # Critics Choice's two editions of 2016: January (films of 2015), December (of 2016).
    first, second = (history.bodies.edition("critics_choice", 2016, i) for i in (1, 2))
    assert first.key == "2016" and second.key == "2016-2"
    assert first.start.month == 1 and second.start.month == 12
    assert not {t for t in first.titles() if first.titles()[t][0].oscar} & {
        t for t in second.titles() if second.titles()[t][0].oscar
    }


def test_television_bodies_mix_films_and_series(history):
    globes = _data(history.event_page(_event("golden_globes"), 2026, 1))
    typed = {item["title"]["titleType"]["id"]
             for _a, _c, node in _entries(globes)
             for item in node["awardedEntities"].get("awardTitles") or []}  # fmt: skip
    assert {"movie", "tvSeries", "tvMiniSeries", "tvMovie"} <= typed
    untyped_tv = [
        category
        for _a, category, node in _entries(globes)
        if node["awardedEntities"]["__typename"] == "AwardedNames"
        and any(
            history.bodies.kind_of(item["title"]["id"]) == "series"
            for item in node["awardedEntities"]["secondaryAwardTitles"] or []
        )
    ]
    assert untyped_tv and all(
        re.search(r"Television Series|Limited Series|on Television", c) for c in untyped_tv
    )
    for key in TELEVISION:
        edition = history.bodies.edition(key, 2025)
        tv = sum(any(not t.is_film for t in n.titles) for n in edition.nominations)
        assert 0.25 <= tv / len(edition.nominations) <= 0.7, key
    assert not any(
        not t.is_film for n in history.bodies.edition("cannes", 2025).nominations for t in n.titles
    )
    bafta = history.bodies.edition("bafta", 2025).titles()
    assert {t.type for t, _ in bafta.values()} >= {"movie", "short", "tvSeries", "videoGame"}
    # A series: TMDb's find under tv_results, never a movie; OMDb calls it a series.
    series = next(t for t, _ in bafta.values() if t.type == "tvSeries")
    found = json.loads(history.tmdb_find(series.imdb_id))
    assert found["movie_results"] == [] and found["tv_results"][0]["name"] == series.title
    assert history._film_of(series.imdb_id) is None and history.tmdb_id(series.imdb_id) is None
    assert history.tmdb_movie(found["tv_results"][0]["id"]) is None
    assert json.loads(history.omdb(series.imdb_id))["Type"] == "series"
    game = next(t for t, _ in bafta.values() if t.type == "videoGame")
    assert json.loads(history.tmdb_find(game.imdb_id)) == json.loads(history.tmdb_find("tt0000001"))
    # A film made for television is a film: TMDb knows it as a movie.
    tv_movie = next(
        t for t, _ in bafta.values() if t.type == "tvMovie" and history.tmdb_id(t.imdb_id)
    )
    details = json.loads(history.tmdb_movie(history.tmdb_id(tv_movie.imdb_id)))
    assert details["imdb_id"] == tv_movie.imdb_id


def test_body_films_are_films_of_the_history(history):
    oscar = history.films()
    # An academy's season is the Oscars' season: Golden Globes 2024 nominate the films
    # of the 2024 ceremony, as the same synthetic films.
    globes = history.bodies.edition("golden_globes", 2024).titles()
    films = [t for t, _ in globes.values() if t.is_film]
    shared = [t for t in films if 2024 in oscar.get(t.imdb_id, ())]
    assert 0.3 <= len(shared) / len(films) <= 0.8
    # A festival shows a few films of the next ceremony.
    cannes = {t for t, (title, _) in history.bodies.edition("cannes", 2023).titles().items()
              if title.is_film}  # fmt: skip
    assert 1 <= len(cannes & {t for t, years in oscar.items() if 2024 in years}) <= 15
    # Films travel from earlier festivals of the year.
    later = set()
    for key in ("toronto", "nyff", "new_horizons"):
        later |= set(history.bodies.edition(key, 2023).titles())
    assert len(cannes & later) >= 2
    # Every film answers TMDb and OMDb, with the page's nominees among its credits.
    checked = unknown = 0
    for key in ("cannes", "golden_globes", "sundance"):
        edition = history.bodies.edition(key, 2019)
        for n in edition.nominations:
            credited: list[str] = []
            for title in n.titles:
                if not title.is_film:
                    credited = []
                    break
                found = json.loads(history.tmdb_find(title.imdb_id))["movie_results"]
                record = json.loads(history.omdb(title.imdb_id))
                assert record["Response"] == "False" or record["imdbID"] == title.imdb_id
                if not found:
                    unknown += 1
                    assert history.tmdb_id(title.imdb_id) is None
                    credited = []
                    break
                checked += 1
                details = json.loads(history.tmdb_movie(found[0]["id"]))
                assert details["imdb_id"] == title.imdb_id and details["title"] == title.title
                credits = details["credits"]["cast"] + details["credits"]["crew"]
                credited += [c["name"] for c in credits]
            for p in n.people if credited else ():
                name = history._person(p).name
                assert any(name_similarity(name, credit) >= 0.9 for credit in credited)
    assert checked >= 200 and unknown / (checked + unknown) < 0.05


def test_body_pages_are_deterministic_and_do_not_depend_on_generation_order(history):
    tt = next(t for t, (title, _) in history.bodies.edition("cannes", 2025).titles().items()
              if not title.oscar and title.is_film and history.tmdb_id(t))  # fmt: skip
    bodies = [
        history.event_page(_event("cannes"), 2025, 1),
        history.event_page(_event("golden_globes"), 2026, 1),
        history.tmdb_find(tt),
        history.tmdb_movie(history.tmdb_id(tt)),
        history.omdb(tt),
    ]
    fresh = SyntheticHistory()  # these first, with nothing generated before them
    assert fresh.event_page(_event("golden_globes"), 2026, 1) == bodies[1]
    assert fresh.tmdb_movie(history.tmdb_id(tt)) == bodies[3]
    assert fresh.event_page(_event("cannes"), 2025, 1) == bodies[0]
    script = (
        "import hashlib, sys\n"
        "from cinegraph_dev.sample_upstream.synthetic import SyntheticHistory\n"
        "h, tt = SyntheticHistory(), sys.argv[1]\n"
        "b = [h.event_page('ev0000147', 2025, 1), h.event_page('ev0000292', 2026, 1),\n"
        "     h.tmdb_find(tt), h.tmdb_movie(h.tmdb_id(tt)), h.omdb(tt)]\n"
        "print(hashlib.sha256(''.join(b).encode()).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "3"}
    out = subprocess.run(
        [sys.executable, "-c", script, tt], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == hashlib.sha256("".join(bodies).encode()).hexdigest()
    other = SyntheticHistory(seed=7)
    assert other.event_page(_event("cannes"), 2025, 1) != bodies[0]


def test_modern_editions_have_the_truth_samples_proportions(history):
    # (body, edition): nominations, awards, categories of the real edition, +-35%.
    truth = {
        ("cannes", 2025): (211, 43, 47),
        ("venice", 2025): (208, 54, 77),
        ("berlin", 2026): (177, 25, 49),
        ("golden_globes", 2026): (162, 1, 28),
        ("bafta", 2026): (354, 4, 83),
        ("critics_choice", 2016): (153, 1, 27),
    }
    for (key, year), (nominations, awards, categories) in truth.items():
        instance = 2 if key == "critics_choice" else 1
        e = parse_event_page(history.event_page(_event(key), year, instance), url=key)
        cats = {(n.award, n.category) for n in e.nominations}
        assert 0.65 <= len(e.nominations) / nominations <= 1.35, (key, len(e.nominations))
        assert 0.65 * categories <= len(cats) <= 1.35 * categories, (key, len(cats))
        assert len({n.award for n in e.nominations}) <= max(awards * 1.35, awards + 5), key
        films = {t.id for n in e.nominations for t in n.titles}
        assert len(films) < len(e.nominations)  # the same films win several prizes
    early = history.bodies.edition("cannes", 1950).nominations
    assert len(early) < len(history.bodies.edition("cannes", 2025).nominations) / 3


@pytest.mark.slow
def test_all_bodies_have_the_size_of_the_real_history(history):
    editions = nominations = nine_editions = nine_nominations = 0
    films: set[str] = set()
    for body in BODIES:
        for year, instance in history.bodies.editions(body.key):
            edition = history.bodies.edition(body.key, year, instance)
            editions += 1
            nominations += len(edition.nominations)
            if body.key in NINE:
                nine_editions += 1
                nine_nominations += len(edition.nominations)
            films |= {t for t, (title, _) in edition.titles().items() if title.is_film}
    expected = sum(LAST_EDITION_YEAR - b.first_edition + 1 for b in BODIES) + 1
    assert editions == expected == 841
    assert 560 <= nine_editions <= 620 and 45_000 <= nine_nominations <= 65_000
    assert 50_000 <= nominations <= 80_000
    oscar = set(history.films())
    assert 25_000 <= len(films | oscar) <= 35_000 and 0.3 <= len(films & oscar) / len(oscar)


def test_the_server_serves_every_body_and_the_roots(history, tmp_path):
    with SampleUpstream(synthetic=history) as upstream:
        imdb = upstream.base_urls()["imdb"]
        cannes = requests.get(f"{imdb}/event/ev0000147/2025/1/", timeout=30)
        assert cannes.status_code == 200
        assert cannes.text == history.event_page("ev0000147", 2025, 1)
        root = requests.get(f"{imdb}/event/ev0000147/", timeout=30)
        assert root.text == history.event_page("ev0000147", 2026, 1)
        oscars_root = requests.get(f"{imdb}/event/ev0000003", timeout=30)
        assert parse_event_page(oscars_root.text, url="root").year == 2026
        second = requests.get(f"{imdb}/event/ev0000133/2016/2/", timeout=30)
        assert parse_event_page(second.text, url="cc", expected=(2016, 2)).nominations
        for missing in ("ev0000147/1940/1/", "ev0009999/", "ev0000133/2015/2/"):
            assert requests.get(f"{imdb}/event/{missing}", timeout=30).status_code == 404
        venice = f"{imdb}/event/ev0000681/2026/1/"
        assert not _winners(requests.get(venice, timeout=30).text)
        published = requests.get(f"{upstream.url}/_publish?today=2026-12-01", timeout=30)
        assert published.json() == {"ceremonies": 98, "today": "2026-12-01"}
        assert _winners(requests.get(venice, timeout=30).text) >= 10
    # Data roots: the root answers with the newest edition file of the event.
    event = tmp_path / "imdb.com" / "event" / "ev0000147"
    for year in (2024, 2025):
        (event / str(year)).mkdir(parents=True)
        (event / str(year) / "1.html").write_text(history.event_page("ev0000147", year, 1))
    with SampleUpstream([tmp_path]) as upstream:
        imdb = upstream.base_urls()["imdb"]
        root = requests.get(f"{imdb}/event/ev0000147/", timeout=30)
        assert parse_event_page(root.text, url="root", expected=(2025, 1)).nominations
        assert requests.get(f"{imdb}/event/ev0000681/", timeout=30).status_code == 404
    with SampleUpstream() as upstream:  # the recorded Oscar pages
        root = requests.get(f"{upstream.base_urls()['imdb']}/event/ev0000003/", timeout=30)
        assert parse_event_page(root.text, url="root", expected=(2026, 1)).nominations
