"""The oscars.org ceremony page parser."""

from __future__ import annotations

import pytest

from cinegraph_assets.ceremonies.oscars_parser import CeremonyPageError, parse_ceremony_page
from cinegraph_assets_tests.helpers import FIXTURES
from cinegraph_dev.sample_upstream.server import DATA

OSCARS_2024 = (DATA / "oscars.org/oscars/ceremonies/2024.html").read_text()


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
