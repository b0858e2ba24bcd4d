-- Raw upstream responses, content-addressed, so a re-parse needs no re-fetch and
-- every run (whatever process or machine it runs on) can reach them.
CREATE TABLE raw_pages (
    id {{PK}},
    url TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    fetched_at {{TIMESTAMP}} NOT NULL,
    content_type TEXT,
    body TEXT NOT NULL,
    CONSTRAINT raw_pages_url_sha_key UNIQUE (url, sha256)
);

CREATE INDEX raw_pages_url_idx ON raw_pages (url, fetched_at);

-- The outcome of the latest attempt of each per-movie asset for each movie. Batched
-- runs record every movie here so that a failed batch can be split into runs of the
-- movies that succeeded and single runs for the ones that failed, and so the status
-- view can count enriched and failed movies.
CREATE TABLE movie_asset_status (
    imdb_id TEXT NOT NULL,
    asset TEXT NOT NULL,
    -- ok | not_found | failed
    status TEXT NOT NULL,
    run_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    metadata {{JSON}},
    updated_at {{TIMESTAMP}} NOT NULL,
    PRIMARY KEY (imdb_id, asset)
);

CREATE INDEX movie_asset_status_run_idx ON movie_asset_status (run_id);
