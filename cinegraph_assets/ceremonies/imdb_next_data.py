"""The `<script id="__NEXT_DATA__">` JSON of an IMDb event page, and the typed accessors
imdb_parser.py reads it through.

extract_next_data rejects what cannot be an event page (no HTML or no `__NEXT_DATA__`,
invalid, truncated or too deeply nested JSON, too large a page). The accessors (_typed,
_at, _name, _id, _count) enforce the parser's rule on each value: null or absent is
tolerated, a value of another type than IMDb sends, an id not of IMDb's form or a name
with markup or control characters is an ImdbPageError naming the URL and the JSON path
(the whole rule is in imdb_parser.py's docstring); _get reads what is informational
only, and tolerates anything. They are apart from the parser so it
reads as the page's structure; they are the parser's own, hence private names.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cinegraph_assets.text import collapse
from cinegraph_assets.validation import (
    NAME_LIMIT,
    json_kind,
    parse_html,
    text_problem,
    truncation_problem,
)


class ImdbPageError(ValueError):
    """The response is not a usable IMDb event page. The message names URL and problem."""


# Real event pages are 0.1-2 MB (with about 130 nominations); far beyond is not one.
MAX_PAGE_CHARS = 20_000_000


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
