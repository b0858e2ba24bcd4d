-- Movies and people. A movie row can exist before TMDb knows it: the IMDb id is
-- known at nomination time and TMDb fills the rest in later.

CREATE TABLE movies (
    id {{PK}},
    imdb_id TEXT NOT NULL UNIQUE,
    tmdb_id BIGINT UNIQUE,
    title TEXT,
    original_title TEXT,
    -- The title as IMDb printed it on the awards page, kept apart from TMDb's.
    imdb_title TEXT,
    release_date DATE,
    runtime INTEGER,
    overview TEXT,
    tagline TEXT,
    status TEXT,
    original_language TEXT,
    poster_path TEXT,
    backdrop_path TEXT,
    popularity REAL,
    vote_average REAL,
    vote_count INTEGER,
    budget BIGINT,
    revenue BIGINT,
    tmdb_data {{JSON}},
    omdb_data {{JSON}},
    -- pending | found | not_found
    tmdb_status TEXT NOT NULL DEFAULT 'pending',
    tmdb_fetched_at {{TIMESTAMP}},
    omdb_status TEXT NOT NULL DEFAULT 'pending',
    omdb_fetched_at {{TIMESTAMP}}
);

CREATE TABLE people (
    id {{PK}},
    imdb_id TEXT UNIQUE,
    tmdb_id BIGINT UNIQUE,
    name TEXT NOT NULL,
    known_for_department TEXT,
    gender INTEGER,
    profile_path TEXT,
    popularity REAL
);

CREATE INDEX people_name_idx ON people (name);

CREATE TABLE movie_credits (
    id {{PK}},
    movie_id BIGINT NOT NULL REFERENCES movies (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    credit_id TEXT NOT NULL UNIQUE,
    credit_type TEXT NOT NULL CHECK (credit_type IN ('cast', 'crew')),
    department TEXT,
    job TEXT,
    "character" TEXT,
    cast_order INTEGER
);

CREATE INDEX movie_credits_movie_idx ON movie_credits (movie_id);

CREATE INDEX movie_credits_person_idx ON movie_credits (person_id);
