"""The one way the pipeline reaches its database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dagster import ConfigurableResource
from pydantic import Field
from sqlalchemy import Connection, Engine

from cinegraph_assets.db.engine import default_sqlite_url, get_engine, safe_url


class DatabaseResource(ConfigurableResource):
    """The Cinegraph database: PostgreSQL, or an embedded SQLite file by default.

    Every unit of work takes one `transaction()`: it commits when the block ends and
    rolls back entirely when it raises, so nothing partial is ever written. The schema
    in sql/ is applied the first time a process touches the database.
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

    def resolved_url(self) -> str:
        return self.url or default_sqlite_url(self.data_dir or None)

    @property
    def display_url(self) -> str:
        return safe_url(self.resolved_url())

    def engine(self) -> Engine:
        return get_engine(self.resolved_url())

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.engine().begin() as conn:
            yield conn
