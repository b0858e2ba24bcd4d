"""The oscars.org <-> IMDb matcher, pure: robust to how IMDb differs, never inventing."""

from __future__ import annotations

import dataclasses
import random
import unicodedata
from pathlib import Path

import pytest

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.imdb_parser import parse_edition, parse_event_page
from cinegraph_assets.ceremonies.matcher import match_ceremony
from cinegraph_assets.ceremonies.model import (
    ImdbNomination,
    ImdbPerson,
    ImdbTitle,
    OscarsNomination,
)
from cinegraph_assets.ceremonies.oscars_parser import parse_ceremony_page
from cinegraph_assets.ceremonies.overrides import (
    OverridesError,
    load_overrides,
    overrides_for,
    parse_overrides,
)
from cinegraph_assets.ceremonies.partitions import imdb_edition
from cinegraph_assets.text import fold, same_country, statement_people
from cinegraph_assets_tests.helpers import FIXTURES
from cinegraph_dev.sample_upstream.server import DATA

CASES = [(DATA, y) for y in (2023, 2024, 2025, 2026)] + [
    (FIXTURES / "early", y) for y in (1929, 1931, 1933, 1934, 1969, 1990)
]
KINDS = [(FIXTURES / "match_kinds", y) for y in (1933, 1949, 1952, 1957, 1970, 2020)]


def _load(root: Path, year: int):
    iy, ii = imdb_edition(year)
    oscars = parse_ceremony_page(
        (root / f"oscars.org/oscars/ceremonies/{year}.html").read_text(), url="oscars", year=year
    )
    imdb = parse_event_page(
        (root / f"imdb.com/event/ev0000003/{iy}/{ii}.html").read_text(), url="imdb"
    )
    return oscars, list(imdb.nominations)


def _identity(i: ImdbNomination | None):
    if i is None:
        return None
    return (tuple(sorted(t.id for t in i.titles)), tuple(sorted(p.id for p in i.people)))


def _pairs(oscars, imdb):
    result = match_ceremony(oscars.nominations, imdb, awarded=oscars.awarded)
    return [(m.status, _identity(m.imdb)) for m in result.matches], result


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _perturb(imdb: list[ImdbNomination], rng: random.Random) -> list[ImdbNomination]:
    """IMDb as it differs in the wild: other names for categories, other orders, titles
    without articles or accents, '&' for 'and', names without middle initials."""
    categories = sorted({i.category for i in imdb})
    rng.shuffle(categories)
    renamed = {c: f"Award category {k}" for k, c in enumerate(categories)}
    out = []
    for i in imdb:
        titles = []
        for t in i.titles:
            title = t.title
            if rng.random() < 0.3 and title.lower().startswith("the "):
                title = title[4:]
            if rng.random() < 0.3:
                title = _strip_accents(title).replace(" and ", " & ")
            titles.append(dataclasses.replace(t, title=title))
        people = []
        for p in i.people:
            words = p.name.split()
            if len(words) == 3 and len(words[1].rstrip(".")) == 1 and rng.random() < 0.5:
                words = [words[0], words[2]]
            people.append(dataclasses.replace(p, name=_strip_accents(" ".join(words))))
        category = renamed[i.category] if i.is_oscar else i.category
        out.append(
            dataclasses.replace(i, category=category, titles=tuple(titles), people=tuple(people))
        )
    rng.shuffle(out)
    return out


@pytest.mark.parametrize("root,year", CASES, ids=[str(y) for _, y in CASES])
def test_every_nomination_matches(root, year):
    oscars, imdb = _load(root, year)
    pairs, result = _pairs(oscars, imdb)
    assert all(status == "matched" for status, _ in pairs), [
        (m.oscars.category, m.oscars.films, m.reason)
        for m in result.matches
        if m.status != "matched"
    ]
    assert not result.imdb_unassigned


@pytest.mark.parametrize("root,year", CASES + KINDS, ids=[str(y) for _, y in CASES + KINDS])
def test_scoring_only_pairs_that_share_a_word_changes_no_match(root, year):
    """The matcher compares a nomination only with IMDb nominations sharing a word of a
    title, name, company or country; on every fixture, also with IMDb's differences,
    that gives exactly what comparing every pair gives."""
    oscars, imdb = _load(root, year)
    for variant in [imdb] + [_perturb(imdb, random.Random(seed)) for seed in range(3)]:
        fast = match_ceremony(oscars.nominations, variant, awarded=oscars.awarded)
        slow = match_ceremony(oscars.nominations, variant, awarded=oscars.awarded, every_pair=True)
        assert [(m.status, _identity(m.imdb), m.score) for m in fast.matches] == [
            (m.status, _identity(m.imdb), m.score) for m in slow.matches
        ]


