"""The last module the fork server imports (warm_runs.PRELOAD).

Everything the fork server has imported by then (Dagster, the code location, the
solver) leaves the garbage collector's generations for good. A run process forked from
it shares those pages with it until something writes to them; a collection that
scanned them would write to every object's header and so give each run process its own
copy of all of it. Those objects live as long as the process anyway.
"""

import gc

gc.freeze()
