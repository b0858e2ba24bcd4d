"""Ceremony-year and movie partition keys."""

from __future__ import annotations

import pytest

from cinegraph_assets.ceremonies.partitions import (
    PartitionKeyError,
    ceremony_number,
    imdb_edition,
    parse_year,
)
from cinegraph_assets.movies.partitions import MovieKeyError, validate_movie_key


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
