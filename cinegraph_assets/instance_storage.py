"""Dagster instance storage on PostgreSQL, with a connection pool in every process.

dagster-postgres opens a new database connection for every statement outside the
webserver (NullPool). A batch of movies writes a few events per movie from its run
worker, and the daemon writes a planned-materialization event per movie and asset
when it launches the run: at ~2 ms per connection (a server process forked each
time) that was two thirds of the cost of each event. This storage keeps a small pool
per process instead, and checks a pooled connection before using it (pre-ping), so
after the instance database restarts nobody meets a dead connection: not the daemon,
not a run worker, not the webserver's GraphQL requests.

It also makes the first claim of a pool safe. A step claiming a pool that has no row
yet creates it with the instance's default limit (`concurrency: pools: default_limit`):
dagster 1.13 inserts the row, catches the unique violation when another run inserted
it at the same moment, and then runs an UPDATE in the transaction the violation has
aborted (InFailedSqlTransaction): on a fresh instance, one of two runs claiming a new
pool at once failed. Here the insert is `ON CONFLICT DO NOTHING` (it waits for the
other insert and then does nothing) and the pool's row is locked before its slots are
counted, so they are allocated once. No pool needs creating by hand.

Events are cheaper too. dagster-postgres writes each event in two transactions (the
row, then the asset index) and sends a NOTIFY with it that nothing listens to since
Dagster stopped watching events that way (it says so in its code); PostgreSQL
serializes the commits of notifying transactions. Here an event, or a batch of them,
is one transaction without a NOTIFY, and a batch's rows go in as one statement that
psycopg2 writes (Dagster has SQLAlchemy compile a new one for every batch, a bind
parameter per value). And Dagster writes batches only where
DAGSTER_EVENT_BATCH_SIZE is set in the process that produces the events: the run
worker (a ranged step's materializations) and whoever creates runs (the daemon: one
planned event per partition and asset). Every process that loads this storage sets it
(to 1000, unless the environment already says otherwise), so a deployment gets batches
without having to put the variable into each process's environment.

And the lists of dynamic partitions are kept for a second. Dagster reads the whole list
(every movie: tens of thousands) from the database each time it checks one key: for
every partition's metadata in a ranged step (`add_asset_metadata`), twice more for the
range's ends, on every asset page. Within a second of itself the list is reused (a
process's own additions and deletions drop it at once): at the scale of every award
body, that turns minutes of queries per run into one per second. A key is looked up in
a fresh list, and absent from it is absent. Lookups one key at a time read the list
once there are many: the daemon checks each key a sensor asks to add, one query each
(a tick's 1,000 new films at 31,830 movies: 1.08 s, now 0.05 s); after
LOOKUPS_BEFORE_LIST lookups within a second, one read of the list (30-47 ms) answers
the rest. A list is never older than a second, either way: a key another process added
or deleted within that second may be missed, and adding a key that exists is harmless
(Dagster adds only the missing ones).

A step waiting for a pool slot asks again every POOL_CLAIM_POLL_SECONDS. Dagster spaces
its checks from 1 s up to 15 s, longer the longer the step has waited. A movie batch
waits about 10 s for the `tmdb` slot while the batch before it fetches, so its checks
were 2 s apart by then, and the slot sat idle for up to that long after each batch. A
check is one short transaction. (How the waiting run sleeps between checks is
runtime/pool_wait.py.) The daemon that loads this storage looks at backfills every 10 s
instead of 30 (runtime/backfill_loop.py).

Configured in deploy/dagster.yaml as `storage: custom:` with the same `postgres_db`
settings as dagster-postgres's own `storage: postgres:`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from dagster import EventLogEntry

# A storage subclass works on Dagster's storage internals (event kinds, tables, the
# storage base and its config): none of them has a public equivalent.
from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS
from dagster._core.storage.base_storage import DagsterStorage
from dagster._core.storage.config import pg_config
from dagster._core.storage.event_log.schema import ConcurrencyLimitsTable, SqlEventLogStorageTable
from dagster._serdes import ConfigurableClassData
from dagster._utils.concurrency import ConcurrencyClaimStatus
from dagster_postgres.event_log import PostgresEventLogStorage
from dagster_postgres.run_storage import PostgresRunStorage
from dagster_postgres.schedule_storage import PostgresScheduleStorage
from dagster_postgres.storage import DagsterPostgresStorage
from dagster_postgres.utils import (
    create_pg_engine,
    get_token_provider_from_config,
    pg_url_from_config,
    set_pg_statement_timeout,
)
from psycopg2.extras import execute_values
from sqlalchemy import and_, event, select, update
from sqlalchemy.dialects.postgresql import insert

from cinegraph_assets.runtime import backfill_loop
from cinegraph_assets.settings import apply_dagster_event_batching

# Read by Dagster when it writes an event (dagster/_core/instance/utils.py); see above.
apply_dagster_event_batching()
# Read by the daemon's backfill loop when it starts (runtime/backfill_loop.py).
backfill_loop.apply()

_EVENT_COLUMNS = [c.name for c in SqlEventLogStorageTable.columns if c.name != "id"]
_EVENT_ROW = itemgetter(*_EVENT_COLUMNS)
_INSERT_EVENTS = "INSERT INTO {} ({}) VALUES %s RETURNING id".format(
    SqlEventLogStorageTable.name, ", ".join(f'"{c}"' for c in _EVENT_COLUMNS)
)

PARTITIONS_TTL_SECONDS = 1.0
LOOKUPS_BEFORE_LIST = 20
POOL_CLAIM_POLL_SECONDS = 0.5
POOL_SIZE = 2  # per process; threads of a batch borrow more (overflow) and give them back
MAX_OVERFLOW = 10
POOL_RECYCLE_SECONDS = 3600


class _Pooled:
    """Mixin for the three dagster-postgres storages: a pre-pinged pool."""

    postgres_url: str
    _token_provider: Any

    def _use_pool(
        self,
        *,
        pool_size: int = POOL_SIZE,
        max_overflow: int = MAX_OVERFLOW,
        pool_recycle: int = POOL_RECYCLE_SECONDS,
        statement_timeout: int | None = None,
    ):
        old = self._engine
        kwargs: dict[str, Any] = {
            "isolation_level": "AUTOCOMMIT",
            "pool_size": pool_size,
            "max_overflow": max_overflow,
            "pool_recycle": pool_recycle,
            "pool_pre_ping": True,
        }
        options = old.url.query.get("options")
        if options:
            kwargs["connect_args"] = {"options": options}
        self._engine = create_pg_engine(self.postgres_url, self._token_provider, **kwargs)
        if statement_timeout is not None:
            event.listen(
                self._engine,
                "connect",
                lambda connection, _: set_pg_statement_timeout(connection, statement_timeout),
            )
        old.dispose()

    def optimize_for_webserver(
        self, statement_timeout: int, pool_recycle: int, max_overflow: int
    ) -> None:
        # As dagster-postgres does for the webserver (one held connection, a statement
        # timeout), with the pre-ping added.
        self._use_pool(
            pool_size=1,
            max_overflow=max_overflow,
            pool_recycle=pool_recycle,
            statement_timeout=statement_timeout,
        )


class PooledPostgresRunStorage(_Pooled, PostgresRunStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._use_pool()


class PooledPostgresEventLogStorage(_Pooled, PostgresEventLogStorage):
    def __init__(self, *args, **kwargs):
        # Tables known to exist (has_table); set first, Dagster may ask while it starts.
        self._tables_seen: set[str] = set()
        super().__init__(*args, **kwargs)
        self._use_pool()
        # partitions definition -> (read at, keys in order, keys as a set)
        self._partitions: dict[str, tuple[float, list[str], frozenset[str]]] = {}
        self._partitions_lock = threading.Lock()
        # partitions definition -> (first lookup of the window, lookups in it)
        self._lookups: dict[str, tuple[float, int]] = {}

    def _fresh_partitions(self, name: str) -> tuple[list[str], frozenset[str]] | None:
        with self._partitions_lock:
            found = self._partitions.get(name)
        if found is None or time.monotonic() - found[0] > PARTITIONS_TTL_SECONDS:
            return None
        return found[1], found[2]

    def _listed_partitions(self, name: str) -> tuple[list[str], frozenset[str]]:
        """The definition's keys, in order and as a set: the fresh list, or read now."""
        cached = self._fresh_partitions(name)
        if cached is not None:
            return cached
        read_at = time.monotonic()
        keys = list(super().get_dynamic_partitions(name))
        listed = (keys, frozenset(keys))
        with self._partitions_lock:
            self._partitions[name] = (read_at, *listed)
        return listed

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        return list(self._listed_partitions(partitions_def_name)[0])

    def has_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> bool:
        cached = self._fresh_partitions(partitions_def_name)
        if cached is None and self._many_lookups(partitions_def_name):
            cached = self._listed_partitions(partitions_def_name)
        if cached is not None:
            return partition_key in cached[1]
        return super().has_dynamic_partition(partitions_def_name, partition_key)

    def _many_lookups(self, name: str) -> bool:
        """Whether this process has looked up more than LOOKUPS_BEFORE_LIST keys of the
        definition one by one within PARTITIONS_TTL_SECONDS (module docstring)."""
        now = time.monotonic()
        with self._partitions_lock:
            since, count = self._lookups.get(name, (now, 0))
            if now - since > PARTITIONS_TTL_SECONDS:
                since, count = now, 0
            self._lookups[name] = (since, count + 1)
        return count + 1 > LOOKUPS_BEFORE_LIST

    def add_dynamic_partitions(self, partitions_def_name: str, partition_keys) -> None:
        self._forget_partitions(partitions_def_name)
        super().add_dynamic_partitions(partitions_def_name, partition_keys)
        self._forget_partitions(partitions_def_name)

    def delete_dynamic_partition(self, partitions_def_name: str, partition_key: str) -> None:
        self._forget_partitions(partitions_def_name)
        super().delete_dynamic_partition(partitions_def_name, partition_key)
        self._forget_partitions(partitions_def_name)

    def _forget_partitions(self, name: str) -> None:
        with self._partitions_lock:
            self._partitions.pop(name, None)

    def has_table(self, table_name: str) -> bool:
        """Dagster asks whether a table exists before many reads and writes: each asset
        check evaluation, each batch of asset events (their tags), each query of dynamic
        partitions. dagster-postgres answers with a pg_class query each time, on a
        connection of its own (a pre-ping too). Tables come with migrations and none is
        ever dropped, so a yes is kept for the process."""
        if table_name in self._tables_seen:
            return True
        found = super().has_table(table_name)
        if found:
            self._tables_seen.add(table_name)
        return found

    def store_event(self, event: EventLogEntry) -> None:
        self._store([event])

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        # As dagster-postgres: a batch does not store failures to materialize.
        self._store([e for e in events if not e.get_dagster_event().is_asset_failed_to_materialize])

    def _store(self, events: Sequence[EventLogEntry]) -> None:
        """The events and their asset index in one transaction, without a NOTIFY (module
        docstring); any mix of event types."""
        if not events:
            return
        with self.index_transaction() as conn:
            ids = self._insert_events(conn, events)
            assets = [
                (event, event_id)
                for event, event_id in zip(events, ids, strict=True)
                if event.is_dagster_event
                and event.dagster_event_type in ASSET_EVENTS
                and event.dagster_event.asset_key
            ]
            if assets:
                self._store_asset_event_tags(conn, [e for e, _ in assets], [i for _, i in assets])
                # The asset's row holds its latest event of each kind: the batch's last.
                latest = {
                    (e.dagster_event.asset_key, e.dagster_event_type): (e, i) for e, i in assets
                }
                for event, event_id in sorted(latest.values(), key=lambda found: found[1]):
                    self._store_asset_event(conn, event, event_id)
        for event, event_id in zip(events, ids, strict=True):
            if event.is_dagster_event and event.dagster_event_type in ASSET_CHECK_EVENTS:
                self.store_asset_check_event(event, event_id)

    def _insert_events(self, conn, events: Sequence[EventLogEntry]) -> list[int]:
        """The events' rows (Dagster's own `_event_to_row`) in one multi-row INSERT through
        psycopg2's execute_values, their ids in the events' order. Dagster's
        `prepare_insert_event_batch` has SQLAlchemy compile a new statement for every
        batch, a bind parameter per value: at a ranged step's batch of materializations
        and the daemon's planned events, compiling cost more than serializing the events
        (about 30% of the event-log write's time, profiled)."""
        rows = [_EVENT_ROW(self._event_to_row(event)) for event in events]
        cursor = conn.connection.cursor()
        try:
            found = execute_values(cursor, _INSERT_EVENTS, rows, page_size=1000, fetch=True)
        finally:
            cursor.close()
        # PostgreSQL returns a multi-row VALUES insert's rows in the VALUES' order (as
        # Dagster's own batch insert assumes).
        return [row[0] for row in found]

    def claim_concurrency_slot(
        self, concurrency_key: str, run_id: str, step_key: str, priority: int | None = None
    ) -> ConcurrencyClaimStatus:
        """dagster's own, asking a step that did not get its slot to ask again in
        POOL_CLAIM_POLL_SECONDS (module docstring)."""
        status = super().claim_concurrency_slot(concurrency_key, run_id, step_key, priority)
        if status.is_claimed or status.sleep_interval is not None:
            return status
        return ConcurrencyClaimStatus(
            concurrency_key=status.concurrency_key,
            slot_status=status.slot_status,
            priority=status.priority,
            assigned_timestamp=status.assigned_timestamp,
            enqueued_timestamp=status.enqueued_timestamp,
            sleep_interval=POOL_CLAIM_POLL_SECONDS,
        )

    def initialize_concurrency_limit_to_default(self, concurrency_key: str) -> bool:
        """dagster's own, with an insert that cannot abort its transaction (module
        docstring). Without a default limit or on an older schema it is dagster's."""
        if not (self.has_concurrency_limits_table and self.has_default_pool_limit_col):
            return super().initialize_concurrency_limit_to_default(concurrency_key)
        self._reconcile_concurrency_limits_from_slots()
        if not self.has_instance:
            return False
        default_limit = self._instance.global_op_concurrency_default_limit
        if default_limit is None:
            return super().initialize_concurrency_limit_to_default(concurrency_key)
        limits = ConcurrencyLimitsTable
        of_pool = limits.c.concurrency_key == concurrency_key
        with self.index_transaction() as conn:
            conn.execute(
                insert(limits)
                .values(
                    concurrency_key=concurrency_key, limit=default_limit, using_default_limit=True
                )
                .on_conflict_do_nothing(index_elements=[limits.c.concurrency_key])
            )
            # Concurrent first claims count and add the slots one after the other.
            conn.execute(select(limits.c.id).where(of_pool).with_for_update())
            conn.execute(
                update(limits)
                .where(and_(of_pool, limits.c.limit != default_limit))
                .values(limit=default_limit)
            )
            self._allocate_concurrency_slots(conn, concurrency_key, default_limit)
        return True


