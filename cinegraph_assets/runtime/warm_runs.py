"""A run's process starts with the code location already imported.

Dagster 1.13's code server starts every run in a new process made with
multiprocessing's "spawn" (`DagsterApiServer._mp_ctx` in `dagster._grpc.server`; no
setting changes it): a fresh interpreter that imports Dagster and the whole code location
again before the run's first step. That is about 2 CPU seconds a run here, and a
profile of the run workers over the Oscar history through the daemon (py-spy, 30 runs)
found 18% of their samples in those imports, on a machine whose two cores the movie
phase keeps busy.

`apply()` has the code server start runs with "forkserver" instead. At the first run,
multiprocessing starts a fork server: a fresh interpreter (not a fork of the code
server, so it holds none of its threads, connections or open files) that imports
PRELOAD once. Each run's process is forked from it, with those modules loaded and
nothing else running. The rest is as with spawn: the run's arguments are pickled to the
new process, which builds its own instance and connections, and the code server watches
and ends it the same way. The fork server lives as long as the code server (it exits
when the code server's end of its pipe closes).

The code location applies it at import (definitions.py), so it holds in the process
that serves the code location. CINEGRAPH_SPAWN_RUNS=1 keeps Dagster's spawn.
"""

from __future__ import annotations

import multiprocessing

# What a run imports before its first step: the code location (Dagster with it), and
# the assignment solver a TMDb write uses holding IDENTITY (assignment.load): imported
# by the run itself, it took about 2 s, under that lock, in every movie run.
# Last, preloaded.py keeps the garbage collector off what they loaded (shared pages).
PRELOAD = ["cinegraph_assets.definitions", "scipy.optimize", "cinegraph_assets.runtime.preloaded"]


def run_process_context():
    """The multiprocessing context the code server starts runs with."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def apply() -> None:
    # The server's context is an attribute of each server, set when it is made; a
    # property on the class is read before the attribute, so servers made before this
    # module loaded (the code server loads the code location lazily) take it too.
    from dagster._grpc.server import DagsterApiServer

    if isinstance(DagsterApiServer.__dict__.get("_mp_ctx"), property):
        return
    context = run_process_context()
    DagsterApiServer._mp_ctx = property(lambda self: context, lambda self, value: None)
