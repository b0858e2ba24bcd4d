"""Reads an IMDb event page (https://www.imdb.com/event/ev0000003/YYYY/N/, and any
other event's: ev0000147/2024/1/ is Cannes 2024).

Everything comes from the page's `<script id="__NEXT_DATA__">` JSON, under
props.pageProps: `edition.awards[].nominationCategories.edges[].node.nominations`.
Both `awardedEntities` variants are read through all four of their lists, telling
titles from names by key, as the shape differs between awards.

One rule, as for every parser of the project: strict about what the page is, tolerant
of what it holds.
- Rejected (ImdbPageError naming the URL and the JSON path): what cannot be the page
  asked for. Not HTML or no `__NEXT_DATA__`, invalid or truncated JSON, too large or
  too deeply nested to be an event page, more than MAX_NOMINATIONS nominations; another
  edition than the one asked for (`expected`: editionInfo.year/instanceWithinYear, a
  page naming no year included) or another event (`expected_event`: query.evconst,
  else requestContext.pageConst; a page naming no event is accepted); no
  `edition.awards` list or not a single nomination in it; a value of another type than
  IMDb sends (an object where a text belongs, "false" for a boolean, a string year, a
  number as titleType.id); an id not of IMDb's form (tt/nm/aw/ee/ev + digits); an
  impossible date; markup, control or undecodable characters in a name.
- Accepted and reported (ImdbEdition.warnings, a PageWarning each): what a real page
  can plausibly hold. A category with no nominations (`empty_category`: the studio
  sound departments of 1932 and 1933 are nominees IMDb cannot name, so the category
  is listed empty), a nomination naming no title, person or company
  (`nomination_without_entities`, kept as it is), a `total` that disagrees with the
  edges given (`nomination_total_mismatch`), a category with a next page
  (`paginated_category`: only the first page is read).
- Tolerated silently: a key that is absent or null (IMDb sends null for an empty list,
  an award without a category, a nomination without notes, a person nomination's
  titles without titleType), an entity without an id or of a kind we do not know
  (skipped), a partial date (no date), unknown keys.
Award names are not judged here: which awards a body has is the caller's knowledge
(for the Academy, ceremonies/odd_content.py reports the ones it does not know).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from cinegraph_assets.ceremonies.imdb_next_data import (
    ImdbPageError,
    _at,
    _count,
    _get,
    _id,
    _name,
    _typed,
    extract_next_data,
)
from cinegraph_assets.ceremonies.model import (
    ImdbEdition,
    ImdbNomination,
    ImdbPerson,
    ImdbTitle,
    PageWarning,
    WarningKind,
)
from cinegraph_assets.text import collapse

_SONG = [re.compile(r'[Ss]ong:?\s*["“](.+?)["”]'), re.compile(r'^For\s+["“](.+?)["”]')]

# Real event pages have about 130 nominations (and are 0.1-2 MB); far beyond is not one.
MAX_NOMINATIONS = 2_000
MAX_TOTAL = 1_000_000  # a `total` IMDb reports (the edges given may be fewer)
NOTES_LIMIT = 5_000
_EVENT_ID = re.compile(r"ev\d+")


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
                            title_type=_name(t, "titleType.id", url, f"{at}.title") or None,
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


class _Edition:
    """What reading one page collects: its nominations and what is odd about them."""

    def __init__(self, url: str):
        self.url = url
        self.nominations: list[ImdbNomination] = []
        self.paginated: list[str] = []
        self.warnings: list[PageWarning] = []

    def warn(self, kind: WarningKind, where: str, message: str) -> None:
        self.warnings.append(PageWarning(kind.value, where, message))

    def total(self, obj: Any, key: str, given: int, label: str, at: str) -> None:
        """A `total` beside the edges, where IMDb sends one, must count them."""
        total = _count(obj, key, self.url, at, 0, MAX_TOTAL)
        if total is not None and total != given:
            self.warn(
                WarningKind.NOMINATION_TOTAL_MISMATCH,
                label,
                f"{at}.{key} is {total} but {given} are listed",
            )

    def award(self, a: int, award: Any) -> None:
        url, where = self.url, f"edition.awards[{a}]"
        _typed(award, dict, url, where)
        award_text = _name(award, "text", url, where)
        award_key = (award_text, _id(award, "aw", url, where))
        edges = _at(award, "nominationCategories.edges", list, url, where) or []
        self.total(award, "nominationCategories.total", len(edges), award_text, where)
        for c, edge in enumerate(edges):
            at = f"{where}.nominationCategories.edges[{c}].node"
            node = _at(edge, "node", dict, url, at.removesuffix(".node")) or {}
            self.category(node, award_key, at)

    def category(self, node: dict, award: tuple[str, str | None], at: str) -> None:
        url = self.url
        # Honorary, Hersholt and Sci-Tech awards carry no category: the award names it.
        category = _name(node, "category.text", url, at) or award[0]
        label = award[0] if category == award[0] else f"{award[0]} / {category}"
        nom_edges = _at(node, "nominations.edges", list, url, at) or []
        if _at(node, "nominations.pageInfo.hasNextPage", bool, url, at):
            self.paginated.append(category)
            self.warn(
                WarningKind.PAGINATED_CATEGORY,
                label,
                f"{at}.nominations has a next page; only the {len(nom_edges)} given are read",
            )
        self.total(node, "nominations.total", len(nom_edges), label, at)
        if not nom_edges:
            self.warn(WarningKind.EMPTY_CATEGORY, label, f"{at} lists no nominations")
            return
        if len(self.nominations) + len(nom_edges) > MAX_NOMINATIONS:
            raise ImdbPageError(
                f"{url}: more than {MAX_NOMINATIONS:,} nominations; not an IMDb event page"
            )
        for n, nom_edge in enumerate(nom_edges):
            where_n = f"{at}.nominations.edges[{n}]"
            nomination = _nomination(nom_edge, award, category, len(self.nominations), url, where_n)
            if not (nomination.titles or nomination.people or nomination.companies):
                notes = f" (notes: {nomination.notes[:200]!r})" if nomination.notes else ""
                self.warn(
                    WarningKind.NOMINATION_WITHOUT_ENTITIES,
                    f"{label} #{n + 1}",
                    f"{where_n} names no title, person or company{notes}",
                )
            self.nominations.append(nomination)


def _nominations(awards: list, url: str) -> _Edition:
    read = _Edition(url)
    for a, award in enumerate(awards):
        read.award(a, award)
    if not read.nominations:
        raise ImdbPageError(
            f"{url}: the event page lists no nominations (edition.awards is empty or "
            "every category in it is)"
        )
    return read


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


def _event_id(data: dict, props: dict, url: str) -> str | None:
    """The event the page says it is: the route's evconst, else the request context's
    pageConst (both name it on real pages; a page naming none is not refused)."""
    query = _typed(data.get("query"), dict, url, "query") or {}
    found = {
        where: value
        for where, value in (
            ("query.evconst", _at(query, "evconst", str, url, "query")),
            (
                "props.pageProps.requestContext.pageConst",
                _at(props, "requestContext.pageConst", str, url, "props.pageProps"),
            ),
        )
        if value
    }
    for where, value in found.items():
        if not _EVENT_ID.fullmatch(value):
            raise ImdbPageError(
                f"{url}: __NEXT_DATA__ {where} {value[:40]!r} is not an IMDb event id (ev + digits)"
            )
    if len(set(found.values())) > 1:
        shown = ", ".join(f"{w} {v}" for w, v in found.items())
        raise ImdbPageError(f"{url}: the page names two IMDb events ({shown})")
    return next(iter(found.values()), None)


def _check_expected(
    found: tuple[str | None, int | None, int | None],
    url: str,
    expected: tuple[int, int] | None,
    expected_event: str | None,
) -> None:
    """found: (event id, year, instance) the page names."""
    event_id, year, instance = found
    if expected_event is not None and event_id not in (None, expected_event):
        raise ImdbPageError(
            f"{url}: the page is IMDb event {event_id} (query.evconst / "
            f"requestContext.pageConst), expected {expected_event}"
        )
    if expected is not None and (year, instance or 1) != tuple(expected):
        shown = f"{year}/{instance}" if year else "no edition year"
        raise ImdbPageError(
            f"{url}: the page is IMDb edition {shown} (editionInfo.year/instanceWithinYear), "
            f"expected {expected[0]}/{expected[1]}"
        )


def parse_edition(
    data: dict[str, Any],
    *,
    url: str,
    expected: tuple[int, int] | None = None,
    expected_event: str | None = None,
) -> ImdbEdition:
    """The edition on the page; `expected` (IMDb year, instance) rejects any other
    edition, `expected_event` (an ev id) a page that names another event."""
    props = _get(data, "props", "pageProps")
    awards = _get(props, "edition", "awards")
    if not isinstance(props, dict) or not isinstance(awards, list):
        raise ImdbPageError(
            f"{url}: __NEXT_DATA__ has no props.pageProps.edition.awards list; "
            "IMDb may have changed its page format"
        )
    info = _at(props, "editionInfo", dict, url, "props.pageProps") or {}
    event_id = _event_id(data, props, url)
    year = _count(info, "year", url, "editionInfo", 1900, 2200)
    instance = _count(info, "instanceWithinYear", url, "editionInfo", 1, 99)
    # Which page it is comes first: another edition's oddities are not this one's.
    _check_expected((event_id, year, instance), url, expected, expected_event)
    read = _nominations(awards, url)
    return ImdbEdition(
        edition_id=_id(info, "ee", url, "editionInfo"),
        year=year,
        instance=instance,
        event_name=_name(info, "event.name.text", url, "editionInfo")
        or _name(props, "eventName", url, "props.pageProps")
        or None,
        date=_start_date(info, url),
        location=_name(info, "event.location.text", url, "editionInfo") or None,
        nominations=tuple(read.nominations),
        history=_history(props),
        paginated_categories=tuple(read.paginated),
        event_id=event_id,
        warnings=tuple(read.warnings),
    )


def parse_event_page(
    page: str,
    *,
    url: str,
    expected: tuple[int, int] | None = None,
    expected_event: str | None = None,
) -> ImdbEdition:
    """The edition of an event page; pass expected=imdb_edition(year) and
    expected_event=ACADEMY_AWARDS_EVENT to refuse any other page."""
    return parse_edition(
        extract_next_data(page, url=url), url=url, expected=expected, expected_event=expected_event
    )
