"""A run whose step waits for a pool slot sleeps while it waits.

Dagster 1.13's in-process executor loops until every step has run. When no step can
start, because the next one waits for a pool slot, it sleeps for what
`InstanceConcurrencyContext.interval_to_next_pending_claim_check` returns: the time
until the earliest pending claim is due to be checked again. That method returns
`min([0, *times until due])`, never more than 0 (1.13.29 still does), so the loop never
sleeps. It spins without reaching the database (the claim itself is only checked again
when due), taking a whole core for as long as the step waits.

Here that is most of the time: a movie batch starts while the one before it still holds
the `tmdb` slot (`op_granularity_run_buffer: 1`) and waits about 10 s for it, then
again for `omdb`. A profile of the Oscar history through the daemon found a third of
the run workers' CPU in this loop, on a machine whose two cores the movie phase keeps
busy.

`apply()` replaces the method with the intended one: the time until the earliest
pending claim is due, never negative. When the claim is checked is unchanged (Dagster's
spacing, or the storage's: instance_storage.py). The code location applies it at import,
so it holds in every process that runs steps: run workers, whichever launcher starts
them.
"""

from __future__ import annotations

import time

# The executor's per-run claim bookkeeping has no public API; see the module docstring.
from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext


def _seconds_to_next_claim_check(self: InstanceConcurrencyContext) -> float:
    if not self._pending_claims:
        return 0.0
    due = self._pending_timeouts.values()
    if not due:  # a claim not yet tried: try it now
        return 0.0
    return max(0.0, min(due) - time.time())


def apply() -> None:
    InstanceConcurrencyContext.interval_to_next_pending_claim_check = _seconds_to_next_claim_check
