"""OMDb numbers, awards text and metrics."""

from __future__ import annotations

from cinegraph_assets.movies.omdb_metrics import metrics, number, parse_awards


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
