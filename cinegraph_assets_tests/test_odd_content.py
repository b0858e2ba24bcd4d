"""Odd but plausible content: reported (WARN check, metadata, status table), never a
reason to fail a year; each page's warnings kept apart from the other page's."""

from __future__ import annotations

import dataclasses

import pytest
from dagster import AssetCheckSeverity, build_sensor_context

from cinegraph_assets.ceremonies.imdb_parser import parse_event_page
from cinegraph_assets.ceremonies.model import PageWarning
from cinegraph_assets.ceremonies.odd_content import (
    imdb_warnings,
    oscars_warnings,
    stored_warnings,
    with_warnings,
)
from cinegraph_assets.ceremonies.oscars_parser import parse_ceremony_page
from cinegraph_assets.ceremonies.store import ceremony_row
from cinegraph_assets.status import status_rows
from cinegraph_assets_tests.helpers import (
    FIXTURES,
    ceremony_films,
    location_sensor,
    materialize_year,
    partition_metadata,
    resources,
    run_job,
    year_assets,
    year_config,
)
from cinegraph_assets_tests.recorded_pages import imdb_page_edited, oscars_page_edited
from cinegraph_dev.sample_upstream import SampleUpstream, scripted
from cinegraph_dev.sample_upstream.server import DATA

EARLY = FIXTURES / "early"
movie_partitions_sensor = location_sensor("movie_partitions_sensor")


def _evaluations(result, asset: str) -> dict:
    return {
        e.event_specific_data.asset_check_key.name: e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and e.event_specific_data.asset_key.to_user_string() == asset
    }


def _oscar_category(name: str, edges: list) -> dict:
    return {
        "node": {
            "category": {"text": name, "__typename": "AwardCategory"},
            "nominations": {"edges": edges, "pageInfo": {"hasNextPage": False}},
        }
    }


def _studio_sound_and_a_nameless_novelty(data: dict) -> None:
    """IMDb's 1932 edition as the full-history import met it: Sound Recording, whose
    nominees were studio sound departments, listed with no nominations; and one short's
    nomination held under no title, no name and no company."""
    (oscar,) = [a for a in data["props"]["pageProps"]["edition"]["awards"] if a["text"] == "Oscar"]
    categories = oscar["nominationCategories"]["edges"]
    categories.append(_oscar_category("Best Sound, Recording", []))
    (novelty,) = [
        c
        for c in categories
        if (c["node"]["category"] or {}).get("text") == "Best Short Subject, Novelty"
    ]
    (swing,) = [
        n
        for n in novelty["node"]["nominations"]["edges"]
        if n["node"]["awardedEntities"].get("awardTitles")
        and n["node"]["awardedEntities"]["awardTitles"][0]["title"]["titleText"]["text"]
        == "Swing High"
    ]
    swing["node"]["awardedEntities"] = {
        "awardTitles": None,
        "secondaryAwardNames": None,
        "secondaryAwardCompanies": None,
        "__typename": "AwardedTitles",
    }


def test_a_year_with_an_empty_imdb_category_and_a_nameless_nomination_goes_through(db, instance):
    """The 1932/1933 case: the year materializes, the IMDb check warns naming both, the
    status table counts them, and the year's films fan out."""
    with SampleUpstream([EARLY]) as upstream:
        upstream.script(
            r"/event/ev0000003/1932/1/",
            scripted(200, imdb_page_edited(1932, _studio_sound_and_a_nameless_novelty, EARLY)),
        )
        result = materialize_year("1933", resources(upstream, db), instance)
    assert result.success
    check = _evaluations(result, "imdb_enhanced_nominees")["odd_content"]
    assert not check.passed and check.severity == AssetCheckSeverity.WARN
    assert check.metadata["kinds"].value == {"empty_category": 1, "nomination_without_entities": 1}
    listed = check.metadata["warnings_md"].value
    assert "| imdb | empty_category | Oscar / Best Sound, Recording |" in listed
    assert "| imdb | nomination_without_entities | Oscar / Best Short Subject, Novelty #" in listed
    assert _evaluations(result, "imdb_enhanced_nominees")["imdb_match_rate"].passed
    assert _evaluations(result, "scraped_ceremony")["odd_content"].passed  # oscars.org is fine
    # The materialization lists them too, and the year's other nominations went through:
    # only the short IMDb names nobody for is unmatched.
    metadata = partition_metadata(result, "imdb_enhanced_nominees")["1933"]
    assert {(w["kind"], w["where"].split(" #")[0]) for w in metadata["warnings"]} == {
        ("empty_category", "Oscar / Best Sound, Recording"),
        ("nomination_without_entities", "Oscar / Best Short Subject, Novelty"),
    }
    assert (metadata["nominations"], metadata["unmatched"]) == (39, 1)
    (row,) = [r for r in status_rows(db) if r["year"] == 1933]
    assert row["warnings"] == 2 and row["unmatched"] == 1
    # Its films fan out: the movie sensor adds every film the year brought.
    tick = movie_partitions_sensor(build_sensor_context(instance=instance))
    (add,) = tick.dynamic_partitions_requests
    films = ceremony_films(db, 1933)
    assert sorted(add.partition_keys) == films and len(films) == 25
    assert tick.run_requests


