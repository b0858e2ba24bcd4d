"""scraped_ceremony and imdb_enhanced_nominees, materialized against the fixture server."""

from __future__ import annotations

from collections import Counter

import pytest

from cinegraph_assets_tests.helpers import (
    FIXTURES,
    db_signature,
    dump,
    materialize_year,
    resources,
    scalar,
    truth_signature,
)
from cinegraph_dev.sample_upstream import SampleUpstream, scripted
from cinegraph_dev.sample_upstream.server import DATA


def _metadata(result, asset: str) -> dict:
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == asset:
            return {k: v.value for k, v in event.materialization.metadata.items()}
    raise AssertionError(f"no materialization of {asset}")


@pytest.mark.parametrize("year", ["2023", "2024", "2025", "2026"])
def test_database_agrees_with_the_truth_file(upstream, db, instance, year):
    materialize_year(year, resources(upstream, db), instance)
    ceremony = int(year) - 1928
    assert db_signature(db, int(year)) == truth_signature(ceremony)


def test_ceremony_96_counts(upstream, db, instance):
    result = materialize_year("2024", resources(upstream, db), instance)
    meta = _metadata(result, "imdb_enhanced_nominees")
    assert (meta["categories"], meta["nominations"], meta["winners"]) == (23, 120, 23)
    assert (meta["distinct_films"], meta["distinct_people"]) == (53, 205)
    assert meta["match_rate"] == 1.0
    # Both Barbie songs are separate nominations with their own songwriters.
    assert (
        scalar(
            db,
            """SELECT count(*) FROM festival_nominations n JOIN movies m ON m.id = n.movie_id
                         WHERE m.imdb_id = 'tt1517268' AND n.song_title IS NOT NULL""",
        )
        == 2
    )
    scraped = _metadata(result, "scraped_ceremony")
    assert scraped["awarded"] is True and scraped["ceremony_number"] == 96


def test_ceremony_98_has_a_tie(upstream, db, instance):
    result = materialize_year("2026", resources(upstream, db), instance)
    meta = _metadata(result, "imdb_enhanced_nominees")
    assert (meta["categories"], meta["nominations"], meta["winners"]) == (24, 125, 25)


def test_imdb_only_awards_are_non_competitive_categories(upstream, db, instance):
    materialize_year("2024", resources(upstream, db), instance)
    rows = scalar(
        db,
        """SELECT count(*) FROM festival_nominations n
                         JOIN festival_categories c ON c.id = n.category_id
                         WHERE n.source = 'imdb' AND NOT c.is_competitive""",
    )
    assert rows == 10  # 3 Honorary, 1 Hersholt, 1 Sci-Eng, 5 Tech in the 2024 edition
    assert (
        scalar(
            db,
            "SELECT count(*) FROM festival_categories WHERE name = 'Honorary Award' "
            "AND category_type = 'honorary'",
        )
        == 1
    )


def test_materializing_twice_changes_nothing(upstream, db, instance):
    res = resources(upstream, db)
    materialize_year("2024", res, instance)
    first = dump(db)
    materialize_year("2024", res, instance)
    assert dump(db) == first
    # The second run re-parsed the stored pages instead of fetching them again.
    assert upstream.count(r"/ceremonies/2024") == 1
    assert upstream.count(r"/event/ev0000003/2024/1/") == 1


def test_refresh_refetches_and_changes_nothing_else(upstream, db, instance):
    res = resources(upstream, db)
    materialize_year("2024", res, instance)
    before = dump(db)
    materialize_year("2024", res, instance, refresh=True)
    after = dump(db)
    assert upstream.count(r"/ceremonies/2024") == 2
    for name in before:
        if name not in ("raw_pages", "festival_ceremonies"):
            assert after[name] == before[name], name


def test_winners_announced_later_update_won_in_place(db, instance):
    with SampleUpstream([DATA, FIXTURES / "pre_ceremony"]) as before_show:
        materialize_year("2025", resources(before_show, db), instance)
    ids_before = scalar(db, "SELECT count(*) FROM festival_nominations WHERE source = 'oscars.org'")
    assert scalar(db, "SELECT awarded FROM festival_ceremonies WHERE year = 2025") in (False, 0)
    assert scalar(db, "SELECT count(*) FROM festival_nominations WHERE won") == 0
    snapshot = dump(db)["festival_nominations"]
    with SampleUpstream([DATA]) as after_show:
        materialize_year("2025", resources(after_show, db), instance, refresh=True)
    assert scalar(db, "SELECT awarded FROM festival_ceremonies WHERE year = 2025") in (True, 1)
    assert (
        scalar(
            db,
            "SELECT count(*) FROM festival_nominations n JOIN festival_categories c "
            "ON c.id = n.category_id WHERE n.won AND c.is_competitive",
        )
        == 23
    )
    after = {r[0]: r for r in dump(db)["festival_nominations"]}
    # Same rows, same ids: the oscars.org nominations were updated, not re-created.
    assert (
        scalar(db, "SELECT count(*) FROM festival_nominations WHERE source = 'oscars.org'")
        == ids_before
    )
    assert {r[0] for r in snapshot if r[12] == "oscars.org"} <= set(after)


