"""The oscars.org <-> IMDb matcher, pure: robust to how IMDb differs, never inventing."""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from pathlib import Path

import pytest

from cinegraph_assets.ceremonies.imdb_parser import parse_event_page
from cinegraph_assets.ceremonies.matcher import match_ceremony
from cinegraph_assets.ceremonies.model import (
    ImdbNomination,
    ImdbPerson,
    ImdbTitle,
    OscarsNomination,
)
from cinegraph_assets.ceremonies.oscars_parser import parse_ceremony_page
from cinegraph_assets.ceremonies.partitions import imdb_edition
from cinegraph_assets.ceremonies.text import statement_people
from cinegraph_dev.sample_upstream.server import DATA
from cinegraph_assets_tests.helpers import FIXTURES

CASES = [(DATA, y) for y in (2023, 2024, 2025, 2026)] + [
    (FIXTURES / "early", y) for y in (1929, 1931, 1933, 1934, 1969, 1990)
]


def _load(root: Path, year: int):
    iy, ii = imdb_edition(year)
    oscars = parse_ceremony_page(
        (root / f"oscars.org/oscars/ceremonies/{year}.html").read_text(), url="oscars", year=year
    )
    imdb = parse_event_page(
        (root / f"imdb.com/event/ev0000003/{iy}/{ii}.html").read_text(), url="imdb"
    )
    return oscars, list(imdb.nominations)


def _identity(i: ImdbNomination | None):
    if i is None:
        return None
    return (tuple(sorted(t.id for t in i.titles)), tuple(sorted(p.id for p in i.people)))


def _pairs(oscars, imdb):
    result = match_ceremony(oscars.nominations, imdb, awarded=oscars.awarded)
    return [(m.status, _identity(m.imdb)) for m in result.matches], result


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _perturb(imdb: list[ImdbNomination], rng: random.Random) -> list[ImdbNomination]:
    """IMDb as it differs in the wild: other names for categories, other orders, titles
    without articles or accents, '&' for 'and', names without middle initials."""
    categories = sorted({i.category for i in imdb})
    rng.shuffle(categories)
    renamed = {c: f"Award category {k}" for k, c in enumerate(categories)}
    out = []
    for i in imdb:
        titles = []
        for t in i.titles:
            title = t.title
            if rng.random() < 0.3 and title.lower().startswith("the "):
                title = title[4:]
            if rng.random() < 0.3:
                title = _strip_accents(title).replace(" and ", " & ")
            titles.append(dataclasses.replace(t, title=title))
        people = []
        for p in i.people:
            words = p.name.split()
            if len(words) == 3 and len(words[1].rstrip(".")) == 1 and rng.random() < 0.5:
                words = [words[0], words[2]]
            people.append(dataclasses.replace(p, name=_strip_accents(" ".join(words))))
        category = renamed[i.category] if i.is_oscar else i.category
        out.append(
            dataclasses.replace(i, category=category, titles=tuple(titles), people=tuple(people))
        )
    rng.shuffle(out)
    return out


@pytest.mark.parametrize("root,year", CASES, ids=[str(y) for _, y in CASES])
def test_every_nomination_matches(root, year):
    oscars, imdb = _load(root, year)
    pairs, result = _pairs(oscars, imdb)
    assert all(status == "matched" for status, _ in pairs), [
        (m.oscars.category, m.oscars.films, m.reason)
        for m in result.matches
        if m.status != "matched"
    ]
    assert not result.imdb_unassigned


@pytest.mark.parametrize("root,year", CASES, ids=[str(y) for _, y in CASES])
def test_matching_survives_imdb_differences(root, year):
    oscars, imdb = _load(root, year)
    expected, _ = _pairs(oscars, imdb)
    for seed in range(3):
        perturbed, _ = _pairs(oscars, _perturb(imdb, random.Random(seed)))
        assert perturbed == expected, f"seed {seed}"


