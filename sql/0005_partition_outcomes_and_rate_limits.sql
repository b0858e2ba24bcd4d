-- Outcomes are kept for every batched asset, ceremony years as well as movies: the
-- batch splitter and step retries read them. The key column names the partition.
ALTER TABLE movie_asset_status RENAME TO partition_outcomes;

ALTER TABLE partition_outcomes RENAME COLUMN imdb_id TO partition_key;

-- Shared request-rate budgets (one row per upstream): every run process and machine
-- draws from the same budget. `state` is pyrate-limiter's GCRA state, `updated_at`
-- for people looking.
CREATE TABLE rate_limits (
    name TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at {{TIMESTAMP}} NOT NULL
);
