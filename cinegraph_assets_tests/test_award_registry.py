"""The award-body registry, edition keys and title kinds: pure functions, no Dagster."""

from __future__ import annotations

import pytest

from cinegraph_assets.awards.editions import Edition, EditionKeyError, sort_keys
from cinegraph_assets.awards.registry import (
    DEFAULT_FILE,
    RegistryError,
    load_bodies,
    parse_registry,
)
from cinegraph_assets.awards.title_kinds import TitleKind, decide, kind_of_text, kind_of_type
from cinegraph_assets.ceremonies.model import ImdbNomination, ImdbTitle

CESAR = """
[[body]]
key = "cesar"
name = "César Awards"
imdb_event_id = "ev0000157"
first_edition = 1976
month = 2
"""


def test_the_default_registry_has_the_fourteen_bodies():
    bodies = load_bodies()
    assert DEFAULT_FILE.name == "bodies.toml"
    assert [b.key for b in bodies] == [
        "cannes",
        "venice",
        "berlin",
        "sundance",
        "sxsw",
        "new_horizons",
        "toronto",
        "telluride",
        "nyff",
        "locarno",
        "golden_globes",
        "bafta",
        "actor_awards",
        "critics_choice",
    ]
    by_key = {b.key: b for b in bodies}
    assert by_key["cannes"].imdb_event_id == "ev0000147"
    assert by_key["critics_choice"].imdb_event_id == "ev0000133"
    assert {b.key for b in bodies if b.television} == {
        "golden_globes",
        "bafta",
        "actor_awards",
        "critics_choice",
    }
    assert all(b.enabled for b in bodies)
    assert by_key["golden_globes"].asset_name == "golden_globes_nominations"
    assert by_key["golden_globes"].partitions_name == "golden_globes_editions"


def test_one_entry_is_a_body():
    (cesar,) = parse_registry(CESAR)
    assert (cesar.key, cesar.imdb_event_id, cesar.first_edition, cesar.month) == (
        "cesar",
        "ev0000157",
        1976,
        2,
    )
    assert cesar.enabled and not cesar.television


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (CESAR.replace('"cesar"', '"César"'), "key 'César'"),
        (CESAR.replace('"cesar"', '"oscars"'), "key 'oscars'"),
        (CESAR.replace("ev0000157", "ev157"), "imdb_event_id 'ev157'"),
        (CESAR.replace("ev0000157", "ev0000003"), "Academy"),
        (CESAR.replace("month = 2", "month = 13"), "month 13"),
        (CESAR.replace("month = 2", 'month = "Feb"'), "month = 'Feb' is not a int"),
        (CESAR.replace("first_edition = 1976\n", ""), "missing field(s) first_edition"),
        (CESAR + "colour = 1\n", "unknown field(s) colour"),
        (CESAR + CESAR.replace("ev0000157", "ev0000999"), "two bodies have key 'cesar'"),
        (CESAR + CESAR.replace('"cesar"', '"cesar2"'), "imdb_event_id 'ev0000157'"),
        ("[[body]\nkey=", "not valid TOML"),
    ],
)
def test_a_bad_entry_fails_the_load_naming_it(entry, problem):
    with pytest.raises(RegistryError) as raised:
        parse_registry(entry, source="test.toml")
    assert problem in str(raised.value) and "test.toml" in str(raised.value)


def test_edition_keys():
    assert Edition.parse("2024") == Edition(2024, 1) and Edition(2024).key == "2024"
    assert Edition.parse("2016-2") == Edition(2016, 2) and Edition(2016, 2).key == "2016-2"
    for bad in ("2016-1", "16", "2016-0", "2016/2", "", "2016-2-3"):
        with pytest.raises(EditionKeyError, match="not an IMDb edition"):
            Edition.parse(bad)
    assert sort_keys(["2017", "2016-2", "2015", "2016"]) == ["2015", "2016", "2016-2", "2017"]


def _nomination(award: str, category: str, *titles: tuple[str, str | None]) -> ImdbNomination:
    return ImdbNomination(
        award=award,
        award_id="aw0000001",
        category=category,
        index=0,
        is_winner=False,
        titles=tuple(ImdbTitle(id=i, title=i, title_type=t) for i, t in titles),
        people=(),
    )


def test_title_kinds_from_type_then_page_then_text():
    assert kind_of_type("tvMovie") == TitleKind.FILM
    assert kind_of_type("tvMiniSeries") == TitleKind.SERIES
    assert kind_of_type("videoGame") == TitleKind.GAME
    assert kind_of_type(None) is None and kind_of_type("somethingNew") is None
    assert kind_of_text("Golden Globe", "Best Actress - Television Series - Drama") == "series"
    assert kind_of_text("BAFTA TV Award", "Best Drama") == "series"
    assert kind_of_text("Golden Globe", "Best Motion Picture - Drama") == "film"
    # Both or neither: only TMDb can tell.
    assert kind_of_text("Actor", "Best Actor in a Television Movie or Limited Series") is None
    assert kind_of_text("Actor", "Outstanding Performance by a Male Actor") is None

    nominations = [
        # Typed elsewhere on the page: the type wins over the category text.
        _nomination("Golden Globe", "Best Motion Picture - Drama", ("tt1", "movie")),
        _nomination("Golden Globe", "Best Actor - Television Series", ("tt1", None)),
        _nomination("Golden Globe", "Best Television Series - Drama", ("tt2", "tvSeries")),
        _nomination("Golden Globe", "Best Actress - Television Series - Drama", ("tt3", None)),
        _nomination("Golden Globe", "Best Actor - Motion Picture - Drama", ("tt4", None)),
        _nomination(
            "Golden Globe",
            "Best Actress in a Limited Series or a Motion Picture Made for Television",
            ("tt5", None),
        ),  # fmt: skip
    ]
    kinds, lookup = decide(nominations, television=True)
    assert kinds == {
        "tt1": TitleKind.FILM,
        "tt2": TitleKind.SERIES,
        "tt3": TitleKind.SERIES,
        "tt4": TitleKind.FILM,
    }
    assert lookup == {"tt5"}
    # A body that awards no television: untyped titles are films.
    kinds, lookup = decide(nominations, television=False)
    assert kinds["tt3"] == kinds["tt5"] == TitleKind.FILM and kinds["tt2"] == TitleKind.SERIES
    assert not lookup
