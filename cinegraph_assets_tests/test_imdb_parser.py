"""The IMDb event page parser."""

from __future__ import annotations

import pytest

from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets_tests.helpers import FIXTURES
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
