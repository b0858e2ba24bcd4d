-- Festivals: organizations, ceremonies, categories and the nominations as printed.

CREATE TABLE festival_organizations (
    id {{PK}},
    name TEXT NOT NULL UNIQUE,
    abbreviation TEXT,
    country TEXT,
    website TEXT
);

CREATE TABLE festival_ceremonies (
    id {{PK}},
    organization_id BIGINT NOT NULL REFERENCES festival_organizations (id),
    year INTEGER NOT NULL,
    ceremony_number INTEGER,
    name TEXT,
    date DATE,
    location TEXT,
    source_url TEXT,
    scraped_at {{TIMESTAMP}},
    source_metadata {{JSON}},
    -- False while the page lists nominees but no winners yet.
    awarded BOOLEAN NOT NULL DEFAULT FALSE,
    imdb_url TEXT,
    imdb_edition_id TEXT,
    imdb_fetched_at {{TIMESTAMP}},
    CONSTRAINT festival_ceremonies_org_year_key UNIQUE (organization_id, year)
);

CREATE TABLE festival_categories (
    id {{PK}},
    organization_id BIGINT NOT NULL REFERENCES festival_organizations (id),
    -- The name as the source printed it in that era ("Foreign Language Film", ...).
    name TEXT NOT NULL,
    -- competitive | honorary | humanitarian | thalberg | scientific_technical | special
    category_type TEXT NOT NULL,
    is_competitive BOOLEAN NOT NULL,
    tracks_person BOOLEAN NOT NULL DEFAULT FALSE,
    -- Era-independent grouping, e.g. "International Feature Film" for "Foreign Language Film".
    canonical_name TEXT,
    oscars_term_id TEXT,
    imdb_award_id TEXT,
    external_ids {{JSON}},
    CONSTRAINT festival_categories_org_name_key UNIQUE (organization_id, name)
);

CREATE TABLE festival_nominations (
    id {{PK}},
    ceremony_id BIGINT NOT NULL REFERENCES festival_ceremonies (id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES festival_categories (id),
    -- Stable identity of a nomination inside its category of a ceremony: the
    -- normalised film slot, extended by the nominee statement only where the same
    -- film slot occurs more than once in the category (two supporting actors from one
    -- film). Survives re-imports and the winners being announced; see ceremonies/keys.py.
    nomination_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    -- The first film of the nomination; all of them are in festival_nomination_movies.
    movie_id BIGINT REFERENCES movies (id),
    won BOOLEAN NOT NULL DEFAULT FALSE,
    -- The nominee statement as printed ("Emma Thomas, Charles Roven and Christopher Nolan, Producers").
    nominee_statement TEXT,
    film_title TEXT,
    song_title TEXT,
    country TEXT,
    -- oscars.org for competitive nominations, imdb for awards only IMDb lists.
    source TEXT NOT NULL,
    details {{JSON}},
    -- pending | matched | unmatched | no_film
    match_status TEXT NOT NULL DEFAULT 'pending',
    match_score REAL,
    CONSTRAINT festival_nominations_natural_key UNIQUE (ceremony_id, category_id, nomination_key)
);

CREATE INDEX festival_nominations_movie_idx ON festival_nominations (movie_id);

CREATE INDEX festival_nominations_category_idx ON festival_nominations (category_id);

CREATE TABLE festival_nomination_people (
    nomination_id BIGINT NOT NULL REFERENCES festival_nominations (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (nomination_id, person_id)
);

CREATE INDEX festival_nomination_people_person_idx ON festival_nomination_people (person_id);

-- Early ceremonies nominated one person for several films (Emil Jannings, 1929):
-- every film of a nomination, in order. This is also the year-movie relation the
-- movie sensor reads.
CREATE TABLE festival_nomination_movies (
    nomination_id BIGINT NOT NULL REFERENCES festival_nominations (id) ON DELETE CASCADE,
    movie_id BIGINT NOT NULL REFERENCES movies (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (nomination_id, movie_id)
);

CREATE INDEX festival_nomination_movies_movie_idx ON festival_nomination_movies (movie_id);

CREATE VIEW ceremony_movies AS
SELECT DISTINCT c.organization_id, c.year, m.id AS movie_id, m.imdb_id
FROM festival_ceremonies c
JOIN festival_nominations n ON n.ceremony_id = c.id
JOIN festival_nomination_movies nm ON nm.nomination_id = n.id
JOIN movies m ON m.id = nm.movie_id;
