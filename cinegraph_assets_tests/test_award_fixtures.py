"""The award-body fixtures and the quickstart's award pages are what they claim to be.

Parser level, no database: each truth page yields exactly the nominees and winners of
its expected.json; each case page holds its case (fixtures/award_bodies/README.md); every
film of the quickstart's award pages resolves through the sample upstream (TMDb find and
movie, OMDb) and every series answers TMDb's find with a series only.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest

from cinegraph_assets.awards.registry import load_bodies
from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets_tests.helpers import FIXTURES
from cinegraph_dev.sample_upstream import SampleUpstream
from cinegraph_dev.sample_upstream.server import DATA

BODIES = FIXTURES / "award_bodies"
TRUTH = BODIES / "truth"
CASES = BODIES / "cases"
CASES_LATER = BODIES / "cases_later"
EXPECTED = json.loads((TRUTH / "expected.json").read_text())
MANIFEST = json.loads((DATA / "movies_manifest.json").read_text())
DEMO_PAGES = sorted(
    p for p in (DATA / "imdb.com/event").glob("*/*/*.html") if p.parts[-3] != "ev0000003"
)
ALL_PAGES = DEMO_PAGES + sorted(BODIES.glob("*/imdb.com/event/*/*/*.html"))
_NEXT_DATA = re.compile(r'<script id="__NEXT_DATA__" type="application/json">(.*?)</script>', re.S)
# Tolerated content: an empty category and a nomination naming nothing.
TOLERATED = CASES / "imdb.com/event/ev0000147/2023/1.html"


def _edition(path: Path) -> tuple[str, int, int]:
    return path.parts[-3], int(path.parts[-2]), int(path.stem)


def _url(path: Path) -> str:
    ev, year, instance = _edition(path)
    return f"https://www.imdb.com/event/{ev}/{year}/{instance}/"


def _parse(path: Path):
    ev, year, instance = _edition(path)
    return parse_event_page(path.read_text(), url=_url(path), expected=(year, instance))


def _next_data(path: Path) -> dict:
    return json.loads(_NEXT_DATA.search(path.read_text()).group(1))


def _entities(data: dict):
    """(award, category, nomination node) of every nomination of a page's JSON."""
    for award in data["props"]["pageProps"]["edition"]["awards"]:
        for edge in award["nominationCategories"]["edges"]:
            category = (edge["node"]["category"] or {}).get("text") or award["text"]
            for nomination in edge["node"]["nominations"]["edges"]:
                yield award["text"], category, nomination["node"]


def _title_types(data: dict) -> dict[str, set[str | None]]:
    """tt -> the titleType ids the page gives it (None: named without a type)."""
    types: dict[str, set[str | None]] = defaultdict(set)
    for _, _, node in _entities(data):
        entities = node["awardedEntities"]
        for item in entities.get("awardTitles") or []:
            types[item["title"]["id"]].add(item["title"]["titleType"]["id"])
        for item in entities.get("secondaryAwardTitles") or []:
            types[item["title"]["id"]].add(item["title"].get("titleType"))
    return types


def _by_category(edition) -> dict:
    found: dict = {}
    for n in edition.nominations:
        entry = found.setdefault(n.award, {}).setdefault(
            n.category, {"nominees": set(), "winners": set()}
        )
        entry["nominees"] |= {t.id for t in n.titles}
        if n.is_winner:
            entry["winners"] |= {t.id for t in n.titles}
    return {
        award: {c: {k: sorted(v) for k, v in lists.items()} for c, lists in categories.items()}
        for award, categories in found.items()
    }


# -- every page: the real shape ----------------------------------------------------------


