"""Nominee statements and nomination keys."""

from __future__ import annotations

import pytest

from cinegraph_assets.ceremonies.keys import oscars_keys
from cinegraph_assets.ceremonies.oscars_parser import parse_ceremony_page
from cinegraph_assets.text import statement_people
from cinegraph_assets_tests.helpers import FIXTURES
from cinegraph_dev.sample_upstream.server import DATA

OSCARS_2024 = (DATA / "oscars.org/oscars/ceremonies/2024.html").read_text()


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
