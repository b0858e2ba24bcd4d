"""Recorded upstream pages as a test edits them: nominations dropped, winners unknown."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cinegraph_dev.sample_upstream.server import DATA

_NEXT_DATA = re.compile(r'(<script id="__NEXT_DATA__"[^>]*>)(.*?)(</script>)', re.S)


def imdb_page_edited(year: int, edit, root: Path = DATA, instance: int = 1) -> bytes:
    """The recorded IMDb event page of an IMDb year after edit(its __NEXT_DATA__ JSON);
    root: the data folder holding it (the sample upstream's by default)."""
    page = (root / f"imdb.com/event/ev0000003/{year}/{instance}.html").read_text()
    head, raw, tail = _NEXT_DATA.search(page).groups()
    data = json.loads(raw)
    edit(data)
    return _NEXT_DATA.sub(lambda _m: head + json.dumps(data) + tail, page, count=1).encode()


def _nominations(data):
    for award in data["props"]["pageProps"]["edition"]["awards"]:
        for edge in award["nominationCategories"]["edges"]:
            category = (edge["node"].get("category") or {}).get("text") or award["text"]
            yield category, edge["node"]["nominations"]


def imdb_page_without(year: int, drop) -> bytes:
    """The recorded IMDb event page of a year without the nominations for which
    drop(category text, nomination node) is true (IMDb missing some nominations)."""

    def edit(data):
        for category, nominations in _nominations(data):
            nominations["edges"] = [
                n for n in nominations["edges"] if not drop(category, n["node"])
            ]

    return imdb_page_edited(year, edit)


def imdb_page_before_the_show(year: int) -> bytes:
    """The recorded IMDb event page of a year as it is before the winners are known."""

    def edit(data):
        for _category, nominations in _nominations(data):
            for n in nominations["edges"]:
                n["node"]["isWinner"] = False

    return imdb_page_edited(year, edit)


def oscars_page_edited(year: int, edit) -> bytes:
    """The recorded oscars.org page of a year, as edit(html) changes it."""
    return edit((DATA / f"oscars.org/oscars/ceremonies/{year}.html").read_text()).encode()