@pytest.mark.parametrize("path", ALL_PAGES, ids=lambda p: "/".join(p.parts[-6:]))
def test_pages_have_the_real_shape(path):
    ev, year, instance = _edition(path)
    page = path.read_text()
    assert f'<link rel="canonical" href="{_url(path)}">' in page
    data = _next_data(path)
    props = data["props"]["pageProps"]
    assert data["page"] == "/event/[evconst]/[year]/[instance]"
    assert data["query"] == {"evconst": ev, "year": str(year), "instance": str(instance)}
    assert props["requestContext"]["pageConst"] == ev
    info = props["editionInfo"]
    assert (info["year"], info["instanceWithinYear"]) == (year, instance)
    assert props["eventName"] == info["event"]["name"]["text"]
    history = [(h["year"], h["instanceWithinYear"]) for h in props["historyEventEditions"]]
    assert history == sorted(history, reverse=True) and len(set(history)) == len(history)
    assert (year, instance) in history
    ids = {h["id"] for h in props["historyEventEditions"]}
    assert info["id"] in ids and len(ids) == len(history)
    for _, _, node in _entities(data):
        entities = node["awardedEntities"]
        # IMDb gives a type to the titles of a title nomination, never to a person's film.
        assert all(i["title"].get("titleType") for i in entities.get("awardTitles") or [])
        assert not any(
            "titleType" in i["title"] for i in entities.get("secondaryAwardTitles") or []
        )


# -- the truth sample --------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_truth_page_yields_the_sample(key):
    """Every (award, category), nominee and winner of the edition, exactly."""
    ev, year, instance = key.split("/")
    edition = _parse(TRUTH / f"imdb.com/event/{ev}/{year}/{instance}.html")
    assert (edition.year, edition.instance) == (int(year), int(instance))
    assert _by_category(edition) == EXPECTED[key]


def test_truth_golden_globes_mix_film_and_television():
    data = _next_data(TRUTH / "imdb.com/event/ev0000292/2026/1.html")
    types = _title_types(data)
    by_type = defaultdict(set)
    for tt, kinds in types.items():
        by_type[frozenset(k for k in kinds if k)].add(tt)
    assert set(by_type) == {
        frozenset({"movie"}),
        frozenset({"tvSeries"}),
        frozenset({"tvMiniSeries"}),
        frozenset({"podcastSeries"}),
        frozenset(),  # the stand-up specials, named only by their comedians' nominations
    }
    drama_series = EXPECTED["ev0000292/2026/1"]["Golden Globe"]["Best Television Series - Drama"]
    assert all(types[tt] - {None} == {"tvSeries"} for tt in drama_series["nominees"])


# -- the cases ---------------------------------------------------------------------------

CANNES_2024 = CASES / "imdb.com/event/ev0000147/2024/1.html"
GLOBES_2025 = CASES / "imdb.com/event/ev0000292/2025/1.html"


def test_category_null_and_one_category_under_two_awards():
    edition = _parse(CANNES_2024)
    palme = [n for n in edition.nominations if n.award == "Palme d'Or"]
    assert len(palme) == 6 and {n.category for n in palme} == {"Palme d'Or"}
    assert [n.titles[0].title for n in palme if n.is_winner] == ["Anora"]
    best_actor = {n.award: n for n in edition.nominations if n.category == "Best Actor"}
    assert set(best_actor) == {"Best Actor", "Un Certain Regard - Best Actor"}
    assert best_actor["Best Actor"].people[0].name == "Sebastian Stan"
    assert best_actor["Un Certain Regard - Best Actor"].people[0].name == "Yura Borisov"
    fipresci = {n.category for n in edition.nominations if n.award == "FIPRESCI Prize"}
    assert fipresci == {"Competition", "Un Certain Regard"}


def test_nomination_with_two_films_person_nominations_and_a_company():
    edition = _parse(CANNES_2024)
    by_award = {n.award: n for n in edition.nominations}
    jury = by_award["Jury Prize"]
    assert [t.id for t in jury.titles] == ["tt20221436", "tt32178949"] and jury.is_winner
    actress = by_award["Best Actress"]
    assert [p.id for p in actress.people] == ["nm1035423", "nm0757855"]
    assert [t.id for t in actress.titles] == ["tt20221436"]
    gan = by_award["Gan Foundation Support for Distribution"]
    assert gan.category == "Gan Foundation Award for Distribution"
    assert gan.companies == ("Tideline Distribution",) and gan.titles[0].title == "Flow"
    data = _next_data(CANNES_2024)
    assert _title_types(data)["tt20519854"] == {"short"}


