-- Every award body, not only the Academy: the SQLite form of 0006_award_bodies (the
-- PostgreSQL file says why). SQLite cannot drop a unique constraint, so the two tables
-- whose natural key changes are rebuilt (https://www.sqlite.org/lang_altertable.html,
-- "Making Other Kinds Of Table Schema Changes"); the migration runs with foreign keys
-- off and checks them before it commits. Every existing row and id is kept.

ALTER TABLE festival_organizations ADD COLUMN imdb_event_id TEXT;
ALTER TABLE festival_organizations ADD COLUMN body_key TEXT;
CREATE UNIQUE INDEX festival_organizations_imdb_event_key
    ON festival_organizations (imdb_event_id);
CREATE UNIQUE INDEX festival_organizations_body_key_key ON festival_organizations (body_key);
UPDATE festival_organizations SET imdb_event_id = 'ev0000003', body_key = 'oscars'
WHERE name = 'Academy of Motion Picture Arts and Sciences';

DROP VIEW ceremony_movies;

CREATE TABLE festival_ceremonies_new (
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
    awarded BOOLEAN NOT NULL DEFAULT FALSE,
    imdb_url TEXT,
    imdb_edition_id TEXT,
    imdb_fetched_at {{TIMESTAMP}},
    instance INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT festival_ceremonies_edition_key UNIQUE (organization_id, year, instance)
);
INSERT INTO festival_ceremonies_new
    (id, organization_id, year, ceremony_number, name, date, location, source_url,
     scraped_at, source_metadata, awarded, imdb_url, imdb_edition_id, imdb_fetched_at, instance)
SELECT id, organization_id, year, ceremony_number, name, date, location, source_url,
       scraped_at, source_metadata, awarded, imdb_url, imdb_edition_id, imdb_fetched_at, 1
FROM festival_ceremonies;
DROP TABLE festival_ceremonies;
ALTER TABLE festival_ceremonies_new RENAME TO festival_ceremonies;

CREATE TABLE festival_categories_new (
    id {{PK}},
    organization_id BIGINT NOT NULL REFERENCES festival_organizations (id),
    name TEXT NOT NULL,
    category_type TEXT NOT NULL,
    is_competitive BOOLEAN NOT NULL,
    tracks_person BOOLEAN NOT NULL DEFAULT FALSE,
    canonical_name TEXT,
    oscars_term_id TEXT,
    imdb_award_id TEXT,
    external_ids {{JSON}},
    award_name TEXT NOT NULL,
    CONSTRAINT festival_categories_award_key UNIQUE (organization_id, award_name, name)
);
INSERT INTO festival_categories_new
    (id, organization_id, name, category_type, is_competitive, tracks_person,
     canonical_name, oscars_term_id, imdb_award_id, external_ids, award_name)
SELECT id, organization_id, name, category_type, is_competitive, tracks_person,
       canonical_name, oscars_term_id, imdb_award_id, external_ids,
       CASE WHEN is_competitive THEN 'Oscar' ELSE name END
FROM festival_categories;
DROP TABLE festival_categories;
ALTER TABLE festival_categories_new RENAME TO festival_categories;

CREATE VIEW ceremony_movies AS
SELECT DISTINCT c.organization_id, c.year, m.id AS movie_id, m.imdb_id
FROM festival_ceremonies c
JOIN festival_nominations n ON n.ceremony_id = c.id
JOIN festival_nomination_movies nm ON nm.nomination_id = n.id
JOIN movies m ON m.id = nm.movie_id;

CREATE TABLE festival_nomination_titles (
    nomination_id BIGINT NOT NULL REFERENCES festival_nominations (id) ON DELETE CASCADE,
    imdb_id TEXT NOT NULL,
    title TEXT,
    title_type TEXT,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (nomination_id, imdb_id)
);

CREATE INDEX festival_nomination_titles_imdb_idx ON festival_nomination_titles (imdb_id);

CREATE TABLE title_kinds (
    imdb_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at {{TIMESTAMP}} NOT NULL
);
