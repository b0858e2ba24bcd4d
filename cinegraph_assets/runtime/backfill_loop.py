"""How soon the daemon starts a backfill launched from the UI.

Dagster 1.13's backfill daemon looks at new and running backfills every 30 s
(`DEFAULT_DAEMON_INTERVAL_SECONDS` in `dagster._daemon.controller`, which no instance
setting changes): a backfill launched from the UI waited up to 30 s before its first run
was even requested, and its next runs as long after each iteration that found none to
request. Through the daemon on the Oscar history, the year backfill was picked up 25-28
s after launch (the daemon had looked just before), a tenth of the whole import.

`apply()` sets that interval to BACKFILL_LOOP_SECONDS. The loop reads it when it
starts, in the daemon process, which has loaded the instance's storage (this project's,
from dagster.yaml) by then; instance_storage.py applies it at import. The constant has
one other reader: the asset daemon's interval for instances without automation
condition sensors, which this project's (and any instance since Dagster 1.9 that has not
turned them off) do not use. The shorter the interval, the more often the daemon
evaluates every running backfill; over every award body's history (15 backfills at
once) none of its 237 iterations took over a second by the daemon's log, and the
daemon took 181 CPU seconds, as it had with 30 s in an earlier session (179 s).
"""

from __future__ import annotations

BACKFILL_LOOP_SECONDS = 10


def apply() -> None:
    # No public setting; see the module docstring.
    from dagster._daemon import controller

    controller.DEFAULT_DAEMON_INTERVAL_SECONDS = BACKFILL_LOOP_SECONDS
