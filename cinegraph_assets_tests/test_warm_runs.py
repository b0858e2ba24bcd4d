"""The code server starts a run's process with the code location already imported
(runtime/warm_runs.py); CINEGRAPH_SPAWN_RUNS=1 keeps Dagster's spawn."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from cinegraph_assets_tests.helpers import production_home_env

ROOT = Path(__file__).resolve().parents[1]

# A code server made before the code location loads (the code server loads it lazily,
# at its first request), then the code location, then a process started the way the
# server starts a run's: what that process has imported when it begins, and its parent.
_SERVER = textwrap.dedent("""
    import json, logging, os, sys, threading
    from dagster._grpc.server import DagsterApiServer
    from concurrent.futures import ThreadPoolExecutor
    from cinegraph_assets_tests.test_warm_runs import report

    server = DagsterApiServer(
        threading.Event(), logging.getLogger("test"), ThreadPoolExecutor(1),
        lazy_load_user_code=True,
    )
    spawned = server._mp_ctx.get_start_method()
    import cinegraph_assets.definitions  # noqa: F401, E402
    context = server._mp_ctx
    queue = context.Queue()
    process = context.Process(target=report, args=(queue,))
    process.start()
    child = queue.get(timeout=60)
    process.join(60)
    print(json.dumps({
        "before": spawned, "after": context.get_start_method(),
        "code_server": os.getpid(), "exit": process.exitcode, **child,
    }))
""")


def report(queue) -> None:
    """In the new process: whether the code location and Dagster were loaded before this
    ran, and who its parent is."""
    queue.put(
        {
            "loaded": "cinegraph_assets.definitions" in sys.modules,
            "solver": "scipy.optimize" in sys.modules,
            "frozen": gc.get_freeze_count(),
            "dagster": "dagster" in sys.modules,
            # What the run's own start imports: the instance's storage, the driver.
            "instance_storage": "cinegraph_assets.instance_storage" in sys.modules,
            "driver": "psycopg2" in sys.modules,
            "parent": os.getppid(),
        }
    )


def _start_a_run_process(**env: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _SERVER],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_run_process_is_forked_with_the_code_location_imported(tmp_path):
    # The production instance's dagster.yaml (the process never connects to its database).
    home = production_home_env(tmp_path, "postgresql://postgres@127.0.0.1/postgres", "home")
    seen = _start_a_run_process(CINEGRAPH_SPAWN_RUNS="0", DAGSTER_HOME=home["DAGSTER_HOME"])
    # Dagster's own choice until the code location loads; ours after, on the same server.
    assert seen["before"] == "spawn"
    assert seen["after"] == "forkserver"
    assert seen["exit"] == 0
    assert seen["loaded"] and seen["dagster"] and seen["solver"]
    # So is what a run imports as it starts: the classes the instance names.
    assert seen["instance_storage"] and seen["driver"]
    # What the fork server loaded is out of the collector's way (runtime/preloaded.py).
    assert seen["frozen"] > 100_000
    # Forked from the fork server, not from the code server (which has threads and
    # connections a fork would copy).
    assert seen["parent"] != seen["code_server"]


def test_spawn_runs_keeps_dagsters_spawn():
    seen = _start_a_run_process(CINEGRAPH_SPAWN_RUNS="1")
    assert seen["before"] == seen["after"] == "spawn"
    assert seen["exit"] == 0
    # A spawned process imports only what unpickling its target needs.
    assert not seen["loaded"] and not seen["solver"] and not seen["instance_storage"]
    assert seen["frozen"] == 0
    assert seen["parent"] == seen["code_server"]


def test_a_tmdb_step_loads_the_solver_before_its_first_write():
    """A spawned run imports scipy's solver when its TMDb step starts, not at the first
    nominee match, which holds IDENTITY."""
    code = (
        "import sys\n"
        "from cinegraph_assets.movies.units import TmdbWork\n"
        "assert 'scipy.optimize' not in sys.modules\n"
        "TmdbWork(lookup=None)\n"
        "assert 'scipy.optimize' in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
