"""Odd and malformed upstream answers, built by mutating the project's own recorded data.

Every variant is one of two kinds (the parsers' rule, see their module docstrings):
- rejected: it cannot be the page or answer asked for. It must fail with the module's
  own clear error (CeremonyPageError, ImdbPageError, or an UpstreamError raised by the
  TMDb / OMDb client's parse step) whose message names the URL and says what was wrong:
  never a bare Python exception, never a partial write;
- accepted with a warning: odd content a real page can plausibly hold. It must parse,
  report the warning (kind and where), and parse the rest of the page.
The HTML pages go through the parsers exactly as `fetch_html` hands them over (decoded
as UTF-8, undecodable bytes replaced); the JSON answers go through the real clients
against the fixture server. A subset of each kind is then materialized through the
real assets against a real database: a rejected one must leave it as it was, an
accepted one must store the year with its warning.
"""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dagster import DagsterInstance, RunConfig, materialize
from sqlalchemy.engine import make_url

from cinegraph_assets.ceremonies.assets import PageConfig
from cinegraph_assets.ceremonies.imdb_client import ACADEMY_AWARDS_EVENT
from cinegraph_assets.ceremonies.imdb_parser import ImdbPageError, parse_event_page
from cinegraph_assets.ceremonies.odd_content import imdb_warnings, oscars_warnings, stored_warnings
from cinegraph_assets.ceremonies.oscars_parser import CeremonyPageError, parse_ceremony_page
from cinegraph_assets.ceremonies.partitions import imdb_edition
from cinegraph_assets.ceremonies.store import ceremony_row
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.db.engine import dispose_engine
from cinegraph_assets.http import (
    PermanentUpstreamError,
    TransientUpstreamError,
    UpstreamError,
    join_url,
)
from cinegraph_assets.movies.omdb_client import OmdbClient
from cinegraph_assets.tmdb.client import APPEND, TmdbClient
from cinegraph_assets_tests.conftest import fresh_pg_database
from cinegraph_assets_tests.helpers import (
    FAST,
    dump,
    materialize_movies,
    materialize_year,
    movie_assets,
    resources,
    scalar,
    year_assets,
)
from cinegraph_dev.sample_upstream import SampleUpstream, scripted
from cinegraph_dev.sample_upstream.server import DATA, TMDB_NOT_FOUND

YEAR, OPPENHEIMER, TMDB_ID = 2024, "tt15398776", 872585
KEYS = {"tmdb_key": "test-tmdb-key", "omdb_key": "test-omdb-key"}
OSCARS = (DATA / "oscars.org/oscars/ceremonies/2024.html").read_text(encoding="utf-8")
IMDB = (DATA / "imdb.com/event/ev0000003/2024/1.html").read_text(encoding="utf-8")
FIND = json.loads((DATA / f"tmdb/3/find/{OPPENHEIMER}.json").read_text())
MOVIE = json.loads((DATA / f"tmdb/3/movie/{TMDB_ID}.json").read_text())
OMDB = json.loads((DATA / f"omdb/{OPPENHEIMER}.json").read_text())
BIG = 50_000_000
# The HTTP layer's size cap or the client's own, whichever is lower, refuses it.
TOO_BIG = r"more than the [\d,]+ an? .* can be|larger than the \d+ KiB"
INJECTIONS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<b>bold</b>")


@dataclass(frozen=True)
class Variant:
    name: str
    build: Callable[[], bytes]  # lazily: some bodies are 50 MB
    needle: str  # regex: what the message must say was wrong
    error: type[Exception] = PermanentUpstreamError  # for the JSON answers


@dataclass(frozen=True)
class Accepted:
    """Odd but plausible content: parsed, reported, the rest of the page read."""

    name: str
    build: Callable[[], bytes]
    kinds: tuple[str, ...]  # the warnings reported (WarningKind values)
    where: str  # regex the first warning's `where` must match
    nominations: int  # what the rest of the page parses to (the recorded page: 120 / 130)


def _bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def _cut(text: str, fraction: float) -> bytes:
    return _bytes(text)[: int(len(_bytes(text)) * fraction)]


def _garbage(size: int = 200_000) -> bytes:
    return random.Random(size).randbytes(size)


