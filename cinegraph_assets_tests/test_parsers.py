"""Pure functions: page parsers, statements, keys, OMDb metrics, TMDb records."""

from __future__ import annotations

import json

import pytest

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets.ceremonies.keys import oscars_keys
from cinegraph_assets.ceremonies.oscars_parser import CeremonyPageError, parse_ceremony_page
from cinegraph_assets.ceremonies.partitions import (
    PartitionKeyError,
    ceremony_number,
    imdb_edition,
    parse_year,
)
from cinegraph_assets.ceremonies.text import statement_people
from cinegraph_assets.movies.omdb_metrics import metrics, number, parse_awards
from cinegraph_assets.movies.partitions import MovieKeyError, validate_movie_key
from cinegraph_assets.movies.tmdb_records import credits, movie_columns
from cinegraph_assets_tests.helpers import FIXTURES
from cinegraph_dev.sample_upstream.server import DATA

OSCARS_2024 = (DATA / "oscars.org/oscars/ceremonies/2024.html").read_text()
IMDB_2024 = (DATA / "imdb.com/event/ev0000003/2024/1.html").read_text()


def test_ceremony_page_header():
    c = parse_ceremony_page(OSCARS_2024, url="u", year=2024)
    assert (c.ceremony_number, c.name, str(c.date), c.location) == (
        96,
        "The 96th Academy Awards",
        "2024-03-10",
        "Dolby Theatre at Ovation Hollywood",
    )
    assert c.honoring == "Honoring movies released in 2023" and c.awarded


def test_slots_are_read_by_class_whatever_the_category():
    c = parse_ceremony_page(OSCARS_2024, url="u", year=2024)
    by = {(n.category, n.song_title or n.films[0], n.statement): n for n in c.nominations}
    actor = next(n for n in c.nominations if n.category == "Actor in a Leading Role" and n.won)
    assert (actor.films, actor.statement, actor.people) == (
        ("Oppenheimer",),
        "Cillian Murphy",
        ("Cillian Murphy",),
    )
    zone = next(n for n in c.nominations if n.category == "International Feature Film" and n.won)
    assert (zone.films, zone.country, zone.people) == (
        ("The Zone of Interest",),
        "United Kingdom",
        (),
    )
    song = next(n for (cat, first, _), n in by.items() if first == "What Was I Made For?")
    assert song.films == ("Barbie",)
    assert song.statement == "Music and Lyric by Billie Eilish and Finneas O'Connell"
    assert song.people == ("Billie Eilish", "Finneas O'Connell")
    assert {n.category for n in c.nominations if n.won} == {c.name for c in c.categories}
    assert sum(n.won for n in c.nominations) == 23 and len(c.nominations) == 120


def test_pre_ceremony_page():
    page = (FIXTURES / "pre_ceremony/oscars.org/oscars/ceremonies/2025.html").read_text()
    c = parse_ceremony_page(page, url="u", year=2025)
    assert not c.awarded and not any(n.won for n in c.nominations)
    (placeholder,) = [n for n in c.nominations if n.placeholder]
    assert placeholder.category == "Best Picture" and placeholder.people == ()


def test_multi_film_slot_and_old_category_names():
    page = (FIXTURES / "early/oscars.org/oscars/ceremonies/1929.html").read_text()
    c = parse_ceremony_page(page, url="u", year=1929)
    jannings = next(n for n in c.nominations if n.statement == "Emil Jannings")
    assert jannings.films == ("The Last Command", "The Way of All Flesh")
    assert "Actor" in {cat.name for cat in c.categories}


@pytest.mark.parametrize(
    "scenario,needle",
    [
        ("captcha", "captcha"),
        ("empty", "empty response body"),
        ("no_classes", "not an oscars.org ceremony page"),
        ("not_found", "not found"),
    ],
)
def test_broken_pages_are_rejected_with_the_url(scenario, needle):
    page = (FIXTURES / "broken" / scenario / "oscars.org/oscars/ceremonies/2024.html").read_text()
    with pytest.raises(CeremonyPageError) as err:
        parse_ceremony_page(page, url="https://www.oscars.org/oscars/ceremonies/2024", year=2024)
    assert "https://www.oscars.org/oscars/ceremonies/2024" in str(err.value)
    assert needle in str(err.value).lower()


def test_a_page_of_another_ceremony_is_rejected():
    with pytest.raises(CeremonyPageError, match="not ceremony 97"):
        parse_ceremony_page(OSCARS_2024, url="u", year=2025)


def test_imdb_page():
    e = parse_event_page(IMDB_2024, url="u")
    assert (e.edition_id, e.year, e.instance, str(e.date)) == ("ee0163152", 2024, 1, "2024-03-10")
    oscars = [n for n in e.nominations if n.is_oscar]
    assert len(oscars) == 120 and len({n.category for n in oscars}) == 23
    songs = {n.song_title for n in oscars if n.song_title}
    assert "What Was I Made For?" in songs and len(songs) == 5
    assert {n.award for n in e.nominations if not n.is_oscar} == {
        "Honorary Award",
        "Jean Hersholt Humanitarian Award",
        "Scientific and Engineering Award",
        "Technical Achievement Award",
    }
    assert (1930, 2, "ee0022588") in e.history and not any(y == 1933 for y, _, _ in e.history)