@pytest.mark.parametrize("scenario", ["captcha", "empty", "no_classes", "not_found"])
def test_a_page_that_is_not_a_ceremony_page_fails_and_writes_nothing(db, instance, scenario):
    with SampleUpstream([DATA]) as good:
        materialize_year("2024", resources(good, db), instance)
    before = dump(db)
    with SampleUpstream([DATA, FIXTURES / "broken" / scenario]) as bad:
        result = materialize_year(
            "2024", resources(bad, db), instance, refresh=True, raise_on_error=False
        )
        url = resources(bad, db)["oscars"].ceremony_url(2024)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    message = failure.step_failure_data.error.to_string()
    assert url in message
    assert dump(db) == before


@pytest.mark.parametrize("scenario", ["imdb_no_next_data", "imdb_truncated_json"])
def test_a_broken_imdb_page_fails_and_writes_nothing(db, instance, scenario):
    with SampleUpstream([DATA]) as good:
        materialize_year("2024", resources(good, db), instance)
    before = dump(db)
    with SampleUpstream([DATA, FIXTURES / "broken" / scenario]) as bad:
        result = materialize_year(
            "2024", resources(bad, db), instance, refresh=True, raise_on_error=False
        )
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "/event/ev0000003/2024/1/" in failure.step_failure_data.error.to_string()
    # scraped_ceremony re-fetched the same oscars.org page: only its fetch time may move.
    after = dump(db)
    for name in before:
        if name not in ("raw_pages", "festival_ceremonies"):
            assert after[name] == before[name], name


def test_server_errors_are_retried(upstream, db, instance):
    upstream.script(r"/ceremonies/2024", scripted(503, "busy"), scripted(502, "bad gateway"))
    result = materialize_year("2024", resources(upstream, db), instance)
    assert result.success
    assert upstream.count(r"/ceremonies/2024") == 3


def test_a_404_is_not_retried(upstream, db, instance):
    instance.add_dynamic_partitions("ceremony_years", ["1999"])
    result = materialize_year("1999", resources(upstream, db), instance, raise_on_error=False)
    assert not result.success
    assert upstream.count(r"/ceremonies/1999") == 1


def _expected(scenario: str) -> list[dict]:
    import json

    return json.loads((FIXTURES / scenario / "expected.json").read_text())["ceremonies"]


@pytest.mark.parametrize("ceremony", _expected("early"), ids=lambda c: str(c["oscars_url_year"]))
def test_early_ceremonies(db, instance, ceremony):
    """Multi-film nominations, ties, old category names, IMDb's odd years for 3 to 6."""
    year = ceremony["oscars_url_year"]
    with SampleUpstream([FIXTURES / "early"]) as early:
        result = materialize_year(str(year), resources(early, db), instance)
    meta = _metadata(result, "imdb_enhanced_nominees")
    counts = ceremony["counts"]
    assert meta["nominations"] == counts["nominations"]
    assert meta["winners"] == counts["winners"]
    assert meta["categories"] == counts["categories"]
    assert meta["distinct_films"] == counts["distinct_films"]
    assert meta["distinct_people"] == counts["distinct_people"]
    assert meta["match_rate"] == 1.0
    expected = Counter(
        (
            n["category"],
            tuple(sorted(n["imdb_film_ids"])),
            tuple(sorted(n["imdb_nominee_ids"])),
            n["won"],
        )
        for n in ceremony["nominations"]
    )
    assert db_signature(db, year, canonical=False, competitive_only=False) == expected


def test_pre_ceremony_page_is_not_yet_awarded(db, instance):
    (ceremony,) = _expected("pre_ceremony")
    with SampleUpstream([DATA, FIXTURES / "pre_ceremony"]) as before_show:
        result = materialize_year("2025", resources(before_show, db), instance)
    scraped = _metadata(result, "scraped_ceremony")
    meta = _metadata(result, "imdb_enhanced_nominees")
    assert scraped["awarded"] is False and scraped["winners"] == 0
    assert scraped["placeholders"] == 1
    assert meta["nominations"] == ceremony["counts"]["nominations"]
    assert meta["match_rate"] == 1.0
    assert meta["distinct_films"] == ceremony["counts"]["distinct_films"]
    assert meta["distinct_people"] == ceremony["counts"]["distinct_people"]


def _checks(result) -> dict[str, bool]:
    """{"asset:check": passed} of a run's check evaluations."""
    return {
        f"{e.event_specific_data.asset_key.to_user_string()}:"
        f"{e.event_specific_data.asset_check_key.name}": e.event_specific_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }


def test_year_checks_pass_on_a_good_year(upstream, db, instance):
    result = materialize_year("2026", resources(upstream, db), instance)
    assert _checks(result) == {
        "scraped_ceremony:odd_content": True,
        "scraped_ceremony:nominations_match_page": True,
        "imdb_enhanced_nominees:imdb_match_rate": True,
        "imdb_enhanced_nominees:unmatched_nominations": True,
        "imdb_enhanced_nominees:odd_content": True,
    }


def test_a_poorly_matched_year_fails_its_blocking_checks(upstream, db, instance):
    # IMDb lists a different year's edition: almost nothing matches.
    upstream.script(
        r"/event/ev0000003/2024/1/",
        scripted(
            200,
            (DATA / "imdb.com/event/ev0000003/2023/1.html")
            .read_bytes()
            .replace(b'"year": 2023', b'"year": 2024')
            .replace(b'"year":2023', b'"year":2024'),
        ),
    )
    result = materialize_year("2024", resources(upstream, db), instance, raise_on_error=False)
    checks = _checks(result)
    assert checks["imdb_enhanced_nominees:imdb_match_rate"] is False
    assert checks["imdb_enhanced_nominees:unmatched_nominations"] is False
    assert checks["scraped_ceremony:nominations_match_page"] is True
