"""Runs on a fleet of Celery workers: the run launcher of deploy/dagster.celery.yaml.

dagster-celery's CeleryRunLauncher sends each run as a task to a broker; a Celery
worker on any host executes it in one of its processes (the whole run, in-process
executor, see cinegraph_assets/celery_worker.py). Its health check only reads the
task's state in the result backend, and a worker host that dies mid-run leaves that
state at STARTED for good: run monitoring would never fail the run, so neither the
run retry nor the batch splitter would ever finish its partitions.

FleetRunLauncher adds the missing half: a STARTED task whose worker (the Celery node
named in the task's state) has not answered a broadcast ping for
`worker_lost_after_seconds` is reported FAILED, and run monitoring fails the run.
The wait must outlast a broker outage: after the broker is back a worker reconnects
within kombu's backoff (at most 30 s between attempts), and a ping that cannot reach
the broker at all proves nothing and restarts the wait.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from dagster import DagsterRun, Field, IntSource

# A run launcher's health-check result types have no public names.
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus
from dagster_celery.launcher import CeleryRunLauncher
from dagster_celery.tags import DAGSTER_CELERY_TASK_ID_TAG

log = logging.getLogger(__name__)

# Set by the worker on each run it executes (celery_worker.py): which Celery node and
# which process ran it. Visible and filterable in the UI's run list.
WORKER_TAG = "cinegraph/celery_worker"
WORKER_PID_TAG = "cinegraph/celery_worker_pid"

PING_TIMEOUT_SECONDS = 1.0


class FleetRunLauncher(CeleryRunLauncher):
    """CeleryRunLauncher whose health check also notices a worker that is gone."""

    def __init__(self, worker_lost_after_seconds: int = 60, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.worker_lost_after_seconds = worker_lost_after_seconds
        self._silent_since: dict[str, float] = {}  # run id -> first unanswered ping
        self._answering: tuple[float, set[str] | None] = (0.0, None)
        self._lock = threading.Lock()

    @classmethod
    def config_type(cls) -> dict:
        return {
            **CeleryRunLauncher.config_type(),
            "worker_lost_after_seconds": Field(
                IntSource,
                is_required=False,
                default_value=60,
                description="A run whose Celery worker has not answered a ping for this "
                "long is failed (run monitoring). Keep it above the workers' reconnect "
                "backoff after a broker outage (at most 30 s).",
            ),
        }

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        health = super().check_run_worker_health(run)
        if health.status != WorkerStatus.RUNNING:
            self._silent_since.pop(run.run_id, None)
            return health
        worker = self._worker_of(run)
        answering = self._answering_workers()
        if worker is None or answering is None or worker in answering:
            # Alive, or nothing can be told (no broker): start counting afresh.
            self._silent_since.pop(run.run_id, None)
            return health
        silent = time.monotonic() - self._silent_since.setdefault(run.run_id, time.monotonic())
        if silent < self.worker_lost_after_seconds:
            return health
        self._silent_since.pop(run.run_id, None)
        return CheckRunHealthResult(
            WorkerStatus.FAILED,
            f"Celery worker {worker} has not answered for {silent:.0f}s while the broker was "
            "reachable: its host or process is gone.",
        )

    def _worker_of(self, run: DagsterRun) -> str | None:
        """The Celery node running the task (Celery records it with STARTED)."""
        info = self.celery.AsyncResult(run.tags[DAGSTER_CELERY_TASK_ID_TAG]).info
        return info.get("hostname") if isinstance(info, dict) else None

    def _answering_workers(self) -> set[str] | None:
        """Nodes answering one broadcast ping, shared by the checks of one monitoring
        pass; None when the broker cannot be reached."""
        with self._lock:
            at, answering = self._answering
            if time.monotonic() - at < PING_TIMEOUT_SECONDS * 3:
                return answering
            try:
                with self.celery.connection_for_write() as conn:
                    # One attempt: the instance's long connect retries are for launches.
                    conn.connect()
                    replies = self.celery.control.ping(
                        timeout=PING_TIMEOUT_SECONDS, connection=conn
                    )
                answering = {name for reply in replies for name in reply}
            except Exception as exc:  # noqa: BLE001 (any broker error: cannot tell)
                log.warning("cannot ping the Celery workers: %s", exc)
                answering = None
            self._answering = (time.monotonic(), answering)
            return answering