class PooledPostgresScheduleStorage(_Pooled, PostgresScheduleStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._use_pool()


class PooledPostgresStorage(DagsterPostgresStorage):
    """`storage: custom: {module: cinegraph_assets.instance_storage, class:
    PooledPostgresStorage, config: {postgres_db: {...}}}`."""

    def __init__(
        self,
        postgres_url: str,
        should_autocreate_tables: bool = True,
        inst_data: ConfigurableClassData | None = None,
        token_provider: Any = None,
    ):
        # What DagsterPostgresStorage.__init__ does, with the pooled storages.
        self.postgres_url = postgres_url
        self.should_autocreate_tables = should_autocreate_tables
        self._inst_data = inst_data
        args = (postgres_url, should_autocreate_tables)
        self._run_storage = PooledPostgresRunStorage(*args, token_provider=token_provider)
        self._event_log_storage = PooledPostgresEventLogStorage(
            *args, token_provider=token_provider
        )
        self._schedule_storage = PooledPostgresScheduleStorage(*args, token_provider=token_provider)
        DagsterStorage.__init__(self)

    @classmethod
    def config_type(cls):
        return pg_config()

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledPostgresStorage:
        return cls(
            inst_data=inst_data,
            postgres_url=pg_url_from_config(config_value),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            token_provider=get_token_provider_from_config(config_value),
        )