@pytest.mark.parametrize("root,year", CASES, ids=[str(y) for _, y in CASES])
def test_matching_survives_imdb_differences(root, year):
    oscars, imdb = _load(root, year)
    expected, _ = _pairs(oscars, imdb)
    for seed in range(3):
        perturbed, _ = _pairs(oscars, _perturb(imdb, random.Random(seed)))
        assert perturbed == expected, f"seed {seed}"


@pytest.mark.parametrize("root,year", CASES, ids=[str(y) for _, y in CASES])
def test_a_missing_imdb_nomination_is_never_replaced_by_another(root, year):
    oscars, imdb = _load(root, year)
    before = match_ceremony(oscars.nominations, imdb, awarded=oscars.awarded).matches
    rng = random.Random(year)
    oscar_ones = [i for i in imdb if i.is_oscar]
    removed = {id(i) for i in rng.sample(oscar_ones, k=max(1, len(oscar_ones) // 10))}
    kept = [i for i in imdb if id(i) not in removed]
    after = match_ceremony(oscars.nominations, kept, awarded=oscars.awarded).matches
    for was, now in zip(before, after, strict=True):
        if id(was.imdb) in removed:
            assert now.status != "matched", (
                f"{was.oscars.category} {was.oscars.films}: matched to "
                f"{_identity(now.imdb)} after its IMDb nomination was removed"
            )
        else:
            assert (now.status, now.imdb) == (was.status, was.imdb)


def test_two_songs_from_one_film_get_their_own_imdb_nominations():
    oscars, imdb = _load(DATA, 2024)
    _, result = _pairs(oscars, imdb)
    songs = {
        m.oscars.song_title: {p.name for p in m.imdb.people}
        for m in result.matches
        if m.oscars.films == ("Barbie",) and m.oscars.song_title
    }
    assert songs == {
        "What Was I Made For?": {"Billie Eilish", "Finneas O'Connell"},
        "I'm Just Ken": {"Mark Ronson", "Andrew Wyatt"},
    }


def test_two_supporting_actors_from_one_film_are_told_apart():
    oscars, imdb = _load(DATA, 2023)
    _, result = _pairs(oscars, imdb)
    banshees = {
        m.oscars.statement: [p.name for p in m.imdb.people]
        for m in result.matches
        if m.oscars.category == "Actor in a Supporting Role"
        and m.oscars.films == ("The Banshees of Inisherin",)
    }
    assert banshees == {"Brendan Gleeson": ["Brendan Gleeson"], "Barry Keoghan": ["Barry Keoghan"]}


def _oscars(category, films, statement, won=False, song=None):
    return OscarsNomination(
        category=category,
        position=0,
        won=won,
        film_slot=films[0],
        entities=(statement,),
        films=tuple(films),
        statement=statement,
        people=statement_people(statement),
        song_title=song,
    )


def _imdb(category, titles, people, won=False, song=None):
    return ImdbNomination(
        award="Oscar",
        award_id="aw0000016",
        category=category,
        index=0,
        is_winner=won,
        titles=tuple(ImdbTitle(tt, title) for tt, title in titles),
        people=tuple(ImdbPerson(nm, name) for nm, name in people),
        song_title=song,
    )


def test_candidates_that_cannot_be_told_apart_are_ambiguous_not_guessed():
    song = "Best Achievement in Music Written for Motion Pictures (Original Song)"
    oscars = [
        _oscars("Music (Original Song)", ["Barbie"], "Music and Lyric by Pat Smith", song="A"),
        _oscars("Music (Original Song)", ["Barbie"], "Music and Lyric by Pat Smith", song="B"),
    ]
    # Two different IMDb people of the same name, and no song titles on IMDb.
    imdb = [
        _imdb(song, [("tt1517268", "Barbie")], [("nm0000001", "Pat Smith")]),
        _imdb(song, [("tt1517268", "Barbie")], [("nm0000002", "Pat Smith")]),
    ]
    result = match_ceremony(oscars, imdb, awarded=False)
    assert [m.status for m in result.matches] == ["ambiguous", "ambiguous"]
    assert all(m.imdb is None for m in result.matches)


def test_a_film_alone_does_not_match_an_acting_nomination_of_someone_else():
    category = "Best Performance by an Actor in a Supporting Role"
    oscars = [_oscars("Actor in a Supporting Role", ["Oppenheimer"], "Robert Downey Jr.", won=True)]
    imdb = [
        _imdb(category, [("tt15398776", "Oppenheimer")], [("nm0000233", "Matt Damon")], won=True)
    ]
    (match,) = match_ceremony(oscars, imdb, awarded=True).matches
    assert match.status == "unmatched" and match.imdb is None
    assert "Matt Damon" in match.reason


def test_titles_differing_in_punctuation_accents_articles_and_subtitles_match():
    category = "Best Motion Picture of the Year"
    pairs = [
        ("Tár", "TAR"),
        ("The Teachers' Lounge", "Teachers Lounge"),
        (
            "Mission: Impossible - Dead Reckoning Part One",
            "Mission: Impossible - Dead Reckoning Part 1",
        ),
        ("Birdman or (The Unexpected Virtue of Ignorance)", "Birdman"),
        ("Nǎi Nai & Wài Pó", "Nai Nai and Wai Po"),
    ]
    for k, (printed, on_imdb) in enumerate(pairs):
        oscars = [_oscars("Best Picture", [printed], "Some Producer, Producer")]
        imdb = [_imdb(category, [(f"tt{k:07d}", on_imdb)], [("nm1000000", "Some Producer")])]
        (match,) = match_ceremony(oscars, imdb, awarded=False).matches
        assert match.status == "matched", (printed, on_imdb, match.reason)


# -- kinds of nominations the similarity alone leaves unmatched -----------------------

KINDS = FIXTURES / "match_kinds"


def _kinds(year: int, *, overrides=()):
    oscars, imdb = _load(KINDS, year)
    return (
        oscars,
        imdb,
        match_ceremony(oscars.nominations, imdb, awarded=oscars.awarded, overrides=overrides),
    )


def _by_film(result, category: str) -> dict:
    return {m.oscars.films[0]: m for m in result.matches if m.oscars.category == category}


def test_kind1_film_alone_matches_when_the_names_disagree():
    """1949 Best Picture is credited to studios on oscars.org, to producers on IMDb."""
    _, _, result = _kinds(1949)
    assert all(m.status == "matched" for m in result.matches) and not result.imdb_unassigned
    best = _by_film(result, "Best Picture")
    shoes = best["The Red Shoes"]
    assert _identity(shoes.imdb) == (("tt0040725",), ("nm0003836", "nm0696247"))
    assert shoes.score < 0.6 and shoes.override is None
    assert shoes.note == (
        "matched on the film alone: oscars.org names 'J. Arthur Rank-Archers', "
        "IMDb names 'Michael Powell, Emeric Pressburger'"
    )
    assert _identity(best["Hamlet"].imdb) == (("tt0040416",), ("nm0000059",))
    assert best["Hamlet"].note.startswith("matched on the film alone: oscars.org names 'J. Ar")
    # Where the names agree nothing is noted; two actresses from one film stay apart.
    story = _by_film(result, "Writing (Motion Picture Story)")
    assert story["The Red Shoes"].note is None and story["The Red Shoes"].score == 1.0
    mama = {
        m.oscars.statement: _identity(m.imdb)[1]
        for m in result.matches
        if m.oscars.films == ("I Remember Mama",)
    }
    assert mama == {"Barbara Bel Geddes": ("nm0000896",), "Ellen Corby": ("nm0179819",)}


def test_kind1_a_pseudonymous_credit_matches_on_the_film():
    _, _, result = _kinds(1957)
    brave = _by_film(result, "Writing (Motion Picture Story)")["The Brave One"]
    assert brave.status == "matched" and not brave.winner_conflict
    assert _identity(brave.imdb) == (("tt0049030",), ("nm0874308",))
    assert brave.note == (
        "matched on the film alone: oscars.org names 'Robert Rich', IMDb names 'Dalton Trumbo'"
    )


def test_film_alone_never_matches_when_the_film_occurs_twice_in_the_category():
    oscars, imdb = _load(KINDS, 1949)
    (shoes,) = [i for i in imdb if i.category == "Best Picture" and i.titles[0].id == "tt0040725"]
    # IMDb with a second Best Picture nomination of The Red Shoes: names must decide.
    twice = [*imdb, dataclasses.replace(shoes, people=(ImdbPerson("nm0000002", "Pat Smith"),))]
    result = match_ceremony(oscars.nominations, twice, awarded=True)
    best = _by_film(result, "Best Picture")
    assert best["The Red Shoes"].status != "matched" and best["The Red Shoes"].imdb is None
    assert all(best[f].status == "matched" for f in best if f != "The Red Shoes")
    # The page with the film twice in the category (IMDb once): no film-alone match either.
    (page_shoes,) = [
        o for o in oscars.nominations if o.category == "Best Picture" and "Red" in o.film_slot
    ]
    again = dataclasses.replace(page_shoes, entities=("Rank Organisation",), statement="Rank")
    result = match_ceremony([*oscars.nominations, again], imdb, awarded=True)
    shoes = [
        m
        for m in result.matches
        if m.oscars.category == "Best Picture" and m.oscars.films == ("The Red Shoes",)
    ]
    assert [(m.status, m.imdb) for m in shoes] == [("unmatched", None), ("unmatched", None)]


def test_film_alone_does_not_tell_two_songs_of_one_film_apart():
    song = "Best Achievement in Music Written for Motion Pictures (Original Song)"
    oscars = [
        _oscars("Music (Original Song)", ["Barbie"], "Music and Lyric by A. Nonym", song="A"),
        _oscars("Music (Original Song)", ["Barbie"], "Music and Lyric by B. Nonym", song="B"),
    ]
    imdb = [
        _imdb(song, [("tt1517268", "Barbie")], [("nm0000001", "Pat Smith")]),
        _imdb(song, [("tt1517268", "Barbie")], [("nm0000002", "Sam Jones")]),
    ]
    result = match_ceremony(oscars, imdb, awarded=False)
    assert [m.status for m in result.matches] == ["unmatched", "unmatched"]
    # One song of a film on each side, but the song titles disagree: not the same song.
    result = match_ceremony(
        oscars[:1], [dataclasses.replace(imdb[0], song_title="Other Song")], awarded=False
    )
    assert result.matches[0].status == "unmatched"


def test_kind2_studio_departments_match_on_the_company_and_have_no_film():
    _, _, result = _kinds(1933)
    sound = {
        m.oscars.statement: m for m in result.matches if m.oscars.category == "Sound Recording"
    }
    paramount = sound["Paramount Publix Studio Sound Department"]
    assert paramount.status == "no_film" and paramount.oscars.won and paramount.imdb.is_winner
    assert paramount.imdb.companies == ("Paramount Pictures",)
    # "Goldwyn" inside Metro-Goldwyn-Mayer is not Samuel Goldwyn: MGM is MGM.
    assert sound["Metro-Goldwyn-Mayer Studio Sound Department"].imdb.companies == (
        "Metro-Goldwyn-Mayer (MGM)",
    )
    assert sound["RKO Radio Studio Sound Department"].status == "no_film"
    # IMDb names Disney's nomination by a title: the last one left takes it.
    disney = sound["Walt Disney Studios"]
    assert disney.status == "matched" and _identity(disney.imdb) == (("tt0022899",), ())
    assert disney.note == (
        "matched by elimination, the only IMDb nomination left in the category: "
        "oscars.org names 'Walt Disney Studios', IMDb names 'Flowers and Trees'"
    )
    assert result.match_rate == 1.0 and len(result.no_film) == 3 and not result.imdb_unassigned


def test_kind2_elimination_never_takes_another_studios_nomination():
    oscars, imdb = _load(KINDS, 1933)

    def without(company: str | None, title: str | None = None):
        kept = [
            i
            for i in imdb
            if not (i.category == "Best Sound, Recording" and company in i.companies)
            and not (i.category == "Best Sound, Recording" and i.titles and title)
        ]
        result = match_ceremony(oscars.nominations, kept, awarded=True)
        return {m.oscars.statement: m for m in result.matches}, result

    # IMDb lacks MGM's nomination: MGM and Disney are left with one IMDb nomination
    # between them, which neither may take.
    sound, result = without("Metro-Goldwyn-Mayer (MGM)")
    assert sound["Metro-Goldwyn-Mayer Studio Sound Department"].status == "unmatched"
    assert sound["Walt Disney Studios"].status == "unmatched"
    assert [i.titles[0].id for i in result.imdb_unassigned] == ["tt0022899"]
    # IMDb lacks Disney's: nothing is left for it and no film is printed: no_film.
    sound, result = without(None, title="Flowers and Trees")
    assert sound["Walt Disney Studios"].status == "no_film"
    assert sound["Walt Disney Studios"].imdb is None
    assert "no film on oscars.org and nothing left on IMDb" in sound["Walt Disney Studios"].reason


def test_kind3_early_foreign_language_awards_read_country_and_producers():
    oscars, _, result = _kinds(1957)
    foreign = _by_film(result, "Foreign Language Film")
    strada = foreign["La Strada"].oscars
    assert (strada.country, strada.films, strada.statement, strada.people) == (
        "Italy",
        ("La Strada",),
        "Carlo Ponti and Dino De Laurentiis, Producers",
        ("Carlo Ponti", "Dino De Laurentiis"),
    )
    captain = foreign["The Captain of Kopenick"]
    assert captain.oscars.country == "Federal Republic of Germany"
    assert captain.imdb.notes == "West Germany" and captain.status == "matched"
    assert {f: _identity(m.imdb)[0] for f, m in foreign.items()} == {
        "La Strada": ("tt0047528",),
        "The Captain of Kopenick": ("tt0049310",),
        "Gervaise": ("tt0049263",),
        "Harp of Burma": ("tt0049012",),  # IMDb: "The Burmese Harp"
        "Qivitoq": ("tt0049648",),
    }
    assert all(m.status == "matched" for m in result.matches) and not result.imdb_unassigned


def test_kind3_long_official_country_names_agree_with_imdb_notes():
    _, _, result = _kinds(1970)
    foreign = _by_film(result, "Foreign Language Film")
    neretva, karamazov = foreign["The Battle of Neretva"], foreign["The Brothers Karamazov"]
    assert neretva.oscars.country == "The Socialist Federal Republic of Yugoslavia"
    assert (neretva.status, neretva.score, neretva.imdb.notes) == ("matched", 1.0, "Yugoslavia")
    assert (karamazov.status, karamazov.score) == ("matched", 1.0)
    assert karamazov.imdb.notes == "Soviet Union"
    assert all(m.status == "matched" for m in result.matches)


@pytest.mark.parametrize(
    "printed,imdb_note,same",
    [
        ("Union of Soviet Socialist Republics", "Soviet Union", True),
        ("Federal Republic of Germany", "West Germany", True),
        ("The Socialist Federal Republic of Yugoslavia", "Yugoslavia", True),
        ("German Democratic Republic", "East Germany", True),
        ("Republic of Korea", "South Korea", True),
        ("Islamic Republic of Iran", "Iran", True),
        ("Côte d'Ivoire", "Ivory Coast", True),
        ("German Democratic Republic", "West Germany", False),
        ("Union of Soviet Socialist Republics", "Russia", False),
        ("Republic of China", "China", False),
        ("Czechoslovakia", "Czech Republic", False),
    ],
)
def test_country_names_and_their_historical_aliases(printed, imdb_note, same):
    assert same_country(printed, imdb_note) is same


# Every award name IMDb lists beside the competitive Oscars in the Academy's history.
IMDB_ONLY_AWARDS = [
    ("Honorary Award", "honorary"),
    ("Special Award", "honorary"),
    ("Juvenile Award", "honorary"),
    ("Special Achievement Award", "honorary"),
    ("Special Achievement Award (Visual Effects)", "honorary"),
    ("Honorary Foreign Language Film Award", "honorary"),
    ("Special Foreign Language Film Award", "honorary"),
    ("Governors Award", "honorary"),
    ("Irving G. Thalberg Memorial Award", "thalberg"),
    ("Jean Hersholt Humanitarian Award", "humanitarian"),
    ("Scientific and Engineering Award", "scientific_technical"),
    ("Technical Achievement Award", "scientific_technical"),
    ("Scientific or Technical Award", "scientific_technical"),
    ("Scientific or Technical Award (Class I)", "scientific_technical"),
    ("Scientific or Technical Award (Class II)", "scientific_technical"),
    ("Scientific or Technical Award (Class III)", "scientific_technical"),
    ("Academy Award of Merit", "scientific_technical"),
    ("Academy Award of Merit (Scientific or Technical)", "scientific_technical"),
    ("Award of Merit", "scientific_technical"),
    ("Award of Commendation", "scientific_technical"),
    ("Gordon E. Sawyer Award", "scientific_technical"),
    ("John A. Bonner Medal of Commendation", "scientific_technical"),
    ("Medal of Commendation", "scientific_technical"),
]


def test_every_imdb_only_award_name_is_classified_right():
    for name, category_type in IMDB_ONLY_AWARDS:
        # As the store sees it (the name alone) and as IMDb gives it (award text and
        # category both the award's name, parse_edition filling in the missing category).
        for info in (classify(name), classify(name, award=name)):
            assert (info.category_type, info.is_competitive) == (category_type, False), name
    # An IMDb-only award whose name we do not know is still not competitive.
    assert not classify("Plaque", award="Plaque").is_competitive


def test_award_of_merit_does_not_swallow_competitive_categories():
    for name, canonical in [
        ("Best Picture", "Best Picture"),
        ("Best Effects, Special Effects", "Visual Effects"),
        ("Best Sound, Recording", "Sound"),
        ("Best Writing, Title Writing", "Writing (Title Writing)"),
        ("Best Short Subject, Cartoons", "Animated Short Film"),
        ("Best Foreign Language Film", "International Feature Film"),
    ]:
        for award in ("Oscar", "Academy Award of Merit", None):
            info = classify(name, award=award)
            assert (info.is_competitive, info.canonical_name) == (True, canonical), name
    # Under IMDb's "Oscar" the Award of Merit is the statuette: competitive.
    assert classify("Academy Award of Merit", award="Oscar").is_competitive

    # As parse_edition reads them: the Oscar with its category, the others without one.
    def nominated(award: str, award_id: str, category: dict | None, entities: dict) -> dict:
        nomination = {"node": {"isWinner": True, "notes": None, "awardedEntities": entities}}
        node = {"category": category, "nominations": {"edges": [nomination]}}
        return {"text": award, "id": award_id, "nominationCategories": {"edges": [{"node": node}]}}

    title = {"title": {"id": "tt0040416", "titleText": {"text": "Hamlet"}}}
    person = {"name": {"id": "nm0000059", "nameText": {"text": "Laurence Olivier"}}}
    awards = [
        nominated("Oscar", "aw0000016", {"text": "Best Picture"}, {"awardTitles": [title]}),
        nominated("Academy Award of Merit", "aw0000017", None, {"awardNames": [person]}),
        nominated("Award of Commendation", "aw0000022", None, {"awardNames": [person]}),
    ]
    edition = parse_edition({"props": {"pageProps": {"edition": {"awards": awards}}}}, url="u")
    assert [
        (n.award, n.category, classify(n.category, award=n.award).category_type)
        for n in edition.nominations
    ] == [
        ("Oscar", "Best Picture", "competitive"),
        ("Academy Award of Merit", "Academy Award of Merit", "scientific_technical"),
        ("Award of Commendation", "Award of Commendation", "scientific_technical"),
    ]


@pytest.mark.parametrize("year", [1957, 1970])
def test_kind4_imdb_only_awards_are_left_to_imdb_and_not_competitive(year):
    _, _, result = _kinds(year)
    assert result.imdb_only and all(not i.is_oscar for i in result.imdb_only)
    for i in result.imdb_only:
        assert not classify(i.category, award=i.award).is_competitive, i.award
        assert not classify(i.category).is_competitive, i.category
    assert all(m.status == "matched" for m in result.matches)


def test_kind5_an_honorary_award_to_a_film_matches_imdbs_award_with_the_film():
    """1952: oscars.org names Rashomon in the honoree slot of Honorary Award; IMDb lists
    the Honorary Award with the film as its title and no person."""
    oscars, imdb, result = _kinds(1952)
    honorary = {
        m.oscars.statement: m for m in result.matches if m.oscars.category == "Honorary Award"
    }
    rashomon = honorary["Rashomon"]
    assert rashomon.oscars.films == () and rashomon.oscars.entities == ("Rashomon",)
    assert (rashomon.status, rashomon.score, rashomon.note) == ("matched", 1.0, None)
    assert _identity(rashomon.imdb) == (("tt0042876",), ())
    assert rashomon.imdb.award == "Honorary Award" and not rashomon.imdb.is_oscar
    # An honorary award to a person is matched on the name, with no film.
    assert _identity(honorary["Gene Kelly"].imdb) == ((), ("nm0000037",))
    # Both Honorary Award nominations are the page's: only the Thalberg award is IMDb's own
    # (the film is not stored a second time as an IMDb-only award).
    assert [i.award for i in result.imdb_only] == ["Irving G. Thalberg Memorial Award"]
    assert all(m.status == "matched" for m in result.matches)
    # Without IMDb's nomination of the film, nothing else is taken for it.
    without = [i for i in imdb if not i.titles or i.titles[0].id != "tt0042876"]
    lost = match_ceremony(oscars.nominations, without, awarded=True).matches
    (rashomon,) = [m for m in lost if m.oscars.statement == "Rashomon"]
    assert (rashomon.status, rashomon.imdb) == ("unmatched", None)


def test_kind5_a_competitive_nomination_without_a_film_is_not_read_as_a_title():
    """Only outside the competition is the honoree slot a film: a studio department of
    Sound Recording is never compared with a title IMDb gives."""
    sound = _oscars("Sound Recording", [""], "Flowers and Trees")
    sound = dataclasses.replace(sound, films=(), film_slot="", people=("Flowers and Trees",))
    imdb = [_imdb("Best Sound, Recording", [("tt0022899", "Flowers and Trees")], [])]
    (match,) = match_ceremony([sound], imdb, awarded=False).matches
    assert match.score == 0.0 and match.note is None


def test_kind6_titles_and_names_with_diacritics_on_one_side_match():
    """2020: oscars.org prints "Les Misérables" and "Hildur Guðnadóttir", IMDb (our
    stand-in) "Les Miserables" and "Hildur Gudnadottir"; 1957 the other way round."""
    _, _, result = _kinds(2020)
    assert all(m.status == "matched" and m.note is None for m in result.matches)
    feature = _by_film(result, "International Feature Film")["Les Misérables"]
    assert (feature.score, _identity(feature.imdb)) == (1.0, (("tt10199590",), ()))
    joker = _by_film(result, "Music (Original Score)")["Joker"]
    assert (joker.score, _identity(joker.imdb)) == (1.0, (("tt7286456",), ("nm1453347",)))
    assert not result.imdb_only and not result.imdb_unassigned


@pytest.mark.parametrize(
    "with_marks,without",
    [
        ("Les Misérables", "Les Miserables"),
        ("Der Hauptmann von Köpenick", "Der Hauptmann von Kopenick"),
        ("Hildur Guðnadóttir", "Hildur Gudnadottir"),
        ("Friðrik Þór Friðriksson", "Fridrik Thor Fridriksson"),
        ("Un cœur en hiver", "Un coeur en hiver"),
        ("Mùi đu đủ xanh", "Mui du du xanh"),
        ("Kış Uykusu", "Kis Uykusu"),
        ("Sławomir Idziak", "Slawomir Idziak"),
        ("Sigrid Dyekjær", "Sigrid Dyekjaer"),
    ],
)
def test_folding_spells_out_letters_without_a_decomposition(with_marks, without):
    assert fold(with_marks) == fold(without) == fold(without.upper())


# -- curated overrides ---------------------------------------------------------------


def test_overrides_are_applied_before_fuzzy_matching():
    pins = overrides_for(1949, KINDS / "overrides.csv")
    _, _, result = _kinds(1949, overrides=pins)
    shoes = _by_film(result, "Best Picture")["The Red Shoes"]
    assert shoes.status == "matched" and shoes.note is None and shoes.score == 1.0
    assert _identity(shoes.imdb) == (("tt0040725",), ("nm0003836", "nm0696247"))
    assert shoes.imdb.index >= 0  # the page's own IMDb nomination
    assert shoes.override == (
        f"{KINDS / 'overrides.csv'} line 3: "
        "Rank-Archers is the Archers: Michael Powell and Emeric Pressburger"
    )
    assert [(u.override.nominee, u.reason) for u in result.unused_overrides] == [
        (
            "Warner Bros.",
            "2 nominations of 'Best Picture' read 'Warner Bros.': give the film slot and the "
            "entities slot",
        )
    ]
    # Everything else is matched as without overrides; the IMDb nomination is used once.
    assert all(m.status == "matched" for m in result.matches) and not result.imdb_unassigned


def test_an_override_with_no_film_gives_the_status_no_film():
    pins = overrides_for(1933, KINDS / "overrides.csv")
    _, _, result = _kinds(1933, overrides=pins)
    (disney,) = [m for m in result.matches if m.oscars.statement == "Walt Disney Studios"]
    assert (disney.status, disney.imdb) == ("no_film", None)
    assert "nominated for no single film" in disney.override
    # The title IMDb gave Disney's nomination is no longer taken by elimination.
    assert [i.titles[0].id for i in result.imdb_unassigned] == ["tt0022899"]


def test_an_override_for_a_nomination_not_on_the_page_is_reported_unused():
    pins = overrides_for(1957, KINDS / "overrides.csv")
    _, _, result = _kinds(1957, overrides=pins)
    unused = {u.override.nominee: u.reason for u in result.unused_overrides}
    assert unused == {
        "The Captain from Köpenick": (
            "no nomination 'The Captain from Köpenick' in 'Foreign Language Film' on the "
            "oscars.org page"
        )
    }
    brave = _by_film(result, "Writing (Motion Picture Story)")["The Brave One"]
    assert "pseudonym of the blacklisted Dalton Trumbo" in brave.override
    assert brave.note is None and brave.status == "matched"
    # The nomination the pin could not find still matches the usual way.
    assert _by_film(result, "Foreign Language Film")["The Captain of Kopenick"].override is None


def test_overrides_take_precedence_over_fuzzy_matches():
    pins = parse_overrides(
        "ceremony_year,category,nominee,imdb_title_ids,imdb_name_ids,no_film,note\n"
        # pinned to another IMDb nomination of the page, which is then not available
        "1957,Writing (Motion Picture Story),Umberto D.,tt0046160,nm0765691,false,test pin\n"
        # pinned to ids the page does not carry: an IMDb nomination made of them
        "1957,Writing (Motion Picture Story),High Society,tt0049314,"
        "nm0076368|nm0880511,false,test: the 1956 musical\n",
        name="pins.csv",
    )
    _, _, result = _kinds(1957, overrides=pins)
    story = _by_film(result, "Writing (Motion Picture Story)")
    assert _identity(story["Umberto D."].imdb) == (("tt0046160",), ("nm0765691",))
    assert story["Umberto D."].override == "pins.csv line 2: test pin"
    assert story["The Proud and the Beautiful"].status == "unmatched"  # its IMDb one is taken
    society = story["High Society"]
    assert society.status == "matched" and society.override.startswith("pins.csv line 3")
    assert society.imdb.index == -1 and society.note.startswith("the IMDb page has no nomination")
    assert [(t.id, t.title) for t in society.imdb.titles] == [("tt0049314", "High Society")]
    assert [(p.id, p.name) for p in society.imdb.people] == [
        ("nm0076368", "Edward Bernds"),
        ("nm0880511", "Elwood Ullman"),
    ]
    assert sorted(i.titles[0].id for i in result.imdb_unassigned) == ["tt0045274", "tt0048169"]


HEADER = "ceremony_year,category,nominee,imdb_title_ids,imdb_name_ids,no_film,note\n"


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "# pins\nceremony_year,category,nominee,imdb_ids,imdb_name_ids,no_film,note\n",
            "line 2: unknown column 'imdb_ids'",
        ),
        (HEADER + "1949,Best Picture,Hamlet,tt40416,,false,short id\n", "line 2: 'tt40416'"),
        (HEADER + "1949,Best Picture,Hamlet,,tt0040416,false,swapped\n", "line 2: 'tt0040416'"),
        (HEADER + "# a comment\n1949,Best Picture,Hamlet,,,false,why\n", "line 3: the row pins"),
        (HEADER + "1949,Best Picture,Hamlet,tt0040416,,maybe,why\n", "line 2: no_film 'maybe'"),
        (HEADER + "1949,Best Picture,Hamlet,tt0040416,,true,why\n", "line 2: no_film is true"),
        (HEADER + "1949,Best Picture,Hamlet,tt0040416,,false\n", "line 2: 6 fields"),
        (HEADER + "1949,Best Picture,Hamlet,tt0040416,,false,\n", "line 2: note is empty"),
        (HEADER + "49,Best Picture,Hamlet,tt0040416,,false,why\n", "line 2: ceremony_year '49'"),
        (
            HEADER
            + "1949,Best Picture,Hamlet,tt0040416,,false,why\n"
            + "1949,best picture,HAMLET,tt0040416,,false,again\n",
            "line 3: pins the same nomination as",
        ),
        ("# nothing but comments\n", "no header line"),
    ],
)
def test_a_malformed_overrides_file_is_rejected_naming_the_line(tmp_path, text, message):
    path = tmp_path / "overrides.csv"
    path.write_text(text)
    with pytest.raises(OverridesError) as err:
        load_overrides(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_the_shipped_overrides_file_is_valid():
    pins = load_overrides()
    assert all(p.source.startswith("overrides.csv line ") for p in pins)
    assert overrides_for(2024) == tuple(p for p in pins if p.ceremony_year == 2024)