@pytest.mark.parametrize("scenario", ["imdb_no_next_data", "imdb_truncated_json"])
def test_broken_imdb_pages_are_rejected(scenario):
    page = (FIXTURES / "broken" / scenario / "imdb.com/event/ev0000003/2024/1.html").read_text()
    with pytest.raises(ImdbPageError, match="https://imdb.example/x"):
        parse_event_page(page, url="https://imdb.example/x")


@pytest.mark.parametrize(
    "statement,people",
    [
        (
            "Emma Thomas, Charles Roven and Christopher Nolan, Producers",
            ("Emma Thomas", "Charles Roven", "Christopher Nolan"),
        ),
        (
            "Production Design: James Price and Shona Heath; Set Decoration: Zsuzsa Mihalek",
            ("James Price", "Shona Heath", "Zsuzsa Mihalek"),
        ),
        (
            "Screenplay by Samy Burch; Story by Samy Burch & Alex Mechanik",
            ("Samy Burch", "Alex Mechanik"),
        ),
        ("Screenplay - Justine Triet and Arthur Harari", ("Justine Triet", "Arthur Harari")),
        ("Written for the Screen by Guillermo del Toro", ("Guillermo del Toro",)),
        (
            "Music by Nick Cave and Bryce Dessner; Lyric by Nick Cave",
            ("Nick Cave", "Bryce Dessner"),
        ),
        ("Nominees to be determined", ()),
    ],
)
def test_statement_people(statement, people):
    assert statement_people(statement) == people


def test_nomination_keys_keep_two_nominations_of_one_film_apart():
    c = parse_ceremony_page(OSCARS_2024, url="u", year=2024)
    for category in c.categories:
        keys = oscars_keys(category.nominations)
        assert len(set(keys)) == len(keys), category.name
    page = (DATA / "oscars.org/oscars/ceremonies/2023.html").read_text()
    supporting = next(
        cat
        for cat in parse_ceremony_page(page, url="u", year=2023).categories
        if cat.name == "Actor in a Supporting Role"
    )
    keys = oscars_keys(supporting.nominations)
    assert sorted(k for k in keys if "banshees" in k) == [
        "the banshees of inisherin | barry keoghan",
        "the banshees of inisherin | brendan gleeson",
    ]


def test_nomination_keys_survive_the_winners_and_filled_placeholders():
    before = parse_ceremony_page(
        (FIXTURES / "pre_ceremony/oscars.org/oscars/ceremonies/2025.html").read_text(),
        url="u",
        year=2025,
    )
    after = parse_ceremony_page(
        (DATA / "oscars.org/oscars/ceremonies/2025.html").read_text(), url="u", year=2025
    )
    keys = {cat.name: set(oscars_keys(cat.nominations)) for cat in before.categories}
    assert keys == {cat.name: set(oscars_keys(cat.nominations)) for cat in after.categories}


def test_partition_keys():
    assert (parse_year("2024"), ceremony_number(2024), imdb_edition(2024)) == (2024, 96, (2024, 1))
    assert [imdb_edition(y) for y in (1931, 1932, 1933, 1934)] == [
        (1930, 2),
        (1931, 1),
        (1932, 1),
        (1934, 1),
    ]
    for bad in ("24", "1928", "abcd", ""):
        with pytest.raises(PartitionKeyError):
            parse_year(bad)
    assert validate_movie_key("tt15398776") == "tt15398776"
    for bad in ("nm0634240", "tt12", "Oppenheimer", "tt15398776 "):
        with pytest.raises(MovieKeyError, match="not an IMDb title id"):
            validate_movie_key(bad)


@pytest.mark.parametrize(
    "name,type_,competitive",
    [
        ("Foreign Language Film", "competitive", True),
        ("Short Subject (Cartoon)", "competitive", True),
        ("Art Direction (Black-and-White)", "competitive", True),
        ("Honorary Award", "honorary", False),
        ("Jean Hersholt Humanitarian Award", "humanitarian", False),
        ("Irving G. Thalberg Memorial Award", "thalberg", False),
        ("Technical Achievement Award", "scientific_technical", False),
        ("Engineering Effects", "competitive", True),
    ],
)
def test_category_classification(name, type_, competitive):
    info = classify(name)
    assert (info.category_type, info.is_competitive) == (type_, competitive)


def test_omdb_numbers_and_awards():
    assert [number(v) for v in ("200,902", "$1,234,567", "85%", "8.0/10", "83/100", "N/A", "")] == [
        200902,
        1234567,
        85,
        8.0,
        83,
        None,
        None,
    ]
    assert parse_awards("Won 7 Oscars. 376 wins & 426 nominations total") == {
        "oscar_wins": 7,
        "total_wins": 376,
        "total_nominations": 426,
    }
    assert parse_awards("Won 1 Oscar. Another 43 wins & 148 nominations.") == {
        "oscar_wins": 1,
        "total_wins": 44,
        "total_nominations": 148,
    }
    assert (
        parse_awards("Nominated for 2 Oscars. 5 wins & 30 nominations total")["oscar_nominations"]
        == 2
    )


def test_omdb_metrics_skip_absent_values():
    found = {
        (m.source, m.metric_type): m
        for m in metrics(
            {
                "imdbRating": "N/A",
                "imdbVotes": "N/A",
                "Metascore": "N/A",
                "BoxOffice": "N/A",
                "Awards": "N/A",
                "Rated": "Not Rated",
                "Ratings": [],
            }
        )
    }
    assert list(found) == [("omdb", "content_rating")]


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