def test_series_titled_and_untitled_by_type():
    data = _next_data(GLOBES_2025)
    types = _title_types(data)
    assert types["tt91410001"] == {"tvSeries", None}  # titled, and named by an actress
    assert types["tt91410004"] == {None}  # only in "... in a Television Series - Drama"
    assert types["tt91410006"] == {None}  # the Carol Burnett Award's text says nothing
    assert types["tt91410005"] == {"tvMiniSeries"}
    assert types["tt91400010"] == {"tvMovie"}  # a film made for television is a film
    assert types["tt8999762"] == {"movie", None}
    edition = _parse(GLOBES_2025)
    untitled = [n for n in edition.nominations if "Actress in a Television" in n.category]
    assert untitled[0].category == "Best Performance by an Actress in a Television Series - Drama"
    assert [t.id for n in untitled for t in n.titles] == ["tt91410001", "tt91410004"]
    demille = [n for n in edition.nominations if n.award == "Cecil B. DeMille Award"]
    assert demille[0].category == "Cecil B. DeMille Award" and demille[0].titles == ()
    # Where nothing on the page tells, TMDb's find does: a series, not a film.
    for tt in ("tt91410004", "tt91410006"):
        find = json.loads((CASES / f"tmdb/3/find/{tt}.json").read_text())
        assert find["tv_results"] and not find["movie_results"]


def test_second_edition_in_one_year():
    first = CASES / "imdb.com/event/ev0000133/2016/1.html"
    second = CASES / "imdb.com/event/ev0000133/2016/2.html"
    one, two = _parse(first), _parse(second)
    assert (one.instance, two.instance) == (1, 2)
    assert str(one.date) == "2016-01-17" and str(two.date) == "2016-12-11"
    assert not {t.id for n in one.nominations for t in n.titles} & {
        t.id for n in two.nominations for t in n.titles
    }
    assert (2016, 2, two.edition_id) in one.history and (2016, 1, one.edition_id) in two.history
    with pytest.raises(ImdbPageError, match="expected 2016/1"):
        parse_event_page(second.read_text(), url="u", expected=(2016, 1))


def test_line_up_then_winners_on_a_later_fetch():
    path = "imdb.com/event/ev0000147/2026/1.html"
    line_up, later = _parse(CASES / path), _parse(CASES_LATER / path)
    assert line_up.nominations and not any(n.is_winner for n in line_up.nominations)
    palme = lambda e: {t.id for n in e.nominations if n.award == "Palme d'Or" for t in n.titles}  # noqa: E731
    assert palme(line_up) == palme(later) and len(palme(later)) == 10
    assert [n.titles[0].title for n in later.nominations if n.is_winner][0] == "The Orchard Wall"
    # The later root overrides the earlier one, as a later fetch from IMDb would.
    with (
        SampleUpstream([DATA, CASES]) as before,
        SampleUpstream([DATA, CASES, CASES_LATER]) as after,
    ):
        pages = [_get(u.url + "/imdb/event/ev0000147/2026/1/") for u in (before, after)]
    assert [any(n.is_winner for n in parse_event_page(p, url="u").nominations) for p in pages] == [
        False,
        True,
    ]


def test_unknown_edition_is_a_clear_error():
    with SampleUpstream([DATA, CASES]) as upstream:
        with pytest.raises(urllib.error.HTTPError) as answer:
            _get(upstream.url + "/imdb/event/ev0000147/1999/1/")
    assert answer.value.code == 404
    body = answer.value.read().decode()
    with pytest.raises(ImdbPageError, match="a 'not found' page"):
        parse_event_page(body, url="https://www.imdb.com/event/ev0000147/1999/1/")


