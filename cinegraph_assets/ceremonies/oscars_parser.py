"""Reads an oscars.org ceremony page (https://www.oscars.org/oscars/ceremonies/YYYY).

Slots are located by class, never by position: their DOM order differs between
categories. The meaning of the two slots depends on the category (see
categories.classify): International Feature swaps them, Original Song puts the song
in the film slot and "from <Film>; <credits>" in the entities slot.

One rule, as for every parser of the project: strict about what the page is, tolerant
of what it holds.
- Rejected (CeremonyPageError naming the URL): what cannot be the ceremony page asked
  for. Not HTML, empty, binary or in another encoding; no or another ceremony's title
  (the title div and the page's meta titles must agree with the partition); no
  categories, or not one honoree in any of them; a category without a name, or a
  category twice; markup in a name slot (any element but div/span/a, an on* or
  javascript: attribute) or in its text (escaped tags); undecodable or control
  characters or absurd lengths in a name; a page cut short (no closing </html>), too
  large, too deeply nested or too crowded (categories, honorees) to be a ceremony page.
- Accepted and reported (OscarsCeremony.warnings, a PageWarning each): what a real page
  can plausibly hold. A category listed without honorees (`empty_category`, kept with
  no nominations) and an honoree block with both slots empty
  (`nomination_without_entities`: nothing to store, so it is left out). Whether an
  awarded competitive category lacks a winner is the Academy's rules, not the page's
  shape: ceremonies/odd_content.py reports that (`winnerless_category`).
- Tolerated silently: a date in a format we do not read (date_text is kept as
  printed), a plain link around a name, any markup outside the name slots (category
  name, honoree type, film and entities slots).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.model import (
    OscarsCategory,
    OscarsCeremony,
    OscarsNomination,
    PageWarning,
    WarningKind,
)
from cinegraph_assets.ceremonies.partitions import ceremony_number
from cinegraph_assets.text import (
    PLACEHOLDER,
    collapse,
    is_known_country,
    statement_people,
)
from cinegraph_assets.validation import parse_html, text_problem, truncation_problem


class CeremonyPageError(ValueError):
    """The response is not a usable ceremony page. The message names URL and problem."""


def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_CATEGORY = f".//*[{_cls('paragraph--type--award-category')}]"
_CATEGORY_NAME = f".//*[{_cls('field--name-field-award-category-oscars')}]"
_HONOREE = f".//*[{_cls('paragraph--type--award-honoree')}]"
_HONOREE_TYPE = f".//*[{_cls('field--name-field-honoree-type')}]"
_FILM = f".//*[{_cls('field--name-field-award-film')}]"
_ENTITIES = f".//*[{_cls('field--name-field-award-entities')}]"
_ITEM = f"./*[{_cls('field__item')}]"
_TITLE_DIV = f"//div[{_cls('field--name-title')}]"
_TITLE_META = "//meta[@name='description' or @property='og:title']/@content"

_TITLE = re.compile(r"The\s+(\d{1,3})(?:st|nd|rd|th)\s+Academy\s+Awards\s*\|\s*(\d{4})", re.I)
_SONG = re.compile(r"^from\s+(.+?)\s*;\s*(.*)$", re.I | re.S)
_SONG_NO_CREDITS = re.compile(r"^from\s+(.+)$", re.I | re.S)
_BLOCKED = re.compile(
    r"captcha|access denied|pardon our interruption|are you a robot|request unsuccessful|"
    r"403 forbidden|verify you are human|enable javascript and cookies",
    re.I,
)
_NOT_FOUND = re.compile(r"page not found|404 not found|\b404\b.*not found", re.I)
_COUNTRY_HINT = re.compile(
    r"^(?:[A-Z][a-zà-ÿ]+(?:[ -](?:and|of|the|[A-Z][a-zà-ÿ]+))*|"
    r"(?:The )?(?:Democratic |People's |Federal )?Republic of [A-Z][\w ]+)$"
)

# Real pages are about 120 kB with 6-24 categories of at most 10 honorees.
MAX_PAGE_CHARS = 20_000_000
MAX_CATEGORIES = 200
MAX_HONOREES = 100  # per category
TEXT_LIMIT = 2_000  # characters of a slot item (statements list several people)
# All a name slot holds besides text (Drupal may render an entity reference as a link).
_PLAIN_TAGS = {"div", "span", "a"}


def _text(el) -> str:
    return collapse(el.text_content()) if el is not None else ""


def _items(slot) -> list[str]:
    items = [_text(i) for i in slot.xpath(_ITEM)]
    items = [i for i in items if i]
    return items or ([_text(slot)] if _text(slot) else [])


def _parse_date(text: str | None) -> date | None:
    text = collapse(text)
    for fmt in ("%A, %B %d, %Y", "%B %d, %Y", "%A, %b %d, %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _diagnose(page_text: str, url: str, missing: str) -> CeremonyPageError:
    snippet = collapse(page_text)[:120]
    if missing == "empty body":
        return CeremonyPageError(f"{url}: empty response body, not an oscars.org ceremony page")
    if not snippet:
        return CeremonyPageError(
            f"{url}: not an oscars.org ceremony page: {missing}; the page has no text at all "
            "(markup only: cut short or a script shell)"
        )
    if _BLOCKED.search(page_text):
        return CeremonyPageError(
            f"{url}: the site served a bot-protection or captcha page instead of the ceremony "
            f"({missing}); configure CINEGRAPH_RENDER_PROXY. Page starts: {snippet!r}"
        )
    if _NOT_FOUND.search(page_text):
        return CeremonyPageError(
            f"{url}: 'page not found' body ({missing}). Page starts: {snippet!r}"
        )
    return CeremonyPageError(
        f"{url}: not an oscars.org ceremony page: {missing}. Page starts: {snippet!r}"
    )


def _ceremony_number(doc, page_text: str, url: str, year: int) -> int:
    """The ceremony number of the page's title, which must be the partition's ceremony."""
    title_el = doc.xpath(_TITLE_DIV)
    titles = [_text(title_el[0])] if title_el else []
    titles += [collapse(c) for c in doc.xpath(_TITLE_META)]
    found = {(int(m.group(1)), int(m.group(2))) for m in map(_TITLE.search, titles) if m}
    if not found:
        raise _diagnose(
            page_text, url, "no 'The Nth Academy Awards | YYYY' title (div.field--name-title)"
        )
    if len(found) > 1:
        shown = ", ".join(f"{_ordinal(n)} | {y}" for n, y in sorted(found))
        raise CeremonyPageError(f"{url}: the page's titles name different ceremonies ({shown})")
    ((number, page_year),) = found
    if page_year != year or number != ceremony_number(year):
        raise CeremonyPageError(
            f"{url}: page is for the {number}th Academy Awards | {page_year}, "
            f"not ceremony {ceremony_number(year)} ({year})"
        )
    return number


def _check_plain(slots, url: str, where: str) -> None:
    """Name slots are wrappers and text: other elements, handlers or script links are
    injected markup (text_content would merge a script's text into the name)."""
    for node in (node for slot in slots for node in slot.iter()):
        if not isinstance(node.tag, str):
            continue  # comments
        if node.tag.lower() not in _PLAIN_TAGS:
            raise CeremonyPageError(
                f"{url}: {where} contains a <{node.tag}> element; names are plain text"
            )
        scripted = [a for a, v in node.attrib.items() if a.lower().startswith("on")]
        scripted += [a for a, v in node.attrib.items() if "javascript:" in v.lower()]
        if scripted:
            raise CeremonyPageError(
                f"{url}: {where} has a script in its {scripted[0]!r} attribute; "
                "names are plain text"
            )


def _check_text(texts, url: str, where: str) -> None:
    for text in texts:
        if problem := text_problem(text, limit=TEXT_LIMIT):
            raise CeremonyPageError(f"{url}: {where}: {text[:80]!r} {problem}")


def _category(cat_el, url: str, warnings: list[PageWarning]) -> OscarsCategory:
    term = cat_el.get("data-term-id")
    name_el = cat_el.xpath(_CATEGORY_NAME)
    name = _text(name_el[0]) if name_el else ""
    if not name:
        raise CeremonyPageError(
            f"{url}: a category block (data-term-id={term}) has no "
            "name (div.field--name-field-award-category-oscars)"
        )
    _check_plain(name_el, url, f"the name of category {name[:80]!r}")
    _check_text([name], url, "a category name")
    honorees = cat_el.xpath(_HONOREE)
    if len(honorees) > MAX_HONOREES:
        raise CeremonyPageError(
            f"{url}: category {name!r} lists {len(honorees):,} honorees (more than "
            f"{MAX_HONOREES}); not an oscars.org ceremony page"
        )
    nominations = []
    for position, hon_el in enumerate(honorees):
        slots = [*hon_el.xpath(_HONOREE_TYPE), *hon_el.xpath(_FILM), *hon_el.xpath(_ENTITIES)]
        _check_plain(slots, url, f"category {name[:80]!r}")
        nomination = _parse_honoree(hon_el, name, position)
        if nomination is None:
            warnings.append(
                PageWarning(
                    WarningKind.NOMINATION_WITHOUT_ENTITIES.value,
                    f"{name} #{position + 1}",
                    f"honoree {position + 1} of {name!r} has an empty film slot and an empty "
                    "entities slot; left out",
                )
            )
            continue
        _check_text([nomination.film_slot, *nomination.entities], url, f"category {name!r}")
        nominations.append(nomination)
    if not nominations:
        warnings.append(
            PageWarning(
                WarningKind.EMPTY_CATEGORY.value,
                name,
                f"category {name!r} (data-term-id={term}) lists no honorees "
                f"({len(honorees)} honoree blocks, none with a film or a nominee)",
            )
        )
    return OscarsCategory(name, term, tuple(nominations))


def _categories(doc, page_text: str, url: str, warnings: list[PageWarning]) -> list[OscarsCategory]:
    category_els = doc.xpath(_CATEGORY)
    if not category_els:
        raise _diagnose(page_text, url, "no award categories (div.paragraph--type--award-category)")
    if len(category_els) > MAX_CATEGORIES:
        raise CeremonyPageError(
            f"{url}: {len(category_els):,} category blocks (more than {MAX_CATEGORIES}); "
            "not an oscars.org ceremony page"
        )
    categories = [_category(cat_el, url, warnings) for cat_el in category_els]
    names = [c.name for c in categories]
    if twice := sorted({n for n in names if names.count(n) > 1}):
        raise CeremonyPageError(f"{url}: category {twice[0]!r} appears twice on the page")
    if not any(c.nominations for c in categories):
        raise CeremonyPageError(
            f"{url}: none of the {len(categories)} categories lists an honoree "
            "(div.paragraph--type--award-honoree); not a ceremony page with nominations"
        )
    return categories


def parse_ceremony_page(page: str, *, url: str, year: int) -> OscarsCeremony:
    if not page or not page.strip():
        raise _diagnose("", url, "empty body")
    doc = parse_html(
        page,
        url=url,
        what="an oscars.org ceremony page",
        error=CeremonyPageError,
        max_chars=MAX_PAGE_CHARS,
    )
    page_text = doc.text_content()
    number = _ceremony_number(doc, page_text, url, year)
    warnings: list[PageWarning] = []
    categories = _categories(doc, page_text, url, warnings)
    if problem := truncation_problem(page):
        raise CeremonyPageError(f"{url}: {problem}; the categories after the cut are missing")

    date_el = doc.xpath(f"//*[{_cls('field--name-field-date-time')}]")
    location_el = doc.xpath(f"//*[{_cls('field--name-field-location')}]")
    label_el = doc.xpath(f"//*[{_cls('field--name-field-label')}]")
    date_text = _text(date_el[0]) if date_el else None
    return OscarsCeremony(
        year=year,
        ceremony_number=number,
        name=f"The {_ordinal(number)} Academy Awards",
        date=_parse_date(date_text),
        date_text=date_text,
        location=_text(location_el[0]) if location_el else None,
        honoring=_text(label_el[0]) if label_el else None,
        # Before the show every honoree is a "Nominee"; no winner anywhere = not awarded.
        awarded=any(n.won for c in categories for n in c.nominations),
        categories=tuple(categories),
        warnings=tuple(warnings),
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _looks_like_country(text: str) -> bool:
    return bool(_COUNTRY_HINT.match(text)) and len(text.split()) <= 5


def _is_country(text: str) -> bool:
    """A country as oscars.org prints it, long official names included."""
    return is_known_country(text) or _looks_like_country(text)


def _country_and_producers(text: str) -> tuple[str, str] | None:
    """'Italy; Carlo Ponti and Dino De Laurentiis, Producers' -> (country, producers)."""
    head, sep, tail = text.partition(";")
    head, tail = collapse(head), collapse(tail)
    return (head, tail) if sep and tail and _is_country(head) else None


def _international_slots(
    film_items: list[str], entity_items: list[str]
) -> tuple[str | None, tuple[str, ...], str, bool]:
    """(country, films, statement, statement names producers) of a foreign-language or
    international nomination.

    The film slot holds the country and the entities slot the film; the early
    Foreign Language Film awards print "Country; Producers" in the slot of the
    country. Keep the printed order where an older page does it the other way round.
    """
    film_slot, entities_text = "; ".join(film_items), "; ".join(entity_items)
    for text, other in ((film_slot, entity_items), (entities_text, film_items)):
        split = _country_and_producers(text)
        if split and other:
            return split[0], tuple(other), split[1], True
    if film_items and not (_is_country(entities_text) and not _is_country(film_slot)):
        return film_slot, tuple(entity_items), film_slot, False
    return entities_text or None, tuple(film_items), entities_text, False


def _parse_honoree(el, category: str, position: int) -> OscarsNomination | None:
    type_el = el.xpath(_HONOREE_TYPE)
    won = bool(type_el) and (
        "winner" in (type_el[0].get("class") or "").split() or _text(type_el[0]).lower() == "winner"
    )
    film_items = [i for slot in el.xpath(_FILM) for i in _items(slot)]
    entity_items = [i for slot in el.xpath(_ENTITIES) for i in _items(slot)]
    if not film_items and not entity_items:
        return None
    film_slot = "; ".join(film_items)
    entities_text = "; ".join(entity_items)
    kind = classify(category).kind
    song = country = None
    films: tuple[str, ...] = tuple(film_items)
    statement = entities_text

    producers = False
    if kind == "international":
        country, films, statement, producers = _international_slots(film_items, entity_items)
    elif kind == "song":
        song = film_slot or None
        m = _SONG.match(entities_text) or _SONG_NO_CREDITS.match(entities_text)
        if m:
            films = (collapse(m.group(1)),)
            statement = collapse(m.group(2)) if m.re is _SONG else ""
        else:
            films = ()
    placeholder = bool(PLACEHOLDER.search(statement))
    return OscarsNomination(
        category=category,
        position=position,
        won=won,
        film_slot=film_slot,
        entities=tuple(entity_items),
        films=tuple(f for f in films if f),
        statement=statement,
        people=statement_people(statement) if kind != "international" or producers else (),
        song_title=song,
        country=country,
        placeholder=placeholder,
    )
