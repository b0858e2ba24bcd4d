"""TMDb records: movie columns and credits."""

from __future__ import annotations

import json

from cinegraph_assets.movies.tmdb_records import credits, movie_columns
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
