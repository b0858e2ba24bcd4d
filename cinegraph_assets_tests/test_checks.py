"""The checks, each of which can fail: a year's few misses warn and fan out, broken data
blocks; the movie checks catch credits and collaboration aggregates gone wrong.

The database misbehaving is simulated with triggers in the real database (another
program editing rows), never by patching the project's code.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from dagster import AssetCheckSeverity, SkipReason, build_sensor_context

from cinegraph_assets.status import status_rows
from cinegraph_assets_tests.helpers import (
    ceremony_films,
    location_sensor,
    materialize_movies,
    materialize_year,
    resources,
    scalar,
)
from cinegraph_assets_tests.recorded_pages import imdb_page_without, oscars_page_edited
from cinegraph_dev.sample_upstream import scripted
from cinegraph_dev.sample_upstream.server import DATA

OPPENHEIMER = "tt15398776"
movie_partitions_sensor = location_sensor("movie_partitions_sensor")


def _evaluations(result, asset: str | None = None) -> dict[str, object]:
    """The run's check evaluations by check name (of one asset, if given)."""
    return {
        e.event_specific_data.asset_check_key.name: e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and asset in (None, e.event_specific_data.asset_key.to_user_string())
    }


def _drop_two_score_nominees(category: str, node: dict) -> bool:
    entities = node["awardedEntities"]
    titles = [t["title"]["titleText"]["text"] for t in entities.get("awardTitles") or []]
    return (
        category == "Best Achievement in Music Written for Motion Pictures (Original Score)"
        and (titles[:1] in (["Indiana Jones and the Dial of Destiny"], ["American Fiction"]))
    )


def test_a_year_with_a_few_misses_is_green_with_a_warning_and_fans_out_its_matched_films(
    upstream, db, instance
):
    # IMDb lacks two of the year's 120 nominations: 98% matched.
    upstream.script(
        r"/event/ev0000003/2024/1/",
        scripted(200, imdb_page_without(2024, _drop_two_score_nominees)),
    )
    result = materialize_year("2024", resources(upstream, db), instance)
    assert result.success
    checks = _evaluations(result)
    assert checks["imdb_match_rate"].passed
    unmatched = checks["unmatched_nominations"]
    assert not unmatched.passed and unmatched.severity == AssetCheckSeverity.WARN
    assert unmatched.metadata["unmatched"].value == 2
    assert "Indiana Jones and the Dial of Destiny" in unmatched.metadata["unmatched_md"].value
    # The misses stay in the database, flagged, and are counted in the status table.
    assert (
        scalar(db, "SELECT count(*) FROM festival_nominations WHERE match_status = 'unmatched'")
        == 2
    )
    (row,) = [r for r in status_rows(db) if r["year"] == 2024]
    assert row["unmatched"] == 2 and row["match_rate"] == round(118 / 120, 4)

    tick = movie_partitions_sensor(build_sensor_context(instance=instance))
    (add,) = tick.dynamic_partitions_requests
    # Every matched film fans out (Indiana Jones had no other nomination).
    assert sorted(add.partition_keys) == ceremony_films(db, 2024)
    assert "tt1462764" not in add.partition_keys and len(add.partition_keys) == 52

    # The next materialization of the year (IMDb complete again) matches them.
    materialize_year("2024", resources(upstream, db), instance, refresh=True)
    assert (
        scalar(
            db,
            "SELECT count(*) FROM festival_nominations WHERE match_status <> 'matched'"
            " AND source = 'oscars.org'",
        )
        == 0
    )


def test_a_year_far_below_the_normal_match_rate_is_blocked(upstream, db, instance):
    # IMDb lists the wrong year's edition: a site change or a wrong page.
    page = (DATA / "imdb.com/event/ev0000003/2023/1.html").read_bytes()
    upstream.script(
        r"/event/ev0000003/2024/1/",
        scripted(200, page.replace(b'"year":2023', b'"year":2024')),
    )
    result = materialize_year("2024", resources(upstream, db), instance, raise_on_error=False)
    assert not result.success
    checks = _evaluations(result)
    assert not checks["imdb_match_rate"].passed
    assert checks["imdb_match_rate"].severity == AssetCheckSeverity.ERROR
    tick = movie_partitions_sensor(build_sensor_context(instance=instance))
    assert not tick.dynamic_partitions_requests and not tick.run_requests


def _flip_one_winner_on_write(db) -> None:
    """Another program that marks one nominee of Best Picture a winner as it is stored."""
    with db.transaction() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                sa.text("""
                CREATE FUNCTION flip_won() RETURNS trigger AS $$
                BEGIN
                  IF NEW.nomination_key = 'poor things' THEN NEW.won := TRUE; END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql""")
            )
            for when in ("INSERT", "UPDATE"):
                conn.execute(
                    sa.text(
                        f"CREATE TRIGGER flip_won_{when.lower()} BEFORE {when}"
                        " ON festival_nominations"
                        " FOR EACH ROW EXECUTE FUNCTION flip_won()"
                    )
                )
        else:
            for when in ("INSERT", "UPDATE"):
                conn.execute(
                    sa.text(
                        f"CREATE TRIGGER flip_won_{when.lower()} AFTER {when}"
                        " ON festival_nominations"
                        " WHEN NEW.nomination_key = 'poor things' AND NOT NEW.won BEGIN"
                        " UPDATE festival_nominations SET won = 1 WHERE id = NEW.id; END"
                    )
                )