def _sub(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, f"mutation target {old!r} not in the recorded data"
    return text.replace(old, new, count)


def _set(data: Any, path: str, value: Any = ..., *, delete: bool = False, add: bool = False) -> Any:
    """A deep copy of data with the value at a dotted path (list indexes as numbers);
    add: the key may be new (IMDb sends it on some pages, the recorded one lacks it)."""
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key = int(last) if isinstance(node, list) else last
    assert delete or add or isinstance(node, list) or last in node, f"{path} not recorded"
    if delete:
        del node[key]
    else:
        node[key] = value
    return data


def _get(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data


def _nested(depth: int, inner: Any = 1) -> Any:
    for _ in range(depth):
        inner = [inner]
    return inner


def _deep_json(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth


# -- oscars.org ceremony page --------------------------------------------------------

_NAME_ITEM = '<div class="field__item">Cillian Murphy</div>'
_FILM_ITEM = 'field__item">Oppenheimer</div>'
_CATEGORY_NAME = ">Actor in a Leading Role</div>"
_HONOREE = (
    '<div class="paragraph paragraph--type--award-honoree">'
    '<div class="field--name-field-award-film">Film</div></div>'
)
_FIRST_CATEGORY = re.compile(
    r'<div class="field__item">  <div data-term-id="1731".*?(?=<div class="field__item">  '
    r'<div data-term-id="1736")',
    re.S,
)


def _oscars(old: str, new: str, count: int = 1) -> Callable[[], bytes]:
    return lambda: _bytes(_sub(OSCARS, old, new, count))


def _oscars_first_category(edit: Callable[[str], str]) -> Callable[[], bytes]:
    def build() -> bytes:
        m = _FIRST_CATEGORY.search(OSCARS)
        assert m, "first category block not found"
        return _bytes(OSCARS[: m.start()] + edit(m.group(0)) + OSCARS[m.start() :])

    return build


def _oscars_wrong_year() -> bytes:
    return _bytes(
        OSCARS.replace("The 96th Academy Awards", "The 95th Academy Awards").replace(
            "| 2024", "| 2023"
        )
    )


def _strip_first_category_honorees(block: str) -> str:
    # Replaces the block in front (the original stays): a category named twice would
    # be caught too, so rename it.
    block = _sub(block, "Actor in a Leading Role", "Actor in a Leading Role (empty)")
    return block.replace("paragraph--type--award-honoree", "paragraph--type--removed")


OSCARS_VARIANTS = [
    Variant("truncated_1pct", lambda: _cut(OSCARS, 0.01), r"no award categories.*no text at all"),
    Variant("truncated_25pct", lambda: _cut(OSCARS, 0.25), r"truncated"),
    Variant("truncated_50pct", lambda: _cut(OSCARS, 0.50), r"truncated"),
    Variant("truncated_75pct", lambda: _cut(OSCARS, 0.75), r"truncated"),
    Variant("truncated_99pct", lambda: _cut(OSCARS, 0.99), r"truncated"),
    Variant(
        "truncated_in_a_name", lambda: _bytes(OSCARS[: OSCARS.index("Cillian") + 4]), r"truncated"
    ),
    Variant(
        "deeply_nested_in_honoree",
        _oscars(_NAME_ITEM, "<div>" * 100_000 + "x" + "</div>" * 100_000 + _NAME_ITEM),
        r"exceeds the parser's limits.*depth",
    ),
    Variant(
        "deeply_nested_at_top",
        _oscars("<body", "<body>" + "<div>" * 50_000 + "</div>" * 50_000 + "<i"),
        r"exceeds the parser's limits",
    ),
    Variant("huge_50MB", _oscars("</body>", "<p>" + "a" * BIG + "</p></body>"), r"more than"),
    Variant(
        "giant_text_node_15MB",
        _oscars("</body>", "<p>" + "a" * 15_000_000 + "</p></body>"),
        r"exceeds the parser's limits",
    ),
    Variant("wrong_year", _oscars_wrong_year, r"95th Academy Awards \| 2023, not ceremony 96"),
    Variant(
        "wrong_ceremony_number",
        lambda: _bytes(OSCARS.replace("The 96th Academy Awards", "The 97th Academy Awards")),
        r"97th.*not ceremony 96",
    ),
    Variant(
        "titles_disagree",
        _oscars(
            '<meta property="og:title" content="The 96th Academy Awards | 2024">',
            '<meta property="og:title" content="The 95th Academy Awards | 2023">',
        ),
        r"titles name different ceremonies",
    ),
    Variant(
        "absurd_ceremony_number",
        lambda: _bytes(
            OSCARS.replace("The 96th Academy Awards", f"The {'9' * 5000}th Academy Awards")
        ),
        r"no 'The Nth Academy Awards",
    ),
    Variant(
        "no_categories",
        lambda: _bytes(OSCARS.replace("paragraph--type--award-category", "paragraph--type--x")),
        r"no award categories",
    ),
    Variant(
        "categories_without_honorees",
        lambda: _bytes(OSCARS.replace("paragraph--type--award-honoree", "paragraph--type--x")),
        r"none of the 23 categories lists an honoree",
    ),
    Variant("category_without_name", _oscars(_CATEGORY_NAME, "></div>"), r"has no name"),
    Variant("category_twice", _oscars_first_category(lambda block: block), r"appears twice"),
    Variant(
        "too_many_honorees",
        _oscars_first_category(
            lambda block: _sub(
                block,
                _CATEGORY_NAME,
                "> Actor in a Leading Role (crowded)</div>" + _HONOREE * 120,
            )
        ),
        r"lists 125 honorees \(more than 100\)",
    ),
    Variant(
        "script_in_name",
        _oscars(
            _NAME_ITEM, '<div class="field__item">Cillian <script>alert(1)</script>Murphy</div>'
        ),
        r"<script> element",
    ),
    Variant(
        "bold_in_name",
        _oscars(_NAME_ITEM, '<div class="field__item"><b>Cillian</b> Murphy</div>'),
        r"<b> element",
    ),
    Variant(
        "img_onerror_in_film",
        _oscars(_FILM_ITEM, 'field__item">Oppenheimer"><img src=x onerror=alert(1)></div>'),
        r"<img> element",
    ),
    Variant(
        "escaped_markup_in_name",
        _oscars(_NAME_ITEM, '<div class="field__item">&lt;script&gt;alert(1)&lt;/script&gt;</div>'),
        r"contains HTML markup",
    ),
    Variant(
        "event_handler_attribute",
        _oscars(_NAME_ITEM, '<div class="field__item" onmouseover="alert(1)">Cillian Murphy</div>'),
        r"script in its .onmouseover. attribute",
    ),
    Variant(
        "javascript_link_in_name",
        _oscars(
            _NAME_ITEM, '<div class="field__item"><a href="javascript:alert(1)">Cillian</a></div>'
        ),
        r"script in its .href. attribute",
    ),
    Variant(
        "markup_in_category_name",
        _oscars(_CATEGORY_NAME, "><i>Actor</i> in a Leading Role</div>"),
        r"<i> element",
    ),
    Variant(
        "control_character_in_name",
        _oscars(_NAME_ITEM, '<div class="field__item">Cillian\x07Murphy</div>'),
        r"control characters",
    ),
    Variant("nul_in_name", _oscars("Cillian Murphy", "Cillian\x00Murphy"), r"NUL"),
    Variant(
        "giant_name",
        _oscars(_NAME_ITEM, f'<div class="field__item">{"Cillian " * 500}</div>'),
        r"characters long",
    ),
    Variant("binary_garbage", _garbage, r"not text in the declared encoding"),
    Variant("utf16_page", lambda: OSCARS.encode("utf-16"), r"not text in the declared encoding"),
    Variant("cp1252_page", lambda: OSCARS.encode("cp1252", errors="replace"), r"U\+FFFD"),
    Variant(
        "json_instead_of_html", lambda: json.dumps(MOVIE).encode(), r"not an oscars.org ceremony"
    ),
    Variant("empty_body", lambda: b"   \n", r"empty response body"),
]


def _blank_slots(block: str) -> str:
    return re.sub(
        r'(<div class="field__item">|field--name-field-award-film[^>]*>)[^<]+(</div>)',
        r"\1\2",
        block,
    )


def _blank_first_honoree(block: str) -> str:
    start = block.index("paragraph--type--award-honoree")
    end = block.index("paragraph--type--award-honoree", start + 1)
    renamed = _sub(block, "Actor in a Leading Role", "Actor in a Leading Role (one blank)")
    shift = len(renamed) - len(block)
    return renamed[:start] + _blank_slots(renamed[start : end + shift]) + renamed[end + shift :]


def _no_winner_for_editing() -> bytes:
    start = OSCARS.index(">Film Editing</div>")
    winner = OSCARS.index("field--name-field-honoree-type winner", start)
    fixed = OSCARS[:winner] + "field--name-field-honoree-type nominee"
    rest = OSCARS[winner + len("field--name-field-honoree-type winner") :]
    return _bytes(fixed + rest.replace(">Winner<", ">Nominees<", 1))


# The added first-category blocks come in front of the page's own (kept) categories.
OSCARS_ACCEPTED = [
    Accepted(
        "one_category_without_honorees",
        _oscars_first_category(_strip_first_category_honorees),
        ("empty_category",),
        r"^Actor in a Leading Role \(empty\)$",
        120,
    ),
    Accepted(
        "honorees_with_empty_slots",
        _oscars_first_category(
            lambda block: _blank_slots(
                _sub(block, "Actor in a Leading Role", "Actor in a Leading Role (blank)")
            )
        ),
        ("nomination_without_entities",) * 5 + ("empty_category",),
        r"^Actor in a Leading Role \(blank\) #1$",
        120,
    ),
    Accepted(
        "one_honoree_with_empty_slots",
        _oscars_first_category(_blank_first_honoree),
        # The blanked honoree was the winner: the category is left without one.
        ("nomination_without_entities", "winnerless_category"),
        r"^Actor in a Leading Role \(one blank\) #1$",
        124,
    ),
    Accepted(
        "awarded_category_without_winner",
        _no_winner_for_editing,
        ("winnerless_category",),
        r"^Film Editing$",
        120,
    ),
]

# -- IMDb event page -----------------------------------------------------------------

_NEXT = re.compile(r'(<script id="__NEXT_DATA__"[^>]*>)(.*?)(</script>)', re.S)
NEXT_DATA = json.loads(_NEXT.search(IMDB).group(2))
P = "props.pageProps"
AWARD = f"{P}.edition.awards.0"
CATEGORY = f"{AWARD}.nominationCategories.edges.0.node"
NOMINATION = f"{CATEGORY}.nominations.edges.0.node"
TITLE = f"{NOMINATION}.awardedEntities.awardTitles.0.title"
NAME = f"{NOMINATION}.awardedEntities.secondaryAwardNames.0.name"
START = f"{P}.editionInfo.dateRange.startDate.dateComponents"


def _imdb_raw(script: str) -> bytes:
    m = _NEXT.search(IMDB)
    return _bytes(IMDB[: m.start(2)] + script + IMDB[m.end(2) :])


def _imdb(
    path: str, value: Any = ..., *, delete: bool = False, add: bool = False
) -> Callable[[], bytes]:
    # Next.js escapes "<" in __NEXT_DATA__ so a string cannot close the script.
    def build() -> bytes:
        data = _set(NEXT_DATA, path, value, delete=delete, add=add)
        return _imdb_raw(json.dumps(data).replace("<", "\\u003c"))

    return build


def _imdb_every_category_empty() -> bytes:
    data = copy.deepcopy(NEXT_DATA)
    for award in _get(data, f"{P}.edition.awards"):
        for edge in award["nominationCategories"]["edges"]:
            edge["node"]["nominations"]["edges"] = []
    return _imdb_raw(json.dumps(data).replace("<", "\\u003c"))


def _imdb_event_only_in_context(event: str, keep_query: bool = False) -> Callable[[], bytes]:
    """The event named by requestContext.pageConst (the query without it, or kept)."""

    def build() -> bytes:
        data = _set(NEXT_DATA, f"{P}.requestContext", {"pageConst": event}, add=True)
        if not keep_query:
            data = _set(data, "query.evconst", delete=True)
        return _imdb_raw(json.dumps(data).replace("<", "\\u003c"))

    return build


def _imdb_entities_without_ids() -> bytes:
    """Every entity of the first nomination without its id: all are skipped."""
    data = copy.deepcopy(NEXT_DATA)
    entities = _get(data, f"{NOMINATION}.awardedEntities")
    for items in entities.values():
        for item in items if isinstance(items, list) else []:
            for kind in ("title", "name", "company"):
                if isinstance(item.get(kind), dict):
                    item[kind]["id"] = None
    return _imdb_raw(json.dumps(data).replace("<", "\\u003c"))


def _imdb_cut(fraction: float) -> Callable[[], bytes]:
    raw = _NEXT.search(IMDB).group(2)
    return lambda: _imdb_raw(raw[: int(len(raw) * fraction)])


IMDB_VARIANTS = [
    Variant("truncated_in_json_10pct", _imdb_cut(0.10), r"not valid JSON.*truncated"),
    Variant("truncated_in_json_50pct", _imdb_cut(0.50), r"not valid JSON"),
    Variant("truncated_in_json_99pct", _imdb_cut(0.99), r"not valid JSON"),
    Variant(
        "truncated_before_next_data",
        lambda: _bytes(IMDB[: IMDB.index("__NEXT_DATA__") - 20]),
        r"no <script id=\"__NEXT_DATA__\">",
    ),
    Variant(
        "truncated_after_next_data",
        lambda: _bytes(IMDB[: _NEXT.search(IMDB).end() + 10]),
        r"ends without </html>.*truncated",
    ),
    Variant("deeply_nested_json", lambda: _imdb_raw(_deep_json()), r"nested too deeply"),
    Variant(
        "deeply_nested_inside_props",
        lambda: _imdb_raw('{"props": ' + _deep_json() + "}"),
        r"nested too deeply",
    ),
    Variant(
        "deeply_nested_html",
        lambda: _bytes(
            _sub(IMDB, "<body", "<body>" + "<div>" * 100_000 + "</div>" * 100_000 + "<i")
        ),
        r"exceeds the parser's limits",
    ),
    Variant(
        "huge_50MB",
        lambda: _bytes(_sub(IMDB, "</body>", "<p>" + "a" * BIG + "</p></body>")),
        r"more than",
    ),
    Variant("month_13", _imdb(f"{START}.month", 13), r"dateComponents 2024-13-10 is not a date"),
    Variant("day_as_string", _imdb(f"{START}.day", "10"), r"dateComponents.day is a string"),
    Variant("absurd_year_in_date", _imdb(f"{START}.year", 10**30), r"is not a date"),
    Variant(
        "award_text_object",
        _imdb(f"{AWARD}.text", {"text": "Oscar"}),
        r"awards\[0\]\.text is an object",
    ),
    Variant(
        "category_text_number",
        _imdb(f"{CATEGORY}.category.text", 7),
        r"category\.text is an integer",
    ),
    Variant(
        "is_winner_string",
        _imdb(f"{NOMINATION}.isWinner", "false"),
        r"isWinner is a string.*not a boolean",
    ),
    Variant("title_id_malformed", _imdb(f"{TITLE}.id", "xx15398776"), r"not an IMDb tt id"),
    Variant("name_id_integer", _imdb(f"{NAME}.id", 634240), r"\.name\.id is an integer"),
    Variant(
        "awards_object",
        _imdb(f"{P}.edition.awards", {"0": {}}),
        r"no props\.pageProps\.edition\.awards list",
    ),
    Variant("awards_empty", _imdb(f"{P}.edition.awards", []), r"lists no nominations"),
    Variant(
        "every_category_without_nominations",
        _imdb_every_category_empty,
        r"lists no nominations \(edition\.awards is empty or every category in it is\)",
    ),
    Variant(
        "edges_string",
        _imdb(f"{AWARD}.nominationCategories.edges", "none"),
        r"edges is a string.*not an array",
    ),
    Variant(
        "nomination_node_string",
        _imdb(NOMINATION, "Oppenheimer"),
        r"node is a string.*not an object",
    ),
    Variant(
        "entities_list_of_strings",
        _imdb(f"{NOMINATION}.awardedEntities.awardTitles", ["Oppenheimer"]),
        r"awardTitles\[0\] is a string",
    ),
    Variant("wrong_year", _imdb(f"{P}.editionInfo.year", 2023), r"edition 2023/1.*expected 2024/1"),
    Variant(
        "another_event",
        _imdb("query.evconst", "ev0000147"),
        r"IMDb event ev0000147 .*expected ev0000003",
    ),
    Variant(
        "another_event_in_request_context",
        _imdb_event_only_in_context("ev0000292"),
        r"IMDb event ev0000292 .*expected ev0000003",
    ),
    Variant("event_id_malformed", _imdb("query.evconst", "oscars"), r"not an IMDb event id"),
    Variant("event_id_number", _imdb("query.evconst", 3), r"query\.evconst is an integer"),
    Variant(
        "two_events_named",
        _imdb_event_only_in_context("ev0000147", keep_query=True),
        r"names two IMDb events",
    ),
    Variant(
        "title_type_number",
        _imdb(f"{TITLE}.titleType.id", 1),
        r"titleType\.id is an integer",
    ),
    Variant(
        "nominations_total_string",
        _imdb(f"{CATEGORY}.nominations.total", "10", add=True),
        r"nominations\.total is a string",
    ),
    Variant(
        "nominations_total_negative",
        _imdb(f"{CATEGORY}.nominations.total", -1, add=True),
        r"nominations\.total -1 is not in 0\.\.",
    ),
    Variant(
        "wrong_instance",
        _imdb(f"{P}.editionInfo.instanceWithinYear", 2),
        r"edition 2024/2.*expected 2024/1",
    ),
    Variant(
        "year_missing",
        _imdb(f"{P}.editionInfo.year", delete=True),
        r"no edition year.*expected 2024/1",
    ),
    Variant(
        "year_as_string", _imdb(f"{P}.editionInfo.year", "2024"), r"editionInfo\.year is a string"
    ),
    Variant("edition_id_malformed", _imdb(f"{P}.editionInfo.id", "ee-1"), r"not an IMDb ee id"),
    Variant(
        "script_in_name", _imdb(f"{NAME}.nameText.text", INJECTIONS[0]), r"contains HTML markup"
    ),
    Variant(
        "img_onerror_in_title",
        _imdb(f"{TITLE}.titleText.text", "Oppenheimer" + INJECTIONS[1]),
        r"contains HTML markup",
    ),
    Variant(
        "bold_in_category",
        _imdb(f"{CATEGORY}.category.text", INJECTIONS[2]),
        r"contains HTML markup",
    ),
    Variant("nul_in_name", _imdb(f"{NAME}.nameText.text", "Emma\x00Thomas"), r"control characters"),
    Variant(
        "replacement_char_in_name", _imdb(f"{NAME}.nameText.text", "Emma Th\ufffdmas"), r"U\+FFFD"
    ),
    Variant(
        "too_many_nominations",
        _imdb(
            f"{CATEGORY}.nominations.edges", _get(NEXT_DATA, f"{CATEGORY}.nominations.edges") * 250
        ),
        r"more than 2,000 nominations",
    ),
    Variant("next_data_array", lambda: _imdb_raw("[1, 2, 3]"), r"not a JSON object"),
    Variant("page_props_null", _imdb(P, None), r"no props\.pageProps\.edition\.awards list"),
    Variant(
        "number_of_5000_digits",
        lambda: _imdb_raw('{"props": ' + "9" * 5000 + "}"),
        r"not valid JSON",
    ),
    Variant(
        "no_next_data",
        lambda: _bytes(IMDB.replace("__NEXT_DATA__", "__OTHER__")),
        r"no <script id=\"__NEXT_DATA__\">",
    ),
    Variant("binary_garbage", _garbage, r"not text in the declared encoding"),
    Variant("utf16_page", lambda: IMDB.encode("utf-16"), r"not text in the declared encoding"),
]

BEST_PICTURE = "^Oscar / Best Motion Picture of the Year"
NO_ENTITIES = {"awardTitles": None, "secondaryAwardNames": None, "secondaryAwardCompanies": None}
IMDB_ACCEPTED = [
    Accepted(
        "category_without_nominations",
        _imdb(f"{CATEGORY}.nominations.edges", []),
        ("empty_category",),
        BEST_PICTURE + "$",
        120,
    ),
    Accepted(
        "nominations_null",
        _imdb(f"{CATEGORY}.nominations", None),
        ("empty_category",),
        BEST_PICTURE + "$",
        120,
    ),
    Accepted(
        "nomination_without_entities",
        _imdb(f"{NOMINATION}.awardedEntities", None),
        ("nomination_without_entities",),
        BEST_PICTURE + " #1$",
        130,
    ),
    Accepted(
        "nomination_entities_all_null",
        _imdb(f"{NOMINATION}.awardedEntities", NO_ENTITIES),
        ("nomination_without_entities",),
        BEST_PICTURE + " #1$",
        130,
    ),
    Accepted(
        "entities_without_ids",
        _imdb_entities_without_ids,
        ("nomination_without_entities",),
        BEST_PICTURE + " #1$",
        130,
    ),
    Accepted(
        "nominations_total_disagrees",
        _imdb(f"{CATEGORY}.nominations.total", 12, add=True),
        ("nomination_total_mismatch",),
        BEST_PICTURE + "$",
        130,
    ),
    Accepted(
        "categories_total_disagrees",
        _imdb(f"{AWARD}.nominationCategories.total", 30, add=True),
        ("nomination_total_mismatch",),
        "^Oscar$",
        130,
    ),
    Accepted(
        "next_page",
        _imdb(f"{CATEGORY}.nominations.pageInfo.hasNextPage", True),
        ("paginated_category",),
        BEST_PICTURE + "$",
        130,
    ),
    Accepted(
        "unknown_award",
        _imdb(f"{P}.edition.awards.1.text", "Plaque of Appreciation"),
        ("unknown_award",),
        "^Plaque of Appreciation$",
        130,
    ),
]


# -- TMDb find, TMDb movie details, OMDb --------------------------------------------


def _json(value: Any) -> Callable[[], bytes]:
    return lambda: json.dumps(value).encode()


def _json_cut(value: Any, fraction: float) -> Callable[[], bytes]:
    return lambda: _cut(json.dumps(value), fraction)


def _common_json(value: dict) -> list[Variant]:
    """Variants every JSON answer gets."""
    invalid = r"invalid or truncated JSON"
    return [
        Variant("truncated_10pct", _json_cut(value, 0.10), invalid, TransientUpstreamError),
        Variant("truncated_50pct", _json_cut(value, 0.50), invalid, TransientUpstreamError),
        Variant("truncated_99pct", _json_cut(value, 0.99), invalid, TransientUpstreamError),
        Variant("empty_body", lambda: b"", invalid, TransientUpstreamError),
        Variant("binary_garbage", _garbage, invalid, TransientUpstreamError),
        Variant("html_instead_of_json", lambda: _bytes(IMDB), invalid, TransientUpstreamError),
        Variant("deeply_nested_100k", lambda: _deep_json().encode(), r"nested too deeply"),
        Variant(
            "deeply_nested_in_unread_key",
            _json({**value, "extra": _nested(60)}),
            r"extra(\[0\])+ is nested more than 32 levels deep",
        ),
        Variant("json_array", _json([value]), r"non-object JSON body.*list"),
        Variant("json_null", lambda: b"null", r"non-object JSON body.*NoneType"),
        Variant("json_number", lambda: b"42", r"non-object JSON body.*int"),
        Variant("huge_50MB", _json({**value, "padding": "a" * BIG}), TOO_BIG),
        Variant("nul_in_unread_key", _json({**value, "extra": "a\x00b"}), r"extra contains a NUL"),
        Variant(
            "lone_surrogate",
            lambda: json.dumps({**value, "extra": "a"}).replace('"a"', '"\\ud800"').encode(),
            r"lone surrogate",
        ),
    ]


RESULT = "movie_results.0"
FIND_VARIANTS = _common_json(FIND) + [
    Variant(
        "movie_results_object",
        _json({**FIND, "movie_results": FIND["movie_results"][0]}),
        r"movie_results is an object",
    ),
    Variant("movie_results_missing", _json({"person_results": []}), r"movie_results is null"),
    Variant(
        "movie_results_string",
        _json({**FIND, "movie_results": "872585"}),
        r"movie_results is a string",
    ),
    Variant(
        "result_string", _json(_set(FIND, RESULT, "Oppenheimer")), r"movie_results\[0\] is a string"
    ),
    Variant("result_null", _json(_set(FIND, RESULT, None)), r"movie_results\[0\] is null"),
    Variant(
        "id_string",
        _json(_set(FIND, f"{RESULT}.id", "872585")),
        r"movie_results\[0\]\.id is a string",
    ),
    Variant("id_bool", _json(_set(FIND, f"{RESULT}.id", True)), r"\.id is a boolean"),
    Variant("id_float", _json(_set(FIND, f"{RESULT}.id", 872585.5)), r"\.id is a number"),
    Variant("id_negative", _json(_set(FIND, f"{RESULT}.id", -1)), r"-1 is not a TMDb id"),
    Variant("id_missing", _json(_set(FIND, f"{RESULT}.id", delete=True)), r"\.id is missing"),
]

CAST, CREW = "credits.cast.0", "credits.crew.0"
MOVIE_VARIANTS = _common_json(MOVIE) + [
    Variant(
        "credits_list", _json({**MOVIE, "credits": [MOVIE["credits"]]}), r"credits is an array"
    ),
    Variant("credits_missing", _json(_set(MOVIE, "credits", delete=True)), r"credits is null"),
    Variant(
        "cast_object", _json(_set(MOVIE, "credits.cast", {"0": {}})), r"credits\.cast is an object"
    ),
    Variant(
        "cast_member_string",
        _json(_set(MOVIE, CAST, "Cillian Murphy")),
        r"credits\.cast\[0\] is a string",
    ),
    Variant(
        "cast_id_string", _json(_set(MOVIE, f"{CAST}.id", "2037")), r"cast\[0\]\.id is a string"
    ),
    Variant("cast_id_bool", _json(_set(MOVIE, f"{CAST}.id", False)), r"cast\[0\]\.id is a boolean"),
    Variant(
        "cast_order_string",
        _json(_set(MOVIE, f"{CAST}.order", "0")),
        r"cast\[0\]\.order is a string",
    ),
    Variant(
        "cast_order_negative",
        _json(_set(MOVIE, f"{CAST}.order", -3)),
        r"order is an integer \(-3\), not a non-negative",
    ),
    Variant(
        "credit_id_missing",
        _json(_set(MOVIE, f"{CAST}.credit_id", delete=True)),
        r"credit_id is missing",
    ),
    Variant(
        "crew_job_object",
        _json(_set(MOVIE, f"{CREW}.job", {"name": "Director"})),
        r"crew\[0\]\.job is an object",
    ),
    Variant("gender_string", _json(_set(MOVIE, f"{CAST}.gender", "male")), r"gender is a string"),
    Variant(
        "release_date_garbage",
        _json({**MOVIE, "release_date": "next summer"}),
        r"release_date 'next summer' is not a YYYY-MM-DD",
    ),
    Variant(
        "release_date_impossible",
        _json({**MOVIE, "release_date": "2023-13-45"}),
        r"not a YYYY-MM-DD date",
    ),
    Variant(
        "release_date_number",
        _json({**MOVIE, "release_date": 20230719}),
        r"release_date is an integer",
    ),
    Variant(
        "id_of_another_movie",
        _json({**MOVIE, "id": 346698}),
        r"id 346698 is not the TMDb id asked for",
    ),
    Variant("id_string", _json({**MOVIE, "id": "872585"}), r"^.*: id is a string"),
    Variant(
        "title_object", _json({**MOVIE, "title": {"en": "Oppenheimer"}}), r"title is an object"
    ),
    Variant(
        "script_in_title",
        _json({**MOVIE, "title": INJECTIONS[0]}),
        r"title .* contains HTML markup",
    ),
    Variant(
        "img_onerror_in_cast_name",
        _json(_set(MOVIE, f"{CAST}.name", "Cillian" + INJECTIONS[1])),
        r"cast\[0\]\.name .* contains HTML markup",
    ),
    Variant(
        "bold_in_crew_name",
        _json(_set(MOVIE, f"{CREW}.name", INJECTIONS[2])),
        r"crew\[0\]\.name .* contains HTML markup",
    ),
    Variant(
        "replacement_char_in_name",
        _json(_set(MOVIE, f"{CAST}.name", "Cilli\ufffdn Murphy")),
        r"U\+FFFD",
    ),
    Variant("runtime_string", _json({**MOVIE, "runtime": "181 min"}), r"runtime is a string"),
    Variant("budget_negative", _json({**MOVIE, "budget": -1}), r"budget is an integer \(-1\)"),
    Variant(
        "vote_average_object", _json({**MOVIE, "vote_average": {}}), r"vote_average is an object"
    ),
    Variant(
        "imdb_id_not_tt",
        _json({**MOVIE, "imdb_id": "nm0634240"}),
        r"imdb_id 'nm0634240' is not an IMDb title id",
    ),
    Variant("external_ids_list", _json({**MOVIE, "external_ids": []}), r"external_ids is an array"),
    Variant(
        "nul_in_overview", _json({**MOVIE, "overview": "The story\x00"}), r"overview contains a NUL"
    ),
]

OMDB_VARIANTS = _common_json(OMDB) + [
    Variant(
        "response_missing",
        _json({k: v for k, v in OMDB.items() if k != "Response"}),
        r"Response is 'None', neither",
    ),
    Variant("response_maybe", _json({**OMDB, "Response": "Maybe"}), r"Response is 'Maybe'"),
    Variant(
        "ratings_object",
        _json({**OMDB, "Ratings": OMDB["Ratings"][0]}),
        r"Ratings is an object, not an array",
    ),
    Variant(
        "ratings_entry_string", _json({**OMDB, "Ratings": ["8.3/10"]}), r"Ratings\[0\] is a string"
    ),
    Variant(
        "rating_value_number",
        _json(_set(OMDB, "Ratings.0.Value", 8.3)),
        r"Ratings\[0\]\.Value is a number",
    ),
    Variant(
        "tomatometer_over_100",
        _json(_set(OMDB, "Ratings.1.Value", "185%")),
        r"Rotten Tomatoes.*outside 0\.\.100",
    ),
    Variant("awards_object", _json({**OMDB, "Awards": {"wins": 7}}), r"Awards is an object"),
    Variant(
        "imdb_id_not_tt",
        _json({**OMDB, "imdbID": "nm0634240"}),
        r"imdbID 'nm0634240' is not an IMDb title id",
    ),
    Variant(
        "imdb_id_missing",
        _json({k: v for k, v in OMDB.items() if k != "imdbID"}),
        r"imdbID None is not an IMDb title id",
    ),
    Variant(
        "imdb_id_of_another_film",
        _json({**OMDB, "imdbID": "tt1517268"}),
        r"tt1517268 is not the film asked for",
    ),
    Variant(
        "imdb_rating_words",
        _json({**OMDB, "imdbRating": "eleven"}),
        r"imdbRating 'eleven' is not a number",
    ),
    Variant(
        "imdb_rating_out_of_scale",
        _json({**OMDB, "imdbRating": "11.5"}),
        r"imdbRating '11.5' is outside 0\.\.10",
    ),
    Variant(
        "imdb_votes_nan", _json({**OMDB, "imdbVotes": "nan"}), r"imdbVotes 'nan' is not a number"
    ),
    Variant("imdb_rating_number", _json({**OMDB, "imdbRating": 8.3}), r"imdbRating is a number"),
    Variant("metascore_negative", _json({**OMDB, "Metascore": "-5"}), r"Metascore '-5' is outside"),
    Variant("imdb_votes_list", _json({**OMDB, "imdbVotes": ["1"]}), r"imdbVotes is an array"),
    Variant("rated_object", _json({**OMDB, "Rated": {"US": "R"}}), r"Rated is an object"),
    Variant(
        "script_in_title", _json({**OMDB, "Title": INJECTIONS[0]}), r"Title .* contains HTML markup"
    ),
    Variant(
        "img_onerror_in_title",
        _json({**OMDB, "Title": "Oppenheimer" + INJECTIONS[1]}),
        r"contains HTML markup",
    ),
    Variant(
        "control_chars_in_awards",
        _json({**OMDB, "Awards": "Won 7 Oscars\x1b[2J"}),
        r"Awards .* control characters",
    ),
    Variant("nul_in_plot", _json({**OMDB, "Plot": "A\x00B"}), r"Plot contains a NUL"),
]


def _ids(variants: list[Variant]) -> list:
    return [pytest.param(v, id=v.name) for v in variants]


def _check_message(exc: BaseException, url: str, variant: Variant) -> None:
    message = str(exc)
    assert url in message, f"{variant.name}: the message does not name {url}: {message[:300]}"
    assert re.search(variant.needle, message, re.I | re.S), (
        f"{variant.name}: expected /{variant.needle}/ in: {message[:400]}"
    )
    assert "test-tmdb-key" not in message and "test-omdb-key" not in message


def _as_fetched(body: bytes) -> str:
    """What fetch_html hands the parsers for a text/html; charset=utf-8 answer."""
    return body.decode("utf-8", errors="replace")


OSCARS_URL = "https://www.oscars.org/oscars/ceremonies/2024"
IMDB_URL = "https://www.imdb.com/event/ev0000003/2024/1/"


@pytest.mark.parametrize("variant", _ids(OSCARS_VARIANTS))
def test_oscars_page_variants_are_rejected_clearly(variant):
    with pytest.raises(CeremonyPageError) as err:
        parse_ceremony_page(_as_fetched(variant.build()), url=OSCARS_URL, year=YEAR)
    _check_message(err.value, OSCARS_URL, variant)


@pytest.mark.parametrize("variant", _ids(IMDB_VARIANTS))
def test_imdb_page_variants_are_rejected_clearly(variant):
    with pytest.raises(ImdbPageError) as err:
        _parse_imdb(variant.build())
    _check_message(err.value, IMDB_URL, variant)


def _parse_imdb(body: bytes):
    return parse_event_page(
        _as_fetched(body),
        url=IMDB_URL,
        expected=imdb_edition(YEAR),
        expected_event=ACADEMY_AWARDS_EVENT,
    )


def _check_warnings(warnings, variant: Accepted) -> None:
    assert tuple(w.kind for w in warnings) == variant.kinds, [
        (w.kind, w.where, w.message) for w in warnings
    ]
    assert re.search(variant.where, warnings[0].where), warnings[0].where
    assert all(w.message for w in warnings)


@pytest.mark.parametrize("variant", _ids(OSCARS_ACCEPTED))
def test_odd_oscars_pages_are_accepted_with_a_warning(variant):
    ceremony = parse_ceremony_page(_as_fetched(variant.build()), url=OSCARS_URL, year=YEAR)
    _check_warnings(oscars_warnings(ceremony), variant)
    # The rest of the page is read: every other category with all its honorees.
    assert len(ceremony.nominations) == variant.nominations
    assert len({c.name for c in ceremony.categories if c.nominations}) >= 23


@pytest.mark.parametrize("variant", _ids(IMDB_ACCEPTED))
def test_odd_imdb_pages_are_accepted_with_a_warning(variant):
    edition = _parse_imdb(variant.build())
    _check_warnings(imdb_warnings(edition), variant)
    assert len(edition.nominations) == variant.nominations
    assert (edition.year, edition.event_id, edition.awarded) == (YEAR, "ev0000003", True)


def test_the_recorded_pages_pass_the_same_checks():
    """The mutations above are what makes a page bad: the originals are accepted."""
    assert len(parse_ceremony_page(_as_fetched(_bytes(OSCARS)), url="u", year=YEAR).categories)
    linked = _sub(
        OSCARS, _NAME_ITEM, '<div class="field__item"><a href="/x">Cillian Murphy</a></div>'
    )
    ceremony = parse_ceremony_page(linked, url="u", year=YEAR)
    assert "Cillian Murphy" in ceremony.categories[0].nominations[0].entities
    assert parse_event_page(IMDB, url="u", expected=imdb_edition(YEAR)).year == YEAR
    assert parse_event_page(IMDB, url="u").year == YEAR  # the old signature still works
    assert not oscars_warnings(parse_ceremony_page(OSCARS, url="u", year=YEAR))
    assert not imdb_warnings(_parse_imdb(_bytes(IMDB)))


@pytest.fixture(scope="module")
def server():
    """One fixture server for the module (stopping one takes half a second)."""
    with SampleUpstream([DATA], **KEYS) as upstream:
        yield upstream


def _attempts(variant: Variant | Accepted) -> int:
    transient = getattr(variant, "error", None) is TransientUpstreamError
    return FAST["max_attempts"] if transient else 1


def _answer(server: SampleUpstream, pattern: str, variant: Variant | Accepted) -> Callable[[], int]:
    """Script the variant for every attempt the client should make (a transient error
    is retried, a permanent one is not); returns how many requests were made since."""
    answer = scripted(200, variant.build())
    server.script(pattern, *[answer] * _attempts(variant))
    before = server.count(pattern)
    return lambda: server.count(pattern) - before


def _tmdb(server: SampleUpstream) -> TmdbClient:
    return TmdbClient(base_url=server.base_urls()["tmdb"], api_key=KEYS["tmdb_key"], **FAST)


def _omdb(server: SampleUpstream) -> OmdbClient:
    return OmdbClient(base_url=server.base_urls()["omdb"], api_key=KEYS["omdb_key"], **FAST)


def _shown(client, path: str, params: dict) -> str:
    return client.http().display_url(join_url(client.base_url, path), params)


def _client_case(server, variant, pattern: str, call: Callable[[], Any], url: str) -> None:
    requests_made = _answer(server, pattern, variant)
    with pytest.raises(UpstreamError) as err:
        call()
    # Every scripted answer was taken, so none is left for the next case.
    assert requests_made() == _attempts(variant), f"{variant.name}: retried differently"
    assert type(err.value) is variant.error, f"{variant.name}: {err.value!r}"
    _check_message(err.value, url, variant)


@pytest.mark.parametrize("variant", _ids(FIND_VARIANTS))
def test_tmdb_find_variants_are_rejected_clearly(server, variant):
    client = _tmdb(server)
    url = _shown(client, f"/3/find/{OPPENHEIMER}", {"external_source": "imdb_id"})
    _client_case(server, variant, PATTERNS["find"], lambda: client.find_movie(OPPENHEIMER), url)


@pytest.mark.parametrize("variant", _ids(MOVIE_VARIANTS))
def test_tmdb_movie_variants_are_rejected_clearly(server, variant):
    client = _tmdb(server)
    url = _shown(client, f"/3/movie/{TMDB_ID}", {"append_to_response": APPEND})
    _client_case(server, variant, PATTERNS["movie"], lambda: client.movie_details(TMDB_ID), url)


# Asked by IMDb id, a record is not compared with a TMDb id asked for: it must be a movie
# record with a TMDb id of its own (the usual checks of MOVIE_VARIANTS apply as well).
BY_IMDB_ID_VARIANTS = [
    Variant("id_missing", _json(_set(MOVIE, "id", delete=True)), r"^.*: id is missing"),
    Variant("id_zero", _json({**MOVIE, "id": 0}), r"id 0 is not a TMDb id"),
    Variant("id_negative", _json({**MOVIE, "id": -872585}), r"id -872585 is not a TMDb id"),
    Variant("id_string", _json({**MOVIE, "id": "872585"}), r"^.*: id is a string"),
    Variant(
        "error_body_with_200",
        _json({"success": False, "status_code": 34, "status_message": "not found"}),
        r"^.*: id is missing",
    ),
    Variant(
        "credits_list", _json({**MOVIE, "credits": [MOVIE["credits"]]}), r"credits is an array"
    ),
    Variant("deeply_nested_100k", lambda: _deep_json().encode(), r"nested too deeply"),
]


@pytest.mark.parametrize("variant", _ids(BY_IMDB_ID_VARIANTS))
def test_tmdb_movie_by_imdb_id_variants_are_rejected_clearly(server, variant):
    client = _tmdb(server)
    url = _shown(client, f"/3/movie/{OPPENHEIMER}", {"append_to_response": APPEND})
    call = lambda: client.movie_by_imdb_id(OPPENHEIMER)  # noqa: E731
    _client_case(server, variant, PATTERNS["movie"], call, url)


@pytest.mark.parametrize("variant", _ids(OMDB_VARIANTS))
def test_omdb_variants_are_rejected_clearly(server, variant):
    client = _omdb(server)
    url = _shown(client, "/", {"i": OPPENHEIMER, "plot": "full"})
    _client_case(server, variant, PATTERNS["omdb"], lambda: client.movie(OPPENHEIMER), url)


def test_the_recorded_answers_pass_the_same_checks(server):
    assert _tmdb(server).find_movie(OPPENHEIMER)["id"] == TMDB_ID
    assert _tmdb(server).movie_details(TMDB_ID)["imdb_id"] == OPPENHEIMER
    assert _tmdb(server).movie_by_imdb_id(OPPENHEIMER)["id"] == TMDB_ID
    assert _omdb(server).movie(OPPENHEIMER)["imdbID"] == OPPENHEIMER
    # Asked by IMDb id, TMDb may answer with a film that names another IMDb id (two IMDb
    # ids, one TMDb film): data for store.py's rule, not a malformed answer.
    server.script(PATTERNS["movie"], scripted(200, {**MOVIE, "imdb_id": "tt0000042"}))
    assert _tmdb(server).movie_by_imdb_id(OPPENHEIMER)["imdb_id"] == "tt0000042"


PATTERNS = {
    "oscars": r"^/oscars/oscars/ceremonies/2024",
    "imdb": r"^/imdb/event/ev0000003/2024/1/",
    "find": rf"^/tmdb/3/find/{OPPENHEIMER}",
    # The movie endpoint by TMDb id (the client's movie_details) or by IMDb id (the asset).
    "movie": rf"^/tmdb/3/movie/({TMDB_ID}|{OPPENHEIMER})\?",
    "omdb": rf"^/omdb/\?i={OPPENHEIMER}",
}


# -- nothing written ---------------------------------------------------------------------
# A database holding the 2024 ceremony and Oppenheimer's TMDb and OMDb data is built
# once per database kind; each case runs on a copy of it and must leave it unchanged.


def _populate(server: SampleUpstream, db: DatabaseResource) -> None:
    # The same server as the cases: the stored pages' URLs are the ones they request.
    instance = DagsterInstance.ephemeral()
    materialize_year(str(YEAR), resources(server, db), instance)
    materialize_movies([OPPENHEIMER], resources(server, db), instance)


@pytest.fixture(scope="module")
def baseline_sqlite(server, sqlite_template: Path, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("fuzz_baseline") / "cinegraph.sqlite"
    shutil.copy(sqlite_template, target)
    url = f"sqlite:///{target}"
    _populate(server, DatabaseResource(url=url))
    dispose_engine(url)
    return target


@pytest.fixture(scope="module")
def baseline_pg(server, pg_template: str):
    with fresh_pg_database(pg_template) as url:
        _populate(server, DatabaseResource(url=url))
        dispose_engine(url)  # a template database must have no connections
        yield make_url(url).database


def _database(request, backend: str, tmp_path: Path):
    if backend == "sqlite":
        target = tmp_path / "cinegraph.sqlite"
        shutil.copy(request.getfixturevalue("baseline_sqlite"), target)
        url = f"sqlite:///{target}"
        request.addfinalizer(lambda: dispose_engine(url))
        return DatabaseResource(url=url)
    stack = ExitStack()
    request.addfinalizer(stack.close)
    return DatabaseResource(
        url=stack.enter_context(fresh_pg_database(request.getfixturevalue("baseline_pg")))
    )


def _year_run(res: dict, instance: DagsterInstance, asset):
    """Only `asset` runs, fetching its page again (the variant); the other stays as is."""
    instance.add_dynamic_partitions("ceremony_years", [str(YEAR)])
    return materialize(
        year_assets(),
        selection=[asset],
        partition_key=str(YEAR),
        resources=res,
        instance=instance,
        run_config=RunConfig(ops={asset.key.path[-1]: PageConfig(refresh=True)}),
        raise_on_error=False,
    )


def _run(kind: str, upstream: SampleUpstream, res: dict, instance: DagsterInstance):
    scraped_ceremony, imdb_enhanced_nominees = year_assets()
    if kind == "oscars":
        return _year_run(res, instance, scraped_ceremony), res["oscars"].ceremony_url(YEAR)
    if kind == "imdb":
        return _year_run(res, instance, imdb_enhanced_nominees), res["imdb"].event_url(YEAR)
    tmdb_movies, omdb_enrichment, _ = movie_assets()
    asset = omdb_enrichment if kind == "omdb" else tmdb_movies
    if kind == "find":  # the asset asks find only to confirm a 404 of the movie endpoint
        upstream.script(rf"^/tmdb/3/movie/{OPPENHEIMER}\?", scripted(404, TMDB_NOT_FOUND))
    result = materialize_movies(
        [OPPENHEIMER], res, instance, raise_on_error=False, selection=[asset]
    )
    if kind == "omdb":
        return result, _shown(res["omdb"], "/", {"i": OPPENHEIMER, "plot": "full"})
    if kind == "find":
        url = _shown(res["tmdb"], f"/3/find/{OPPENHEIMER}", {"external_source": "imdb_id"})
    else:
        url = _shown(res["tmdb"], f"/3/movie/{OPPENHEIMER}", {"append_to_response": APPEND})
    return result, url


KINDS = {
    "oscars": OSCARS_VARIANTS,
    "imdb": IMDB_VARIANTS,
    "find": FIND_VARIANTS,
    "movie": MOVIE_VARIANTS,
    "omdb": OMDB_VARIANTS,
}
WRITE_CASES = {
    "oscars": [
        "truncated_50pct",
        "deeply_nested_in_honoree",
        "wrong_year",
        "categories_without_honorees",
        "script_in_name",
        "cp1252_page",
    ],
    "imdb": [
        "deeply_nested_json",
        "month_13",
        "award_text_object",
        "wrong_year",
        "another_event",
        "script_in_name",
    ],
    "find": ["deeply_nested_100k", "json_array", "movie_results_object", "id_string", "id_bool"],
    "movie": [
        "credits_list",
        "cast_id_string",
        "cast_order_string",
        "release_date_garbage",
        "img_onerror_in_cast_name",
        "nul_in_overview",
    ],
    "omdb": [
        "ratings_object",
        "awards_object",
        "imdb_id_not_tt",
        "script_in_title",
        "deeply_nested_100k",
    ],
}
ON_POSTGRESQL = {
    ("oscars", "truncated_50pct"),
    ("imdb", "month_13"),
    ("find", "id_bool"),
    ("movie", "nul_in_overview"),
    ("omdb", "awards_object"),
}


def _write_cases() -> list:
    cases = []
    for kind, names in WRITE_CASES.items():
        by_name = {v.name: v for v in KINDS[kind]}
        for name in names:
            for backend in ("sqlite", "postgresql"):
                if backend == "sqlite" or (kind, name) in ON_POSTGRESQL:
                    cases.append(
                        pytest.param(kind, by_name[name], backend, id=f"{kind}-{name}-{backend}")
                    )
    return cases


def _failure_message(result) -> str:
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failures, "the step did not fail"
    data = failures[0].step_failure_data
    description = data.user_failure_data.description if data.user_failure_data else ""
    return f"{data.error.to_string() if data.error else ''}\n{description or ''}"


# Per-partition outcomes (the batch splitter and the status asset read them): the one
# row a failure may write. Its table was movie_asset_status before migration 0005.
OUTCOMES = ("partition_outcomes", "movie_asset_status")
ASSETS = {
    "oscars": "scraped_ceremony",
    "imdb": "imdb_enhanced_nominees",
    "find": "tmdb_movies",
    "movie": "tmdb_movies",
    "omdb": "omdb_enrichment",
}


def _assert_nothing_written(before: dict, after: dict, kind: str, url: str) -> None:
    outcomes = next((t for t in OUTCOMES if t in before), None)
    for table in before:
        if table not in (outcomes, "rate_limits"):  # rate_limits: the request budget
            assert after[table] == before[table], f"{table} changed"
    if outcomes is None:
        return
    changed = [r for r in after[outcomes] if r not in before[outcomes]]
    key = str(YEAR) if kind in ("oscars", "imdb") else OPPENHEIMER
    assert [tuple(r[:3]) for r in changed] in ([], [(key, ASSETS[kind], "failed")])
    assert all(url in str(r) for r in changed), "the recorded outcome does not name the URL"


@pytest.mark.parametrize("kind,variant,backend", _write_cases())
def test_a_malformed_answer_fails_the_step_and_writes_nothing(
    request, tmp_path, server, kind, variant, backend
):
    db = _database(request, backend, tmp_path)
    before = dump(db)
    requests_made = _answer(server, PATTERNS[kind], variant)
    result, url = _run(kind, server, resources(server, db), DagsterInstance.ephemeral())
    assert requests_made() == _attempts(variant)
    assert not result.success
    _check_message(Exception(_failure_message(result)), url, variant)
    _assert_nothing_written(before, dump(db), kind, url)


# -- accepted: stored with the warning ----------------------------------------------

ACCEPTED_WRITE_CASES = {
    "oscars": ["one_category_without_honorees", "awarded_category_without_winner"],
    "imdb": ["category_without_nominations", "nomination_without_entities", "unknown_award"],
}
ACCEPTED_ON_POSTGRESQL = {
    ("oscars", "awarded_category_without_winner"),
    ("imdb", "category_without_nominations"),
}
ACCEPTED_KINDS = {"oscars": OSCARS_ACCEPTED, "imdb": IMDB_ACCEPTED}


def _accepted_write_cases() -> list:
    cases = []
    for kind, names in ACCEPTED_WRITE_CASES.items():
        by_name = {v.name: v for v in ACCEPTED_KINDS[kind]}
        for name in names:
            for backend in ("sqlite", "postgresql"):
                if backend == "sqlite" or (kind, name) in ACCEPTED_ON_POSTGRESQL:
                    cases.append(
                        pytest.param(kind, by_name[name], backend, id=f"{kind}-{name}-{backend}")
                    )
    return cases


@pytest.mark.parametrize("kind,variant,backend", _accepted_write_cases())
def test_an_odd_page_is_stored_with_its_warning(request, tmp_path, server, kind, variant, backend):
    db = _database(request, backend, tmp_path)
    before = dump(db)
    requests_made = _answer(server, PATTERNS[kind], variant)
    result, _url = _run(kind, server, resources(server, db), DagsterInstance.ephemeral())
    assert requests_made() == 1 and result.success
    with db.transaction() as conn:
        stored = ceremony_row(conn, YEAR)["source_metadata"]
    source = "oscars.org" if kind == "oscars" else "imdb"
    assert tuple(w["kind"] for w in stored_warnings(stored, source)) == variant.kinds
    # The rest of the year went through: the page's 120 nominations, stored and matched
    # but for the few the odd content concerns; nothing else was lost.
    after = dump(db)
    for name in ("movies", "people", "movie_credits", "festival_organizations"):
        assert after[name] == before[name], name
    of_page = "FROM festival_nominations WHERE source = 'oscars.org'"
    assert scalar(db, f"SELECT count(*) {of_page}") == 120
    assert scalar(db, f"SELECT count(*) {of_page} AND match_status = 'matched'") >= 108
