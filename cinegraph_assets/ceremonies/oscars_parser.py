"""Reads an oscars.org ceremony page (https://www.oscars.org/oscars/ceremonies/YYYY).

Slots are located by class, never by position: their DOM order differs between
categories. The meaning of the two slots depends on the category (see
categories.classify): International Feature swaps them, Original Song puts the song
in the film slot and "from <Film>; <credits>" in the entities slot.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from lxml import html as lxml_html

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.model import OscarsCategory, OscarsCeremony, OscarsNomination
from cinegraph_assets.ceremonies.partitions import ceremony_number
from cinegraph_assets.ceremonies.text import PLACEHOLDER, collapse, statement_people


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

_TITLE = re.compile(r"The\s+(\d+)(?:st|nd|rd|th)\s+Academy\s+Awards\s*\|\s*(\d{4})", re.I)
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
    if not snippet:
        return CeremonyPageError(f"{url}: empty response body, not an oscars.org ceremony page")
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


def parse_ceremony_page(page: str, *, url: str, year: int) -> OscarsCeremony:
    if not page or not page.strip():
        raise _diagnose("", url, "empty body")
    try:
        doc = lxml_html.fromstring(page)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise CeremonyPageError(f"{url}: not parseable as HTML ({exc})") from None
    page_text = doc.text_content()

    title_el = doc.xpath(_TITLE_DIV)
    title_text = _text(title_el[0]) if title_el else ""
    match = _TITLE.search(title_text)
    if not match:
        metas = doc.xpath("//meta[@name='description' or @property='og:title']/@content")
        match = next((m for m in (_TITLE.search(collapse(c)) for c in metas) if m), None)
    if not match:
        raise _diagnose(
            page_text, url, "no 'The Nth Academy Awards | YYYY' title (div.field--name-title)"
        )
    number, page_year = int(match.group(1)), int(match.group(2))
    if page_year != year or number != ceremony_number(year):
        raise CeremonyPageError(
            f"{url}: page is for the {number}th Academy Awards | {page_year}, "
            f"not ceremony {ceremony_number(year)} ({year})"
        )

    category_els = doc.xpath(_CATEGORY)
    if not category_els:
        raise _diagnose(page_text, url, "no award categories (div.paragraph--type--award-category)")

    categories = []
    any_winner = False
    for cat_el in category_els:
        name_el = cat_el.xpath(_CATEGORY_NAME)
        name = _text(name_el[0]) if name_el else ""
        if not name:
            raise CeremonyPageError(
                f"{url}: a category block (data-term-id={cat_el.get('data-term-id')}) has no "
                "name (div.field--name-field-award-category-oscars)"
            )
        nominations = []
        for position, hon_el in enumerate(cat_el.xpath(_HONOREE)):
            nomination = _parse_honoree(hon_el, name, position)
            if nomination is None:
                continue
            any_winner = any_winner or nomination.won
            nominations.append(nomination)
        if not nominations:
            raise CeremonyPageError(
                f"{url}: category {name!r} lists no honorees (div.paragraph--type--award-honoree)"
            )
        categories.append(OscarsCategory(name, cat_el.get("data-term-id"), tuple(nominations)))

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
        awarded=any_winner,
        categories=tuple(categories),
    )


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _looks_like_country(text: str) -> bool:
    return bool(_COUNTRY_HINT.match(text)) and len(text.split()) <= 5


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

    if kind == "international":
        # The film slot holds the country and the entities slot the film; keep the
        # printed order where an older page does it the other way round.
        if film_items and not (
            _looks_like_country(entities_text) and not _looks_like_country(film_slot)
        ):
            country, films = film_slot, tuple(entity_items)
        else:
            country = entities_text or None
        statement = country or ""
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
        people=() if kind == "international" else statement_people(statement),
        song_title=song,
        country=country,
        placeholder=placeholder,
    )
