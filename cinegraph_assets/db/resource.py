"""The one way the pipeline reaches its database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from dagster import ConfigurableResource
from pydantic import Field
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from cinegraph_assets.db.engine import default_sqlite_url, get_engine, safe_url

log = logging.getLogger(__name__)
T = TypeVar("T")
# Between attempts, for units of work and for a dropped connection alike.
_BACKOFF = wait_exponential_jitter(multiplier=0.05, max=5.0, jitter=0.2)

# PostgreSQL SQLSTATEs after which the same unit of work, run again, can succeed:
# serialization_failure, deadlock_detected, lock_not_available, and the server going
# away or coming back (admin_shutdown, crash_shutdown, cannot_connect_now).
_RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03", "57P01", "57P02", "57P03"}


def is_retryable(exc: BaseException) -> bool:
    """Deadlocks, serialization failures, a busy SQLite file, a lost connection."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    if getattr(orig, "pgcode", None) in _RETRYABLE_SQLSTATES:
        return True
    message = str(orig).lower()
    return any(
        text in message
        for text in (
            "database is locked",  # SQLite past its busy timeout
            "server closed the connection",
            "connection refused",
            "could not connect",
            "terminating connection",
            "the database system is",  # starting up / shutting down / in recovery
        )
    )


class DatabaseResource(ConfigurableResource):
    """The Cinegraph database: PostgreSQL, or an embedded SQLite file by default.

    Every unit of work is one `transaction(work)`: it commits when `work` returns and
    rolls back entirely when it raises, so nothing partial is ever written. A unit that
    meets a deadlock, a serialization failure or a lost connection is run again
    (bounded, exponential backoff with jitter, logged). The schema in sql/ is applied
    the first time a process touches the database.
    """

    url: str = Field(
        default="",
        description="SQLAlchemy URL (CINEGRAPH_DATABASE_URL). Empty: an embedded SQLite "
        "file in data_dir.",
    )
    data_dir: str = Field(
        default="",
        description="Folder for the embedded SQLite file (CINEGRAPH_DATA_DIR, default ./data).",
    )
    max_attempts: int = Field(default=10, description="Attempts of one unit of work.")
    max_retry_seconds: float = Field(
        default=120.0,
        description="Give up retrying a unit after this long (a database restart takes seconds).",
    )

    def resolved_url(self) -> str:
        return self.url or default_sqlite_url(self.data_dir or None)

    @property
    def display_url(self) -> str:
        return safe_url(self.resolved_url())

    @property
    def dialect(self) -> str:
        return self.engine().dialect.name

    def engine(self) -> Engine:
        return get_engine(self.resolved_url())

    def transaction(
        self,
        work: Callable[[Connection], T] | None = None,
        *,
        what: str = "unit of work",
        on_retry: Callable[[str], None] | None = None,
    ):
        """`transaction(work)` runs work(conn) as one retried unit and returns its result.

        Without `work` it is a plain transaction context manager (`with
        db.transaction() as conn:`), for reads and tests: a `with` block cannot be run
        a second time, so it is not retried.
        """
        if work is None:
            return self._begin()
        retrying = Retrying(
            retry=retry_if_exception(is_retryable),
            stop=stop_after_attempt(self.max_attempts) | stop_after_delay(self.max_retry_seconds),
            wait=_BACKOFF,
            before_sleep=lambda state: self._report(state, what, on_retry),
            reraise=True,
        )
        return retrying(self._once, work)

    def _once(self, work: Callable[[Connection], T]) -> T:
        with self.engine().begin() as conn:
            return work(conn)

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        """A transaction on a connection known to be alive: the block cannot be run
        again, so a connection the server dropped (a restart) is replaced first."""
        Retrying(
            retry=retry_if_exception(is_retryable),
            stop=stop_after_delay(self.max_retry_seconds),
            wait=_BACKOFF,
            reraise=True,
        )(self._ping)
        with self.engine().begin() as conn:
            yield conn

    def _ping(self) -> None:
        with self.engine().connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    @staticmethod
    def _report(state: RetryCallState, what: str, on_retry: Callable[[str], None] | None) -> None:
        exc = state.outcome.exception() if state.outcome else None
        orig = getattr(exc, "orig", exc)
        wait = state.next_action.sleep if state.next_action else 0.0
        message = (
            f"{what}: {type(orig).__name__}: {str(orig).strip().splitlines()[0][:200]} "
            f"(attempt {state.attempt_number}; running it again in {wait:.2f}s)"
        )
        log.warning(message)
        if on_retry is not None:
            on_retry(message)
