"""Movie partitions: one per film, keyed by IMDb title id, added by the movie sensor."""

from __future__ import annotations

import re

from dagster import DynamicPartitionsDefinition

from cinegraph_assets.runtime.unit import InvalidPartitionKey

movies = DynamicPartitionsDefinition(name="movies")

_IMDB_TITLE = re.compile(r"^tt\d{7,10}$")


class MovieKeyError(InvalidPartitionKey):
    pass


def validate_movie_key(key: str) -> str:
    if not isinstance(key, str) or not _IMDB_TITLE.match(key):
        raise MovieKeyError(
            f"movie partition {key!r} is not an IMDb title id: expected 'tt' followed by "
            "7 to 10 digits, e.g. 'tt15398776'"
        )
    return key
