"""Reads an IMDb event page (https://www.imdb.com/event/ev0000003/YYYY/N/).

Everything comes from the page's `<script id="__NEXT_DATA__">` JSON, under
props.pageProps: `edition.awards[].nominationCategories.edges[].node.nominations`.
Both `awardedEntities` variants are read through all four of their lists, telling
titles from names by key, as the shape differs between awards.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from lxml import html as lxml_html

from cinegraph_assets.ceremonies.model import ImdbEdition, ImdbNomination, ImdbPerson, ImdbTitle
from cinegraph_assets.ceremonies.text import collapse


class ImdbPageError(ValueError):
    """The response is not a usable IMDb event page. The message names URL and problem."""


_SONG = [re.compile(r'[Ss]ong:?\s*["“](.+?)["”]'), re.compile(r'^For\s+["“](.+?)["”]')]


def extract_next_data(page: str, *, url: str) -> dict[str, Any]:
    if not page or not page.strip():
        raise ImdbPageError(f"{url}: empty response body, not an IMDb event page")
    try:
        doc = lxml_html.fromstring(page)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ImdbPageError(f"{url}: not parseable as HTML ({exc})") from None
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
    except ValueError as exc:
        raise ImdbPageError(
            f"{url}: __NEXT_DATA__ is not valid JSON ({exc.__class__.__name__}: {exc}); "
            f"{len(raw)} characters, possibly truncated"
        ) from None
    if not isinstance(data, dict):
        raise ImdbPageError(f"{url}: __NEXT_DATA__ is not a JSON object")
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


def _entities(awarded: dict) -> tuple[list[ImdbTitle], list[ImdbPerson], list[str]]:
    titles, people, companies = [], [], []
    for key in (
        "awardTitles",
        "secondaryAwardTitles",
        "awardNames",
        "secondaryAwardNames",
        "awardCompanies",
        "secondaryAwardCompanies",
    ):
        for item in awarded.get(key) or []:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("title"), dict):
                t = item["title"]
                if t.get("id"):
                    titles.append(
                        ImdbTitle(
                            id=t["id"],
                            title=collapse(_get(t, "titleText", "text") or ""),
                            original_title=collapse(_get(t, "originalTitleText", "text") or "")
                            or None,
                        )
                    )
            elif isinstance(item.get("name"), dict):
                n = item["name"]
                if n.get("id"):
                    people.append(
                        ImdbPerson(id=n["id"], name=collapse(_get(n, "nameText", "text") or ""))
                    )
            elif isinstance(item.get("company"), dict):
                text = _get(item["company"], "companyText", "text")
                if text:
                    companies.append(collapse(text))
    return titles, people, companies


def parse_edition(data: dict[str, Any], *, url: str) -> ImdbEdition:
    props = _get(data, "props", "pageProps")
    awards = _get(props, "edition", "awards")
    if not isinstance(props, dict) or not isinstance(awards, list):
        raise ImdbPageError(
            f"{url}: __NEXT_DATA__ has no props.pageProps.edition.awards list; "
            "IMDb may have changed its page format"
        )
    nominations: list[ImdbNomination] = []
    paginated: list[str] = []
    index = 0
    for award in awards:
        award_text = collapse(_get(award, "text") or "")
        for edge in _get(award, "nominationCategories", "edges") or []:
            node = _get(edge, "node") or {}
            # Honorary, Hersholt and Sci-Tech awards carry no category: the award names it.
            category = collapse(_get(node, "category", "text") or "") or award_text
            if _get(node, "nominations", "pageInfo", "hasNextPage"):
                paginated.append(category)
            for nom_edge in _get(node, "nominations", "edges") or []:
                nom = _get(nom_edge, "node") or {}
                titles, people, companies = _entities(_get(nom, "awardedEntities") or {})
                notes = collapse(_get(nom, "notes", "plainText") or "") or None
                nominations.append(
                    ImdbNomination(
                        award=award_text,
                        award_id=_get(award, "id"),
                        category=category,
                        index=index,
                        is_winner=bool(_get(nom, "isWinner")),
                        titles=tuple(titles),
                        people=tuple(people),
                        companies=tuple(companies),
                        notes=notes,
                        song_title=_song_title(notes),
                    )
                )
                index += 1
    info = _get(props, "editionInfo") or {}
    start = _get(info, "dateRange", "startDate", "dateComponents") or {}
    start_date = None
    if start.get("year") and start.get("month") and start.get("day"):
        start_date = date(start["year"], start["month"], start["day"])
    history = tuple(
        (h["year"], h.get("instanceWithinYear") or 1, h.get("id") or "")
        for h in _get(props, "historyEventEditions") or []
        if isinstance(h, dict) and isinstance(h.get("year"), int)
    )
    return ImdbEdition(
        edition_id=info.get("id"),
        year=info.get("year"),
        instance=info.get("instanceWithinYear"),
        event_name=_get(info, "event", "name", "text") or _get(props, "eventName"),
        date=start_date,
        location=_get(info, "event", "location", "text"),
        nominations=tuple(nominations),
        history=history,
        paginated_categories=tuple(paginated),
    )


def parse_event_page(page: str, *, url: str) -> ImdbEdition:
    return parse_edition(extract_next_data(page, url=url), url=url)
