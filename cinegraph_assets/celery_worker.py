"""The Celery app of a fleet worker (deploy/dagster.celery.yaml, README "Running on a fleet").

    celery -A cinegraph_assets.celery_worker worker -n worker1@%h --concurrency 2

The app is the one the instance's run launcher sends runs with: the same broker,
result backend, queue and Celery settings, read from $DAGSTER_HOME/dagster.yaml,
so a worker cannot listen somewhere else than where the daemon sends. Its tasks are
dagster-celery's: each executes one whole run in a pool process, importing the code
location itself (no code server needed on a worker host).

Each run is tagged with the Celery node and the process that execute it
(fleet.WORKER_TAG, fleet.WORKER_PID_TAG), so the UI tells which host ran what.
"""

from __future__ import annotations

import os

from celery.signals import task_prerun
from dagster import DagsterInstance

# What dagster-celery sends a worker is a serialized ExecuteRunArgs / ResumeRunArgs;
# reading it back has no public API.
from dagster._grpc.types import ExecuteRunArgs, ResumeRunArgs
from dagster._serdes import unpack_value
from dagster_celery.tasks import create_execute_job_task, create_resume_job_task

from cinegraph_assets.fleet import WORKER_PID_TAG, WORKER_TAG, FleetRunLauncher

# Read before the pool forks, and the instance closed again: no pooled connection may
# be shared by the pool processes.
with DagsterInstance.get() as _instance:
    _launcher = _instance.run_launcher
    if not isinstance(_launcher, FleetRunLauncher):
        raise RuntimeError(
            f"$DAGSTER_HOME/dagster.yaml launches runs with {type(_launcher).__name__}, "
            "not cinegraph_assets.fleet.FleetRunLauncher: copy deploy/dagster.celery.yaml there"
        )
    app = _launcher.celery

execute_job = create_execute_job_task(app)
resume_job = create_resume_job_task(app)


@task_prerun.connect
def tag_run_with_worker(task=None, kwargs=None, **_ignored) -> None:
    """Before a run starts: which Celery node and process execute it."""
    packed = (kwargs or {}).get("execute_job_args_packed")
    if packed is None:
        return
    args = unpack_value(packed, as_type=(ExecuteRunArgs, ResumeRunArgs))
    with DagsterInstance.get() as instance:
        instance.add_run_tags(
            args.run_id, {WORKER_TAG: task.request.hostname, WORKER_PID_TAG: str(os.getpid())}
        )
