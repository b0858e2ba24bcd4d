-- Every award body, not only the Academy (README: "Award bodies"). Oscar rows keep
-- every value they had; the new columns are filled in for them.

-- A body is known by its IMDb event and its short key (the registry's).
ALTER TABLE festival_organizations ADD COLUMN imdb_event_id TEXT;
ALTER TABLE festival_organizations ADD COLUMN body_key TEXT;
ALTER TABLE festival_organizations
    ADD CONSTRAINT festival_organizations_imdb_event_key UNIQUE (imdb_event_id);
ALTER TABLE festival_organizations
    ADD CONSTRAINT festival_organizations_body_key_key UNIQUE (body_key);
UPDATE festival_organizations SET imdb_event_id = 'ev0000003', body_key = 'oscars'
WHERE name = 'Academy of Motion Picture Arts and Sciences';

-- IMDb's instanceWithinYear: a second edition in one year (Critics Choice 2016) is a
-- ceremony of its own. Every Oscar ceremony is instance 1 of its oscars.org year.
ALTER TABLE festival_ceremonies ADD COLUMN instance INTEGER NOT NULL DEFAULT 1;
ALTER TABLE festival_ceremonies DROP CONSTRAINT festival_ceremonies_org_year_key;
ALTER TABLE festival_ceremonies
    ADD CONSTRAINT festival_ceremonies_edition_key UNIQUE (organization_id, year, instance);

-- The award (prize family) beside the category: Cannes' "Best Actor" of the competition
-- and "Best Actor" of Un Certain Regard are two categories. Where IMDb gives no category
-- both hold the award's text. The Academy's competitive categories belong to the Oscar.
ALTER TABLE festival_categories ADD COLUMN award_name TEXT;
UPDATE festival_categories SET award_name = CASE WHEN is_competitive THEN 'Oscar' ELSE name END;
ALTER TABLE festival_categories ALTER COLUMN award_name SET NOT NULL;
ALTER TABLE festival_categories DROP CONSTRAINT festival_categories_org_name_key;
ALTER TABLE festival_categories
    ADD CONSTRAINT festival_categories_award_key UNIQUE (organization_id, award_name, name);

-- Titles of a nomination that are not films (series, mini-series, episodes, games):
-- kept with their nomination, never movies (films are in festival_nomination_movies).
CREATE TABLE festival_nomination_titles (
    nomination_id BIGINT NOT NULL REFERENCES festival_nominations (id) ON DELETE CASCADE,
    imdb_id TEXT NOT NULL,
    title TEXT,
    -- IMDb's titleType (tvSeries, tvMiniSeries, tvEpisode, videoGame, ...), or null
    -- where the page gave none and the award, category or TMDb told the kind.
    title_type TEXT,
    -- series | episode | game | other
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (nomination_id, imdb_id)
);

CREATE INDEX festival_nomination_titles_imdb_idx ON festival_nomination_titles (imdb_id);

-- The kind of a title that no page typed, as TMDb's /3/find told it (a series comes
-- back under tv_results): asked once per title, before it can become a movie.
CREATE TABLE title_kinds (
    imdb_id TEXT PRIMARY KEY,
    -- film | series | unknown
    kind TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at {{TIMESTAMP}} NOT NULL
);