def test_stored_nominations_that_disagree_with_the_page_block_the_year(upstream, db, instance):
    _flip_one_winner_on_write(db)
    result = materialize_year("2024", resources(upstream, db), instance, raise_on_error=False)
    assert not result.success
    check = _evaluations(result)["nominations_match_page"]
    assert not check.passed and check.severity == AssetCheckSeverity.ERROR
    assert ["Best Picture", "poor things", True] in check.metadata["stored_not_on_page"].value
    # The year's IMDb step never ran, so nothing fans out.
    assert "imdb_match_rate" not in _evaluations(result)
    tick = movie_partitions_sensor(build_sensor_context(instance=instance))
    assert isinstance(tick, SkipReason)


def test_an_awarded_year_with_a_category_without_a_winner_is_reported_and_fans_out(
    upstream, db, instance
):
    """Plausible content (a winner flag the page lost) is a warning, not a blocked year."""

    def no_winner_for_editing(html: str) -> str:
        # The page forgets the winner flag of Film Editing (and only there).
        start = html.index(">Film Editing</div>")
        winner = html.index("field--name-field-honoree-type winner", start)
        fixed = html[:winner] + "field--name-field-honoree-type nominee"
        return fixed + html[winner + len("field--name-field-honoree-type winner") :].replace(
            ">Winner<", ">Nominees<", 1
        )

    upstream.script(
        r"/oscars/ceremonies/2024", scripted(200, oscars_page_edited(2024, no_winner_for_editing))
    )
    result = materialize_year("2024", resources(upstream, db), instance)
    assert result.success
    check = _evaluations(result, "scraped_ceremony")["odd_content"]
    assert not check.passed and check.severity == AssetCheckSeverity.WARN
    assert check.metadata["kinds"].value == {"winnerless_category": 1}
    assert (
        "| oscars.org | winnerless_category | Film Editing |" in check.metadata["warnings_md"].value
    )
    assert _evaluations(result, "scraped_ceremony")["nominations_match_page"].passed
    # The year's IMDb step ran and its films fan out; the status table counts the warning.
    assert _evaluations(result, "imdb_enhanced_nominees")["imdb_match_rate"].passed
    (row,) = [r for r in status_rows(db) if r["year"] == 2024]
    assert row["warnings"] == 1
    tick = movie_partitions_sensor(build_sensor_context(instance=instance))
    (add,) = tick.dynamic_partitions_requests
    assert sorted(add.partition_keys) == ceremony_films(db, 2024)


def _drop_one_credit_on_write(db, credit_id: str) -> None:
    with db.transaction() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                sa.text(f"""
                CREATE FUNCTION drop_credit() RETURNS trigger AS $$
                BEGIN
                  IF NEW.credit_id = '{credit_id}' THEN RETURN NULL; END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql""")
            )
            conn.execute(
                sa.text(
                    "CREATE TRIGGER drop_credit BEFORE INSERT ON movie_credits"
                    " FOR EACH ROW EXECUTE FUNCTION drop_credit()"
                )
            )
        else:
            conn.execute(
                sa.text(
                    "CREATE TRIGGER drop_credit BEFORE INSERT ON movie_credits"
                    f" WHEN NEW.credit_id = '{credit_id}' BEGIN SELECT RAISE(IGNORE); END"
                )
            )


def test_credits_missing_from_the_database_fail_the_credits_check(upstream, db, instance):
    movie = json.loads((DATA / "tmdb/3/movie/872585.json").read_text())
    lost = movie["credits"]["crew"][0]["credit_id"]
    _drop_one_credit_on_write(db, lost)
    result = materialize_movies(
        [OPPENHEIMER], resources(upstream, db), instance, raise_on_error=False
    )
    check = _evaluations(result)["credits_match_tmdb_record"]
    assert not check.passed
    failed = check.metadata["failed_partitions"].value[OPPENHEIMER]
    assert failed["stored"] == failed["in_tmdb_record"] - 1
    # A blocking check: the collaborations of a movie with broken credits are not built.
    assert not result.success
    assert scalar(db, "SELECT count(*) FROM collaboration_details") == 0


def _miscount_pairs_on_write(db) -> None:
    with db.transaction() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                sa.text("""
                CREATE FUNCTION miscount() RETURNS trigger AS $$
                BEGIN NEW.collaboration_count := NEW.collaboration_count + 1; RETURN NEW; END
                $$ LANGUAGE plpgsql""")
            )
            conn.execute(
                sa.text(
                    "CREATE TRIGGER miscount BEFORE INSERT OR UPDATE ON collaborations"
                    " FOR EACH ROW EXECUTE FUNCTION miscount()"
                )
            )
        else:
            # A new film's pairs are inserted already counted (one upsert), so the fault
            # goes in on INSERT; an UPDATE trigger as well would count twice, since the
            # insert trigger's own UPDATE would fire it.
            conn.execute(
                sa.text(
                    "CREATE TRIGGER miscount AFTER INSERT ON collaborations"
                    " BEGIN UPDATE collaborations SET collaboration_count ="
                    " NEW.collaboration_count + 1 WHERE id = NEW.id; END"
                )
            )


def test_pair_aggregates_that_disagree_with_their_details_fail_the_check(upstream, db, instance):
    _miscount_pairs_on_write(db)
    result = materialize_movies(
        [OPPENHEIMER], resources(upstream, db), instance, raise_on_error=False
    )
    check = _evaluations(result)["pair_aggregates_match_details"]
    assert not check.passed and check.severity == AssetCheckSeverity.ERROR
    pairs = check.metadata["failed_partitions"].value[OPPENHEIMER]["pairs"]
    assert pairs and all(p["stored"] == p["recounted"] + 1 for p in pairs)


def test_the_movie_checks_pass_on_good_data(upstream, db, instance):
    result = materialize_movies([OPPENHEIMER], resources(upstream, db), instance)
    assert {name: e.passed for name, e in _evaluations(result).items()} == {
        "tmdb_record_matches_partition": True,
        "credits_match_tmdb_record": True,
        "pair_aggregates_match_details": True,
    }
