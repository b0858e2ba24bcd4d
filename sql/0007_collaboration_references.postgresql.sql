-- The references of the two largest tables, checked once per statement instead of once
-- per row (README "Benchmarks"; sql/README.md). A film's collaborations step inserts
-- about 365 pairs and 365 details; declared foreign keys checked each of them on its
-- own: 730 checks against `people`, 365 against `collaborations`, 365 against `movies`,
-- each a query and a row lock. Measured on 1,500 films of 27 key people each (PostgreSQL
-- 15, one connection): 31 s with the declared keys, 15 s with these triggers, 12 s with
-- no check at all.
--
-- The rules are the declared keys' own, enforced by the triggers below:
--   collaborations.person_a_id, person_b_id -> people (id)         (no action)
--   collaboration_details.collaboration_id -> collaborations (id)  ON DELETE CASCADE
--   collaboration_details.movie_id -> movies (id)                  ON DELETE CASCADE
-- A new row's referenced rows are locked FOR KEY SHARE, in id order, at the end of its
-- statement, as the declared keys lock them: no one deletes them until the writer
-- commits, and a delete that got there first makes the insert fail. Referencing
-- columns and referenced ids never change (writers delete and insert): an UPDATE of
-- one is refused. SQLite keeps the declared keys (0007_..._sqlite.sql).

ALTER TABLE collaborations DROP CONSTRAINT collaborations_person_a_id_fkey;
ALTER TABLE collaborations DROP CONSTRAINT collaborations_person_b_id_fkey;
ALTER TABLE collaboration_details DROP CONSTRAINT collaboration_details_collaboration_id_fkey;
ALTER TABLE collaboration_details DROP CONSTRAINT collaboration_details_movie_id_fkey;

-- The ids of `wanted` missing from `target`, with the ones there locked FOR KEY SHARE.
-- ARRAY(...) and = ANY: the planner knows nothing of a statement's transition table,
-- and an IN over it chose to scan the whole referenced table.
CREATE FUNCTION cg_lock_referenced(target REGCLASS, wanted BIGINT[]) RETURNS BIGINT[]
LANGUAGE plpgsql AS $$
DECLARE
    found BIGINT[];
BEGIN
    EXECUTE format(
        'SELECT ARRAY(SELECT id FROM (SELECT id FROM %s WHERE id = ANY ($1) ORDER BY id'
        ' FOR KEY SHARE) AS locked)', target)
        INTO found USING wanted;
    IF cardinality(found) = cardinality(wanted) THEN  -- all there: the common case
        RETURN '{}';
    END IF;
    RETURN ARRAY(SELECT w FROM unnest(wanted) AS w WHERE w <> ALL (found));
END $$;

CREATE FUNCTION cg_refuse_missing(source TEXT, target TEXT, missing BIGINT[]) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(missing) > 0 THEN
        RAISE EXCEPTION 'insert on table "%" violates its reference to "%"', source, target
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Not present in "%s": id %s.', target, missing[1]);
    END IF;
END $$;

CREATE FUNCTION cg_collaborations_inserted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cg_refuse_missing('collaborations', 'people', cg_lock_referenced('people',
        ARRAY(SELECT DISTINCT p FROM (SELECT person_a_id FROM new_rows
                                      UNION ALL SELECT person_b_id FROM new_rows) AS x (p)
              ORDER BY p)));
    RETURN NULL;
END $$;

CREATE TRIGGER collaborations_people_exist AFTER INSERT ON collaborations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION cg_collaborations_inserted();

CREATE FUNCTION cg_details_inserted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cg_refuse_missing('collaboration_details', 'collaborations',
        cg_lock_referenced('collaborations',
            ARRAY(SELECT DISTINCT collaboration_id FROM new_rows ORDER BY 1)));
    PERFORM cg_refuse_missing('collaboration_details', 'movies', cg_lock_referenced('movies',
        ARRAY(SELECT DISTINCT movie_id FROM new_rows ORDER BY 1)));
    RETURN NULL;
END $$;

CREATE TRIGGER collaboration_details_references_exist AFTER INSERT ON collaboration_details
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION cg_details_inserted();

-- A key that must not change: refused (UPDATE OF: only statements that set the column
-- pay anything; the pairs' upsert sets only their counts and dates).
CREATE FUNCTION cg_refuse_rekey() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table "%": % does not change (delete the row and insert another)',
        TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = 'foreign_key_violation';
END $$;

CREATE TRIGGER collaborations_pair_fixed BEFORE UPDATE OF person_a_id, person_b_id
    ON collaborations FOR EACH ROW
    WHEN (OLD.person_a_id IS DISTINCT FROM NEW.person_a_id
          OR OLD.person_b_id IS DISTINCT FROM NEW.person_b_id)
    EXECUTE FUNCTION cg_refuse_rekey('a pair''s people');

CREATE TRIGGER collaboration_details_references_fixed
    BEFORE UPDATE OF collaboration_id, movie_id ON collaboration_details FOR EACH ROW
    WHEN (OLD.collaboration_id IS DISTINCT FROM NEW.collaboration_id
          OR OLD.movie_id IS DISTINCT FROM NEW.movie_id)
    EXECUTE FUNCTION cg_refuse_rekey('a detail''s pair and movie');

CREATE TRIGGER people_id_fixed BEFORE UPDATE OF id ON people FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION cg_refuse_rekey('id');

CREATE TRIGGER collaborations_id_fixed BEFORE UPDATE OF id ON collaborations FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION cg_refuse_rekey('id');

CREATE TRIGGER movies_id_fixed BEFORE UPDATE OF id ON movies FOR EACH ROW
    WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION cg_refuse_rekey('id');

-- A person in a pair cannot go (the declared key's NO ACTION). Checked after the
-- statement, as NO ACTION is: a statement that deletes the pairs too may go on.
CREATE FUNCTION cg_people_deleted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    gone BIGINT[] := ARRAY(SELECT id FROM old_rows);
    held BIGINT;
BEGIN
    SELECT c.person_a_id INTO held FROM collaborations c WHERE c.person_a_id = ANY (gone)
    UNION ALL
    SELECT c.person_b_id FROM collaborations c WHERE c.person_b_id = ANY (gone)
    LIMIT 1;
    IF held IS NOT NULL THEN
        RAISE EXCEPTION 'delete on table "people" violates the reference of "collaborations"'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Person %s is still in a collaboration.', held);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER people_not_in_pairs AFTER DELETE ON people
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION cg_people_deleted();

-- A pair or a movie that goes takes its details along (the declared keys' CASCADE).
CREATE FUNCTION cg_cascade_details() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DELETE FROM collaboration_details WHERE %I = ANY ($1)', TG_ARGV[0])
        USING ARRAY(SELECT id FROM old_rows);
    RETURN NULL;
END $$;

CREATE TRIGGER collaborations_take_details AFTER DELETE ON collaborations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION cg_cascade_details('collaboration_id');

CREATE TRIGGER movies_take_details AFTER DELETE ON movies
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION cg_cascade_details('movie_id');
