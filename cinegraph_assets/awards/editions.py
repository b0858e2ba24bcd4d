"""Edition partitions of the award bodies: one dynamic partition set per body.

A key is the IMDb edition: the year, with `-N` for IMDb's instanceWithinYear N > 1
(Critics Choice held two editions in 2016: "2016" and "2016-2"). Keys are added by the
edition sensor from the event's `historyEventEditions`, so a new edition needs no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from dagster import DynamicPartitionsDefinition

from cinegraph_assets.awards.registry import AwardBody
from cinegraph_assets.identity import edition_key
from cinegraph_assets.runtime.unit import InvalidPartitionKey

_KEY = re.compile(r"^(\d{4})(?:-([2-9]|[1-9]\d))?$")


class EditionKeyError(InvalidPartitionKey):
    pass


@dataclass(frozen=True, order=True)
class Edition:
    year: int
    instance: int = 1

    @property
    def key(self) -> str:
        return edition_key(self.year, self.instance)

    @classmethod
    def parse(cls, key: str) -> Edition:
        match = _KEY.match(key or "")
        if not match:
            raise EditionKeyError(
                f"edition partition {key!r} is not an IMDb edition: a year ('2024'), or "
                "a year and IMDb's instance within it ('2016-2')"
            )
        return cls(int(match.group(1)), int(match.group(2) or 1))


@cache
def editions_of(body: AwardBody) -> DynamicPartitionsDefinition:
    """The body's partitions definition (one object per body, shared by its asset,
    sensor and jobs)."""
    return DynamicPartitionsDefinition(name=body.partitions_name)


def sort_keys(keys) -> list[str]:
    """Edition keys in time order (partitions are listed in the order they were added)."""
    return [e.key for e in sorted(Edition.parse(k) for k in keys)]
