"""What all parsers refuse alike: markup in plain-text names, bounded HTML, JSON types.

Shared by the oscars.org and IMDb parsers and the TMDb and OMDb record checks (names
are plain text everywhere in the data).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml import html as lxml_html

NAME_LIMIT = 1_000  # characters of a title, name, award or category

_MARKUP = re.compile(r"<\s*/?\s*[a-z!?]|&(?:lt|gt|#0*60|#x0*3c);", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def text_problem(text: str, *, limit: int = NAME_LIMIT) -> str | None:
    """Why text cannot be a plain-text name or title, or None when it can."""
    if len(text) > limit:
        return f"is {len(text):,} characters long (more than {limit:,})"
    if "\ufffd" in text:
        return "contains U+FFFD replacement characters (undecodable bytes: wrong encoding?)"
    if _CONTROL.search(text):
        return "contains control characters or lone surrogates"
    if _MARKUP.search(text):
        return "contains HTML markup (names are plain text)"
    return None


def parse_html(page: str, *, url: str, what: str, error: type[ValueError], max_chars: int):
    """The lxml document of page, or `error` naming url when it is not a parseable page.

    lxml's huge_tree stays off, so libxml2 stops at 256 levels of nesting and at 10 MB
    text nodes; it then silently drops the rest of the document, so such a stop is an
    error here rather than a page with content missing.
    """
    if len(page) > max_chars:
        raise error(
            f"{url}: the response is {len(page):,} characters, more than the {max_chars:,} "
            f"{what} can be; not parsed"
        )
    bad = page.count("\x00") + page.count("\ufffd")
    if "\x00" in page or bad > max(16, len(page) // 200):
        raise error(
            f"{url}: the response is not text in the declared encoding ({bad:,} NUL or "
            f"undecodable characters): binary data or another encoding (UTF-16?), not {what}"
        )
    parser = lxml_html.HTMLParser()
    try:
        doc = lxml_html.fromstring(page, parser=parser)
    except (ValueError, etree.ParserError) as exc:
        raise error(f"{url}: not parseable as HTML ({exc})") from None
    for entry in parser.error_log:
        if entry.level_name == "FATAL" or entry.type_name == "ERR_RESOURCE_LIMIT":
            raise error(
                f"{url}: the HTML exceeds the parser's limits ({entry.message.strip()}): "
                f"nested too deeply or a giant text node, not {what}"
            )
    return doc


def truncation_problem(page: str) -> str | None:
    """Why page looks cut short (no closing </html> at its end), or None."""
    if re.search(r"</html\s*>", page[-65536:], re.I):
        return None
    return f"the page ends without </html> after {len(page):,} characters: truncated"


def json_kind(value: Any) -> str:
    """How a message names a JSON value: a string ('x'), an object, null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    names = {dict: "an object", list: "an array", str: "a string", int: "an integer"}
    shown = f" ({repr(value)[:60]})" if isinstance(value, (str, int, float)) else ""
    return names.get(type(value), "a number") + shown