def test_tolerated_content_apart_from_the_empty_category():
    """Without its empty category the page is plain: the nomination naming nothing is
    one nomination with no entities."""
    page = TOLERATED.read_text()
    data = _next_data(TOLERATED)
    for award in data["props"]["pageProps"]["edition"]["awards"]:
        edges = award["nominationCategories"]["edges"]
        edges[:] = [e for e in edges if e["node"]["nominations"]["edges"]]
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    page = _NEXT_DATA.sub(
        lambda _m: f'<script id="__NEXT_DATA__" type="application/json">{raw}</script>', page
    )
    edition = parse_event_page(page, url="u", expected=(2023, 1))
    palm_dog = [n for n in edition.nominations if n.award == "Palm Dog"]
    assert len(palm_dog) == 1 and palm_dog[0].is_winner
    assert (palm_dog[0].titles, palm_dog[0].people, palm_dog[0].companies) == ((), (), ())


def test_tolerated_page_parses_and_reports_both():
    edition = _parse(TOLERATED)
    assert "Special Mention" not in {n.category for n in edition.nominations}
    assert any(n.award == "Palm Dog" and not n.titles for n in edition.nominations)
    assert {w.kind for w in edition.warnings} == {
        "empty_category",
        "nomination_without_entities",
    }


def test_cesar_is_one_registry_entry_with_a_page():
    (cesar,) = load_bodies(BODIES / "cesar.toml")
    assert (cesar.key, cesar.imdb_event_id, cesar.television) == ("cesar", "ev0000157", False)
    edition = _parse(CASES / f"imdb.com/event/{cesar.imdb_event_id}/2025/1.html")
    assert edition.event_name == "César Awards, France"
    assert {n.award for n in edition.nominations} == {"César", "Honorary César"}
    assert edition.history[0][:2] == (2025, 1) and edition.history[-1][:2] == (1976, 1)


def test_case_films_resolve_through_the_case_root():
    """Made-up case films (and the TV movie) answer TMDb and OMDb from the case root;
    the others are the sample's films."""
    for path in sorted(CASES.glob("imdb.com/event/*/*/*.html")):
        for tt, kinds in _title_types(_next_data(path)).items():
            if kinds & {"tvSeries", "tvMiniSeries"} or tt.startswith("tt9141"):
                assert (CASES / f"tmdb/3/find/{tt}.json").exists(), tt
            elif (CASES / f"omdb/{tt}.json").exists():
                find = json.loads((CASES / f"tmdb/3/find/{tt}.json").read_text())
                movie_id = find["movie_results"][0]["id"]
                assert (CASES / f"tmdb/3/movie/{movie_id}.json").exists()
            else:
                assert tt in MANIFEST["films"], (path, tt)


# -- the quickstart ----------------------------------------------------------------------


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_quickstart_award_pages():
    editions = {"/".join(p.parts[-3:-1]) for p in DEMO_PAGES}
    assert editions == {"ev0000147/2025", "ev0000147/2026", "ev0000292/2026"}
    for path in DEMO_PAGES:
        edition = _parse(path)
        films = {t.id for n in edition.nominations for t in n.titles} - set(MANIFEST["series"])
        assert 15 <= len(films) <= 30, path
        assert any(n.is_winner for n in edition.nominations)
    globes = _title_types(_next_data(DATA / "imdb.com/event/ev0000292/2026/1.html"))
    assert {tt for tt, kinds in globes.items() if "tvSeries" in kinds}
    oscar_films = {tt for tt, f in MANIFEST["films"].items() if f["ceremonies"]}
    assert len(oscar_films & set(globes)) >= 15  # the Oscars' films, where they belong


