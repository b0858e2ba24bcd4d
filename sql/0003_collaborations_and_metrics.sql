CREATE TABLE collaborations (
    id {{PK}},
    person_a_id BIGINT NOT NULL REFERENCES people (id),
    person_b_id BIGINT NOT NULL REFERENCES people (id),
    -- Number of distinct movies the pair made together.
    collaboration_count INTEGER NOT NULL,
    first_collaboration_date DATE,
    latest_collaboration_date DATE,
    years_active INTEGER,
    CONSTRAINT collaborations_ordered_pair CHECK (person_a_id < person_b_id),
    CONSTRAINT collaborations_pair_key UNIQUE (person_a_id, person_b_id)
);

CREATE INDEX collaborations_person_b_idx ON collaborations (person_b_id);

CREATE TABLE collaboration_details (
    id {{PK}},
    collaboration_id BIGINT NOT NULL REFERENCES collaborations (id) ON DELETE CASCADE,
    movie_id BIGINT NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    -- actor-actor | actor-director | director-director | director-crew | crew-crew | other
    collaboration_type TEXT NOT NULL,
    year INTEGER,
    release_date DATE,
    CONSTRAINT collaboration_details_key UNIQUE (collaboration_id, movie_id, collaboration_type)
);

CREATE INDEX collaboration_details_movie_idx ON collaboration_details (movie_id);

CREATE TABLE external_metrics (
    id {{PK}},
    movie_id BIGINT NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    metric_type TEXT NOT NULL,
    value DOUBLE PRECISION,
    text_value TEXT,
    metadata {{JSON}},
    fetched_at {{TIMESTAMP}} NOT NULL,
    CONSTRAINT external_metrics_key UNIQUE (movie_id, source, metric_type)
);
