"""Ceremony-year partitions: one per ceremony, keyed by the oscars.org URL year."""

from __future__ import annotations

import re
from datetime import date

from dagster import DynamicPartitionsDefinition

from cinegraph_assets.runtime.unit import InvalidPartitionKey

FIRST_CEREMONY_YEAR = 1929

# Dynamic, so a new ceremony (the 99th, "2027") is added by the new-ceremony sensor
# when oscars.org publishes it, without a code change or waiting for a calendar.
ceremony_years = DynamicPartitionsDefinition(name="ceremony_years")

_YEAR = re.compile(r"^\d{4}$")

# IMDb files the first ceremonies under different years (there is no 1933 edition,
# and 1930 has two): oscars.org URL year -> (IMDb year, instance within that year).
_IMDB_EDITIONS = {
    1929: (1929, 1),
    1930: (1930, 1),
    1931: (1930, 2),
    1932: (1931, 1),
    1933: (1932, 1),
    1934: (1934, 1),
}


class PartitionKeyError(InvalidPartitionKey):
    pass


def parse_year(partition_key: str) -> int:
    if not _YEAR.match(partition_key or "") or int(partition_key) < FIRST_CEREMONY_YEAR:
        raise PartitionKeyError(
            f"ceremony partition {partition_key!r} is not an oscars.org ceremony year "
            f"(four digits, {FIRST_CEREMONY_YEAR} or later; '2024' is the 96th ceremony)"
        )
    return int(partition_key)


def ceremony_number(year: int) -> int:
    return year - (FIRST_CEREMONY_YEAR - 1)


def imdb_edition(year: int) -> tuple[int, int]:
    """(IMDb year, instance) of the IMDb event page for an oscars.org year."""
    return _IMDB_EDITIONS.get(year, (year, 1))


def known_ceremony_years(today: date | None = None) -> list[str]:
    """Years whose ceremony has certainly happened: every year up to the last March."""
    today = today or date.today()
    last = today.year if today.month >= 4 else today.year - 1
    return [str(y) for y in range(FIRST_CEREMONY_YEAR, last + 1)]
