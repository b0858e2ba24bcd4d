"""The unit of work of a partitioned asset: what the runtime (batches.py) asks of it.

An asset hands `run_partitions` one `PartitionWork` object. For each partition of the
step the runtime calls, in this order and once each:
- `key`: the partition key as the asset's typed key (a year, an edition, an IMDb id),
  parsed once; every later step gets the typed key;
- `fetch`: the upstream answer, outside any transaction (retried per request by the
  HTTP layer), as a `Fetched` record;
- `write`: that record stored in the partition's own transaction, together with the
  partition's outcome row, returning the partition's metadata;
then, once for the partitions the step wrote, `checks` (one verdict per check and
partition), and `summary` for the step's own metadata.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from dagster import AssetCheckSeverity, AssetCheckSpec
from sqlalchemy import Connection

K = TypeVar("K")  # the typed partition key
R = TypeVar("R")  # what fetch returns for write


class Status(StrEnum):
    """A partition's outcome (the `partition_outcomes.status` column)."""

    OK = "ok"
    NOT_FOUND = "not_found"  # the upstream says the thing does not exist: data, not an error
    FAILED = "failed"
    CHECK_FAILED = "check_failed"  # written, but a blocking check failed: not done


# Outcomes that count as done: reused on retry, never run again by the splitter.
DONE = (Status.OK, Status.NOT_FOUND)


class UnusableInput(Exception):
    """A partition's input will not become usable by asking again (a page that is not
    a ceremony page, an invalid key): its unit fails without a retry."""


class InvalidPartitionKey(ValueError):
    """A partition key that cannot be one of the asset's keys: the step fails at once,
    without retries, before any partition is fetched."""


@dataclass(frozen=True)
class Fetched(Generic[R]):
    """What the upstream said about one partition."""

    status: Status  # OK or NOT_FOUND
    record: R


@dataclass(frozen=True)
class Check:
    """One check's verdict on one partition."""

    name: str
    passed: bool
    metadata: dict[str, Any] = field(default_factory=dict)
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR


@dataclass(frozen=True)
class CheckDef:
    """One check, declared once: the spec Dagster shows (`spec`) and the verdicts the
    unit gives (`verdict`). A blocking check fails with ERROR severity and holds the
    partition back; a non-blocking one warns."""

    name: str
    description: str
    blocking: bool = False

    def spec(self, asset: str) -> AssetCheckSpec:
        return AssetCheckSpec(
            self.name, asset=asset, blocking=self.blocking, description=self.description
        )

    def verdict(self, passed: bool, metadata: dict[str, Any] | None = None) -> Check:
        severity = AssetCheckSeverity.ERROR if self.blocking else AssetCheckSeverity.WARN
        return Check(self.name, passed, metadata or {}, severity)


class PartitionWork(ABC, Generic[K, R]):
    """One asset's work over the partitions of a step (see the module docstring)."""

    @abstractmethod
    def key(self, partition_key: str) -> K:
        """The typed key; raises InvalidPartitionKey for a key that cannot be one."""

    @abstractmethod
    def fetch(self, key: K) -> Fetched[R]:
        """Ask the upstream; raise UnusableInput for an answer asking again won't fix."""

    @abstractmethod
    def write(self, conn: Connection, key: K, fetched: Fetched[R]) -> dict[str, Any]:
        """Store the record (the caller's transaction) and return the metadata."""

    def checks(self, conn: Connection, keys: list[K]) -> dict[K, list[Check]]:
        """Verdicts of the asset's checks on the partitions this step wrote."""
        return {}

    def summary(self) -> dict[str, Any]:
        """The step's own metadata beside the runtime's counts."""
        return {}