@pytest.mark.parametrize("root,year", CASES, ids=[str(y) for _, y in CASES])
def test_a_missing_imdb_nomination_is_never_replaced_by_another(root, year):
    oscars, imdb = _load(root, year)
    before = match_ceremony(oscars.nominations, imdb, awarded=oscars.awarded).matches
    rng = random.Random(year)
    oscar_ones = [i for i in imdb if i.is_oscar]
    removed = {id(i) for i in rng.sample(oscar_ones, k=max(1, len(oscar_ones) // 10))}
    kept = [i for i in imdb if id(i) not in removed]
    after = match_ceremony(oscars.nominations, kept, awarded=oscars.awarded).matches
    for was, now in zip(before, after, strict=True):
        if id(was.imdb) in removed:
            assert now.status != "matched", (
                f"{was.oscars.category} {was.oscars.films}: matched to "
                f"{_identity(now.imdb)} after its IMDb nomination was removed"
            )
        else:
            assert (now.status, now.imdb) == (was.status, was.imdb)


def test_two_songs_from_one_film_get_their_own_imdb_nominations():
    oscars, imdb = _load(DATA, 2024)
    _, result = _pairs(oscars, imdb)
    songs = {
        m.oscars.song_title: {p.name for p in m.imdb.people}
        for m in result.matches
        if m.oscars.films == ("Barbie",) and m.oscars.song_title
    }
    assert songs == {
        "What Was I Made For?": {"Billie Eilish", "Finneas O'Connell"},
        "I'm Just Ken": {"Mark Ronson", "Andrew Wyatt"},
    }


def test_two_supporting_actors_from_one_film_are_told_apart():
    oscars, imdb = _load(DATA, 2023)
    _, result = _pairs(oscars, imdb)
    banshees = {
        m.oscars.statement: [p.name for p in m.imdb.people]
        for m in result.matches
        if m.oscars.category == "Actor in a Supporting Role"
        and m.oscars.films == ("The Banshees of Inisherin",)
    }
    assert banshees == {"Brendan Gleeson": ["Brendan Gleeson"], "Barry Keoghan": ["Barry Keoghan"]}


def _oscars(category, films, statement, won=False, song=None):
    return OscarsNomination(
        category=category,
        position=0,
        won=won,
        film_slot=films[0],
        entities=(statement,),
        films=tuple(films),
        statement=statement,
        people=statement_people(statement),
        song_title=song,
    )


def _imdb(category, titles, people, won=False, song=None):
    return ImdbNomination(
        award="Oscar",
        award_id="aw0000016",
        category=category,
        index=0,
        is_winner=won,
        titles=tuple(ImdbTitle(tt, title) for tt, title in titles),
        people=tuple(ImdbPerson(nm, name) for nm, name in people),
        song_title=song,
    )


def test_candidates_that_cannot_be_told_apart_are_ambiguous_not_guessed():
    song = "Best Achievement in Music Written for Motion Pictures (Original Song)"
    oscars = [
        _oscars("Music (Original Song)", ["Barbie"], "Music and Lyric by Pat Smith", song="A"),
        _oscars("Music (Original Song)", ["Barbie"], "Music and Lyric by Pat Smith", song="B"),
    ]
    # Two different IMDb people of the same name, and no song titles on IMDb.
    imdb = [
        _imdb(song, [("tt1517268", "Barbie")], [("nm0000001", "Pat Smith")]),
        _imdb(song, [("tt1517268", "Barbie")], [("nm0000002", "Pat Smith")]),
    ]
    result = match_ceremony(oscars, imdb, awarded=False)
    assert [m.status for m in result.matches] == ["ambiguous", "ambiguous"]
    assert all(m.imdb is None for m in result.matches)


def test_a_film_alone_does_not_match_an_acting_nomination_of_someone_else():
    category = "Best Performance by an Actor in a Supporting Role"
    oscars = [_oscars("Actor in a Supporting Role", ["Oppenheimer"], "Robert Downey Jr.", won=True)]
    imdb = [
        _imdb(category, [("tt15398776", "Oppenheimer")], [("nm0000233", "Matt Damon")], won=True)
    ]
    (match,) = match_ceremony(oscars, imdb, awarded=True).matches
    assert match.status == "unmatched" and match.imdb is None
    assert "Matt Damon" in match.reason


def test_titles_differing_in_punctuation_accents_articles_and_subtitles_match():
    category = "Best Motion Picture of the Year"
    pairs = [
        ("Tár", "TAR"),
        ("The Teachers' Lounge", "Teachers Lounge"),
        (
            "Mission: Impossible - Dead Reckoning Part One",
            "Mission: Impossible - Dead Reckoning Part 1",
        ),
        ("Birdman or (The Unexpected Virtue of Ignorance)", "Birdman"),
        ("Nǎi Nai & Wài Pó", "Nai Nai and Wai Po"),
    ]
    for k, (printed, on_imdb) in enumerate(pairs):
        oscars = [_oscars("Best Picture", [printed], "Some Producer, Producer")]
        imdb = [_imdb(category, [(f"tt{k:07d}", on_imdb)], [("nm1000000", "Some Producer")])]
        (match,) = match_ceremony(oscars, imdb, awarded=False).matches
        assert match.status == "matched", (printed, on_imdb, match.reason)