def test_quickstart_films_resolve_through_the_sample_upstream():
    """find -> movie (credits, ids, release dates) -> OMDb for every film; find -> a series
    only for every series; every person nominee is in the film's TMDb credits."""
    with SampleUpstream() as upstream:
        base = upstream.url
        for path in DEMO_PAGES:
            key = "/".join(path.parts[-3:-1]) + "/" + path.stem
            types = _title_types(_next_data(path))
            edition = _parse(path)
            credited: dict[str, set[str]] = {}
            for tt, kinds in types.items():
                kinds = {k for k in kinds if k}
                assert len(kinds) <= 1, (path, tt, kinds)
                if not kinds:  # named by a person nomination only: a film of the sample
                    assert tt in MANIFEST["films"] and tt not in MANIFEST["series"], tt
                find = json.loads(_get(f"{base}/tmdb/3/find/{tt}?external_source=imdb_id"))
                if kinds & {"tvSeries", "tvMiniSeries"}:
                    assert find["tv_results"] and not find["movie_results"], tt
                    assert key in MANIFEST["series"][tt]["award_editions"]
                    continue
                (result,) = find["movie_results"]
                movie = json.loads(
                    _get(
                        f"{base}/tmdb/3/movie/{result['id']}"
                        "?append_to_response=credits,external_ids,release_dates"
                    )
                )
                assert movie["imdb_id"] == tt and movie["external_ids"]["imdb_id"] == tt
                assert movie["release_dates"]["results"]
                omdb = json.loads(_get(f"{base}/omdb/?i={tt}&plot=full&apikey=k"))
                assert omdb["Response"] == "True" and omdb["imdbID"] == tt
                manifest = MANIFEST["films"][tt]
                assert manifest["tmdb_id"] == movie["id"] and key in manifest["award_editions"]
                credits = movie["credits"]
                if not manifest["ceremonies"]:  # a film the quickstart's award pages added
                    assert 10 <= len(credits["cast"]) <= 30 and 8 <= len(credits["crew"]) <= 20
                    jobs = {c["job"] for c in credits["crew"]}
                    assert {"Director", "Producer", "Screenplay", "Editor"} <= jobs
                    assert len({c["id"] for c in credits["cast"]}) == len(credits["cast"])
                credited[tt] = {c["name"] for c in credits["cast"] + credits["crew"]}
            for n in edition.nominations:
                if not any(t.id in credited for t in n.titles):
                    continue  # a series: TMDb's movie credits do not cover it
                for person in n.people:
                    assert any(person.name in credited.get(t.id, ()) for t in n.titles), (
                        path,
                        n.category,
                        person.name,
                    )


def test_ids_name_one_thing_everywhere():
    """A tt id has one title across every IMDb page of the sample data and the fixtures, an
    nm id one name across the award pages, and one the Oscar pages give it (whose own
    spellings vary: "Ruth Carter" / "Ruth E. Carter"): made-up ids never collide."""

    def ids(paths) -> tuple[dict, dict]:
        titles: dict[str, set[str]] = defaultdict(set)
        names: dict[str, set[str]] = defaultdict(set)

        def walk(obj):
            if isinstance(obj, dict):
                if isinstance(obj.get("title"), dict) and "titleText" in obj["title"]:
                    titles[obj["title"]["id"]].add(obj["title"]["titleText"]["text"])
                if isinstance(obj.get("name"), dict) and "nameText" in obj["name"]:
                    names[obj["name"]["id"]].add(obj["name"]["nameText"]["text"])
                for value in obj.values():
                    walk(value)
            elif isinstance(obj, list):
                for value in obj:
                    walk(value)

        for path in paths:
            walk(_next_data(path)["props"]["pageProps"]["edition"])
        return titles, names

    oscar_titles, oscar_names = ids(sorted((DATA / "imdb.com/event/ev0000003").glob("*/*.html")))
    titles, names = ids(ALL_PAGES)
    assert {tt: t for tt, t in titles.items() if len(t | oscar_titles.get(tt, t)) > 1} == {}
    assert {nm: n for nm, n in names.items() if len(n) > 1} == {}
    assert {
        nm: n for nm, n in names.items() if nm in oscar_names and not n <= oscar_names[nm]
    } == {}
