"""The last module the fork server imports (warm_runs.PRELOAD).

First it imports what a run imports as it starts, before its first step: the classes
of the instance in DAGSTER_HOME (the storage, the run launcher, ...) with the storage
bases Dagster loads them through, and the database driver. A profile of the run
workers over the Oscar history through the daemon (py-spy, 29 runs) found 6% of their
CPU there, in every run, once the code location itself came preloaded.

Then everything the fork server has imported by then (Dagster, the code location, the
solver, those classes) leaves the garbage collector's generations for good. A run
process forked from it shares those pages with it until something writes to them; a
collection that scanned them would write to every object's header and so give each
run process its own copy of all of it. Those objects live as long as the process anyway.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os

from cinegraph_assets.settings import dagster_home

log = logging.getLogger(__name__)

# Imported by every run at its start whatever the instance: the storage bases
# (InstanceRef.storage), the driver SQLAlchemy's PostgreSQL dialect loads, the path
# library Dagster's local storage uses.
RUN_START_MODULES = (
    "dagster._core.storage.base_storage",
    "dagster._core.storage.root",
    "dagster._core.storage.local_compute_log_manager",
    "dagster._core.secrets.env_file",
    "psycopg2",
    "psycopg2.extras",
    "upath.core",
)


def instance_modules(home: str | None) -> list[str]:
    """The modules of the classes the instance in `home` names (its dagster.yaml)."""
    if not home or not os.path.exists(os.path.join(home, "dagster.yaml")):
        return []
    from dagster._core.instance.ref import InstanceRef
    from dagster._serdes import ConfigurableClassData

    ref = InstanceRef.from_dir(home)
    return sorted(
        {v.module_name for v in ref._asdict().values() if isinstance(v, ConfigurableClassData)}
    )


def import_run_start_modules() -> None:
    """Import them; the ones that would not import are left to the run (which then
    reports its own error), so the fork server always starts."""
    try:
        wanted = [*RUN_START_MODULES, *instance_modules(dagster_home())]
    except Exception as exc:  # a broken dagster.yaml is the run's to report
        log.debug("instance modules not preloaded: %s", exc)
        wanted = list(RUN_START_MODULES)
    for name in wanted:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 (see the docstring)
            continue


import_run_start_modules()
gc.freeze()
