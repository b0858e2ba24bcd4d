"""The IMDb event page parser."""

from __future__ import annotations

import pytest

from cinegraph_assets.ceremonies.imdb_parser import (
    ImdbPageError,
    extract_next_data,
    parse_edition,
    parse_event_page,
)
from cinegraph_assets_tests.helpers import FIXTURES
from cinegraph_assets_tests.recorded_pages import imdb_page_before_the_show
from cinegraph_dev.sample_upstream.server import DATA

IMDB_2024 = (DATA / "imdb.com/event/ev0000003/2024/1.html").read_text()


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


def _edited(edit) -> dict:
    data = extract_next_data(IMDB_2024, url="u")
    edit(data)
    return data


def test_title_types_are_read_and_absent_where_imdb_gives_none():
    e = parse_event_page(IMDB_2024, url="u")
    by_category = {}
    for n in e.nominations:
        for t in n.titles:
            by_category.setdefault(n.category, set()).add(t.title_type)
    assert by_category["Best Motion Picture of the Year"] == {"movie"}
    assert by_category["Best Live Action Short Film"] == {"short"}
    # A person nomination names its film in secondaryAwardTitles, without a titleType.
    assert by_category["Best Performance by an Actor in a Leading Role"] == {None}


def test_the_event_is_read_from_the_route_or_else_the_request_context():
    assert parse_event_page(IMDB_2024, url="u").event_id == "ev0000003"

    def only_context(data):
        del data["query"]["evconst"]
        data["props"]["pageProps"]["requestContext"] = {"pageConst": "ev0000147"}

    cannes = parse_edition(_edited(only_context), url="u", expected=(2024, 1))
    assert cannes.event_id == "ev0000147"
    with pytest.raises(ImdbPageError, match=r"^u: the page is IMDb event ev0000147 .*ev0000003"):
        parse_edition(_edited(only_context), url="u", expected_event="ev0000003")

    def neither(data):
        del data["query"]

    # A page that names no event is not refused for it.
    unnamed = parse_edition(_edited(neither), url="u", expected_event="ev0000003")
    assert unnamed.event_id is None and len(unnamed.nominations) == 130


def test_totals_that_agree_are_not_reported():
    def totals(data):
        for award in data["props"]["pageProps"]["edition"]["awards"]:
            edges = award["nominationCategories"]["edges"]
            award["nominationCategories"]["total"] = len(edges)
            for edge in edges:
                nominations = edge["node"]["nominations"]
                nominations["total"] = len(nominations["edges"])

    e = parse_edition(_edited(totals), url="u")
    assert e.warnings == () and len(e.nominations) == 130


def test_an_edition_is_awarded_once_a_nomination_is_a_winner():
    assert parse_event_page(IMDB_2024, url="u").awarded
    before = imdb_page_before_the_show(2024).decode()
    assert not parse_event_page(before, url="u").awarded
