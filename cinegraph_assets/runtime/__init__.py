"""The partition runtime beside Dagster's: a step over many partitions in which each
partition is its own unit of work (unit.py: the protocol an asset implements;
batches.py: running it), with its outcome recorded (outcomes.py), failed batches split
(splitter.py) and ranged run requests (ranges.py)."""