def _no_winner_for_editing(html: str) -> str:
    start = html.index(">Film Editing</div>")
    winner = html.index("field--name-field-honoree-type winner", start)
    fixed = html[:winner] + "field--name-field-honoree-type nominee"
    return fixed + html[winner + len("field--name-field-honoree-type winner") :].replace(
        ">Winner<", ">Nominees<", 1
    )


def _empty_sound(data: dict) -> None:
    for award in data["props"]["pageProps"]["edition"]["awards"]:
        for edge in award["nominationCategories"]["edges"]:
            if (edge["node"]["category"] or {}).get("text") == "Best Sound":
                edge["node"]["nominations"]["edges"] = []


def _kinds(db, year: int) -> dict[str, list[str]]:
    with db.transaction() as conn:
        rows = stored_warnings(ceremony_row(conn, year)["source_metadata"])
    out: dict[str, list[str]] = {}
    for w in rows:
        out.setdefault(w["source"], []).append(w["kind"])
    return out


def test_each_page_replaces_only_its_own_warnings(upstream, db, instance):
    upstream.script(
        r"/oscars/ceremonies/2024", scripted(200, oscars_page_edited(2024, _no_winner_for_editing))
    )
    upstream.script(
        r"/event/ev0000003/2024/1/", scripted(200, imdb_page_edited(2024, _empty_sound))
    )
    res = resources(upstream, db)
    materialize_year("2024", res, instance)
    assert _kinds(db, 2024) == {"oscars.org": ["winnerless_category"], "imdb": ["empty_category"]}
    (row,) = [r for r in status_rows(db) if r["year"] == 2024]
    assert row["warnings"] == 2

    def rerun(asset) -> None:
        name = asset.key.to_user_string()
        result = run_job(
            "ceremony_year_job",
            ["2024"],
            res,
            instance,
            selection=[asset],
            run_config=year_config(refresh=True, assets=(name,)),
        )
        assert result.success

    # oscars.org fixed its page (the scripted answer is used up): its warning goes, the
    # IMDb one stays; then IMDb fixes its page.
    scraped_ceremony, imdb_enhanced_nominees = year_assets()
    rerun(scraped_ceremony)
    assert _kinds(db, 2024) == {"imdb": ["empty_category"]}
    rerun(imdb_enhanced_nominees)
    assert _kinds(db, 2024) == {}
    with db.transaction() as conn:
        metadata = ceremony_row(conn, 2024)["source_metadata"]
    assert metadata["warnings"] == [] and metadata["nominations"] == 120


# -- pure: what the Academy's rules call odd ----------------------------------------

OSCARS_2024 = (DATA / "oscars.org/oscars/ceremonies/2024.html").read_text()
IMDB_2024 = (DATA / "imdb.com/event/ev0000003/2024/1.html").read_text()


def test_a_winnerless_competitive_category_is_odd_only_once_the_ceremony_is_awarded():
    ceremony = parse_ceremony_page(OSCARS_2024, url="u", year=2024)
    assert oscars_warnings(ceremony) == []
    editing = next(c for c in ceremony.categories if c.name == "Film Editing")
    lost = dataclasses.replace(
        editing, nominations=tuple(dataclasses.replace(n, won=False) for n in editing.nominations)
    )
    categories = tuple(lost if c is editing else c for c in ceremony.categories)
    (warning,) = oscars_warnings(dataclasses.replace(ceremony, categories=categories))
    assert (warning.kind, warning.where) == ("winnerless_category", "Film Editing")
    # Before the show no category has a winner: nothing odd about that.
    before = dataclasses.replace(ceremony, categories=categories, awarded=False)
    assert oscars_warnings(before) == []


def test_an_award_the_academy_does_not_know_is_reported_and_kept():
    edition = parse_event_page(IMDB_2024, url="u")
    assert imdb_warnings(edition) == []
    plaque = tuple(
        dataclasses.replace(n, award="Plaque", category="Plaque")
        if n.award == "Honorary Award"
        else n
        for n in edition.nominations
    )
    (warning,) = imdb_warnings(dataclasses.replace(edition, nominations=plaque))
    assert (warning.kind, warning.where) == ("unknown_award", "Plaque")
    assert "(3 nominations)" in warning.message


@pytest.mark.parametrize("source,other", [("oscars.org", "imdb"), ("imdb", "oscars.org")])
def test_a_writer_replaces_its_own_source_and_keeps_the_others(source, other):
    before = with_warnings(
        {"oscars_page_sha256": "abc"}, other, [PageWarning("empty_category", "X", "m")]
    )
    before = with_warnings(before, source, [PageWarning("unknown_award", "Y", "old")])
    after = with_warnings(before, source, [PageWarning("winnerless_category", "Z", "new")])
    assert after["oscars_page_sha256"] == "abc"
    assert [(w["source"], w["kind"]) for w in stored_warnings(after)] == [
        (other, "empty_category"),
        (source, "winnerless_category"),
    ]
    assert stored_warnings(with_warnings(after, source, []), source) == []
