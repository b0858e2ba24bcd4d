"""Reads an IMDb event page (https://www.imdb.com/event/ev0000003/YYYY/N/).

Everything comes from the page's `<script id="__NEXT_DATA__">` JSON, under
props.pageProps: `edition.awards[].nominationCategories.edges[].node.nominations`.
Both `awardedEntities` variants are read through all four of their lists, telling
titles from names by key, as the shape differs between awards.

What is data and what is a malformed page:
- tolerated: a key that is absent or null (IMDb sends null for an empty list, an award
  without a category, a nomination without notes), an entity without an id (skipped),
  an entity kind we do not know (skipped), a partial date (no date), unknown keys;
- malformed (ImdbPageError naming the URL and the JSON path): a value of another type
  than IMDb sends (an object where a text belongs, "false" for a boolean, a string
  year), an id not of IMDb's form (tt/nm/aw/ee + digits), an impossible date, markup
  or undecodable characters in a name, no awards, a category without nominations,
  a page too large or too deeply nested to be an event page, another edition than
  the one asked for (`expected`).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from cinegraph_assets.ceremonies.model import ImdbEdition, ImdbNomination, ImdbPerson, ImdbTitle
from cinegraph_assets.ceremonies.text import collapse
from cinegraph_assets.validation import (
    NAME_LIMIT,
    json_kind,
    parse_html,
    text_problem,
    truncation_problem,
)


class ImdbPageError(ValueError):
    """The response is not a usable IMDb event page. The message names URL and problem."""


_SONG = [re.compile(r'[Ss]ong:?\s*["“](.+?)["”]'), re.compile(r'^For\s+["“](.+?)["”]')]

# Real event pages are 0.1-2 MB with about 130 nominations; far beyond is not one.
MAX_PAGE_CHARS = 20_000_000
MAX_NOMINATIONS = 2_000
NOTES_LIMIT = 5_000


def _typed(value: Any, kind: type, url: str, where: str) -> Any:
    """value if it is of kind (bool is not an int here) or null; else ImdbPageError."""
    if value is None or (isinstance(value, kind) and (kind is bool or not isinstance(value, bool))):
        return value
    expected = {dict: "an object", list: "an array", str: "a string", int: "an integer"}
    expected[bool] = "a boolean"
    raise ImdbPageError(f"{url}: __NEXT_DATA__ {where} is {json_kind(value)}, not {expected[kind]}")


def _at(obj: Any, path: str, kind: type, url: str, where: str) -> Any:
    """obj.path (dotted) of type kind, None when a step is absent or null."""
    for key in path.split("."):
        if _typed(obj, dict, url, where) is None:
            return None
        where, obj = f"{where}.{key}", obj.get(key)
    return _typed(obj, kind, url, where)


def _name(obj: Any, path: str, url: str, where: str, limit: int = NAME_LIMIT) -> str:
    text = collapse(_at(obj, path, str, url, where))
    if problem := text_problem(text, limit=limit):
        raise ImdbPageError(f"{url}: __NEXT_DATA__ {where}.{path} {text[:80]!r} {problem}")
    return text


def _id(obj: Any, prefix: str, url: str, where: str) -> str | None:
    value = _at(obj, "id", str, url, where)
    if value and not re.fullmatch(rf"{prefix}\d+", value):
        raise ImdbPageError(
            f"{url}: __NEXT_DATA__ {where}.id {value[:40]!r} is not an IMDb {prefix} id"
        )
    return value or None


def _count(obj: Any, key: str, url: str, where: str, low: int, high: int) -> int | None:
    value = _at(obj, key, int, url, where)
    if value is not None and not low <= value <= high:
        raise ImdbPageError(f"{url}: __NEXT_DATA__ {where}.{key} {value} is not in {low}..{high}")
    return value


# -- the page ------------------------------------------------------------------------


def extract_next_data(page: str, *, url: str) -> dict[str, Any]:
    if not page or not page.strip():
        raise ImdbPageError(f"{url}: empty response body, not an IMDb event page")
    doc = parse_html(
        page, url=url, what="an IMDb event page", error=ImdbPageError, max_chars=MAX_PAGE_CHARS
    )
    scripts = doc.xpath("//script[@id='__NEXT_DATA__']")
    if not scripts:
        text = collapse(doc.text_content())
        hint = ""
        if re.search(r"403 Forbidden|captcha|verify you are human|request blocked", page, re.I):
            hint = " (looks like a bot-protection page; configure CINEGRAPH_RENDER_PROXY)"
        elif re.search(r"404 Not Found|Page Not Found", page, re.I):
            hint = " (a 'not found' page)"
        raise ImdbPageError(
            f'{url}: no <script id="__NEXT_DATA__"> in the page{hint}. Page starts: {text[:120]!r}'
        )
    raw = scripts[0].text or ""
    try:
        data = json.loads(raw)
    except RecursionError:
        raise ImdbPageError(
            f"{url}: __NEXT_DATA__ is nested too deeply to decode ({len(raw):,} characters); "
            "not an IMDb event page"
        ) from None
    except ValueError as exc:
        raise ImdbPageError(
            f"{url}: __NEXT_DATA__ is not valid JSON ({exc.__class__.__name__}: {exc}); "
            f"{len(raw)} characters, possibly truncated"
        ) from None
    if not isinstance(data, dict):
        raise ImdbPageError(f"{url}: __NEXT_DATA__ is not a JSON object")
    if problem := truncation_problem(page):
        raise ImdbPageError(f"{url}: {problem}")
    return data


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _song_title(notes: str | None) -> str | None:
    if not notes:
        return None
    for pattern in _SONG:
        m = pattern.search(notes)
        if m:
            return collapse(m.group(1))
    return None


_ENTITY_LISTS = (
    "awardTitles",
    "secondaryAwardTitles",
    "awardNames",
    "secondaryAwardNames",
    "awardCompanies",
    "secondaryAwardCompanies",
)


def _entities(
    awarded: dict | None, url: str, where: str
) -> tuple[list[ImdbTitle], list[ImdbPerson], list[str]]:
    titles, people, companies = [], [], []
    for key in _ENTITY_LISTS:
        for i, item in enumerate(_at(awarded, key, list, url, where) or []):
            at = f"{where}.{key}[{i}]"
            _typed(item, dict, url, at)
            if (t := _at(item, "title", dict, url, at)) is not None:
                if (title_id := _id(t, "tt", url, f"{at}.title")) is not None:
                    original = _name(t, "originalTitleText.text", url, f"{at}.title")
                    titles.append(
                        ImdbTitle(
                            id=title_id,
                            title=_name(t, "titleText.text", url, f"{at}.title"),
                            original_title=original or None,
                        )
                    )
            elif (n := _at(item, "name", dict, url, at)) is not None:
                if (name_id := _id(n, "nm", url, f"{at}.name")) is not None:
                    people.append(
                        ImdbPerson(id=name_id, name=_name(n, "nameText.text", url, f"{at}.name"))
                    )
            elif (c := _at(item, "company", dict, url, at)) is not None:
                if text := _name(c, "companyText.text", url, f"{at}.company"):
                    companies.append(text)
    return titles, people, companies


def _nomination(
    nom_edge: Any, award: tuple[str, str | None], category: str, index: int, url: str, where: str
) -> ImdbNomination:
    nom = _at(nom_edge, "node", dict, url, where) or {}
    where = f"{where}.node"
    titles, people, companies = _entities(
        _at(nom, "awardedEntities", dict, url, where), url, f"{where}.awardedEntities"
    )
    notes = _name(nom, "notes.plainText", url, where, limit=NOTES_LIMIT) or None
    return ImdbNomination(
        award=award[0],
        award_id=award[1],
        category=category,
        index=index,
        is_winner=bool(_at(nom, "isWinner", bool, url, where)),
        titles=tuple(titles),
        people=tuple(people),
        companies=tuple(companies),
        notes=notes,
        song_title=_song_title(notes),
    )


def _nominations(awards: list, url: str) -> tuple[list[ImdbNomination], list[str]]:
    nominations: list[ImdbNomination] = []
    paginated: list[str] = []
    for a, award in enumerate(awards):
        where = f"edition.awards[{a}]"
        _typed(award, dict, url, where)
        award_text = _name(award, "text", url, where)
        award_key = (award_text, _id(award, "aw", url, where))
        edges = _at(award, "nominationCategories.edges", list, url, where) or []
        for c, edge in enumerate(edges):
            at = f"{where}.nominationCategories.edges[{c}].node"
            node = _at(edge, "node", dict, url, at.removesuffix(".node")) or {}
            # Honorary, Hersholt and Sci-Tech awards carry no category: the award names it.
            category = _name(node, "category.text", url, at) or award_text
            if _at(node, "nominations.pageInfo.hasNextPage", bool, url, at):
                paginated.append(category)
            nom_edges = _at(node, "nominations.edges", list, url, at) or []
            if not nom_edges:
                raise ImdbPageError(
                    f"{url}: category {category!r} ({at}) lists no nominations; "
                    "not a complete IMDb event page"
                )
            if len(nominations) + len(nom_edges) > MAX_NOMINATIONS:
                raise ImdbPageError(
                    f"{url}: more than {MAX_NOMINATIONS:,} nominations; not an IMDb event page"
                )
            for n, nom_edge in enumerate(nom_edges):
                where_n, index = f"{at}.nominations.edges[{n}]", len(nominations)
                nominations.append(_nomination(nom_edge, award_key, category, index, url, where_n))
    if not nominations:
        raise ImdbPageError(
            f"{url}: the event page lists no nominations (edition.awards is empty or has "
            "no categories)"
        )
    return nominations, paginated


def _start_date(info: dict, url: str) -> date | None:
    where = "editionInfo.dateRange.startDate.dateComponents"
    start = _at(info, "dateRange.startDate.dateComponents", dict, url, "editionInfo") or {}
    parts = [_at(start, k, int, url, where) for k in ("year", "month", "day")]
    if None in parts:
        return None  # a partial date (the year only) is no date
    try:
        return date(*parts)
    except (ValueError, OverflowError) as exc:
        raise ImdbPageError(
            f"{url}: __NEXT_DATA__ {where} {parts[0]}-{parts[1]}-{parts[2]} is not a date ({exc})"
        ) from None


def _history(props: dict) -> tuple[tuple[int, int, str], ...]:
    """Other editions of the event, informational: odd entries are skipped."""
    out = []
    for h in _get(props, "historyEventEditions") or []:
        if not isinstance(h, dict) or type(h.get("year")) is not int:
            continue
        instance = h.get("instanceWithinYear") or 1
        out.append((h["year"], instance if type(instance) is int else 1, str(h.get("id") or "")))
    return tuple(out)


def parse_edition(
    data: dict[str, Any], *, url: str, expected: tuple[int, int] | None = None
) -> ImdbEdition:
    """The edition on the page; `expected` (IMDb year, instance) rejects any other."""
    props = _get(data, "props", "pageProps")
    awards = _get(props, "edition", "awards")
    if not isinstance(props, dict) or not isinstance(awards, list):
        raise ImdbPageError(
            f"{url}: __NEXT_DATA__ has no props.pageProps.edition.awards list; "
            "IMDb may have changed its page format"
        )
    nominations, paginated = _nominations(awards, url)
    info = _at(props, "editionInfo", dict, url, "props.pageProps") or {}
    edition = ImdbEdition(
        edition_id=_id(info, "ee", url, "editionInfo"),
        year=_count(info, "year", url, "editionInfo", 1900, 2200),
        instance=_count(info, "instanceWithinYear", url, "editionInfo", 1, 99),
        event_name=_name(info, "event.name.text", url, "editionInfo")
        or _name(props, "eventName", url, "props.pageProps")
        or None,
        date=_start_date(info, url),
        location=_name(info, "event.location.text", url, "editionInfo") or None,
        nominations=tuple(nominations),
        history=_history(props),
        paginated_categories=tuple(paginated),
    )
    if expected is not None and (edition.year, edition.instance or 1) != tuple(expected):
        found = f"{edition.year}/{edition.instance}" if edition.year else "no edition year"
        raise ImdbPageError(
            f"{url}: the page is IMDb edition {found} (editionInfo.year/instanceWithinYear), "
            f"expected {expected[0]}/{expected[1]}"
        )
    return edition


def parse_event_page(
    page: str, *, url: str, expected: tuple[int, int] | None = None
) -> ImdbEdition:
    """The edition of an event page; pass expected=imdb_edition(year) to refuse others."""
    return parse_edition(extract_next_data(page, url=url), url=url, expected=expected)
