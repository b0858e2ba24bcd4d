"""OMDb JSON -> external_metrics rows. Pure functions.

Every OMDb value is a string; "N/A" means absent; numbers carry ",", "$", "%", "/10".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Metric:
    source: str
    metric_type: str
    value: float | None
    text_value: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def _present(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if not text or text.upper() == "N/A" else text


def number(value: Any) -> float | None:
    """'200,902' -> 200902; '$1,234' -> 1234; '85%' -> 85; '8.0/10' -> 8.0; 'N/A' -> None."""
    text = _present(value)
    if text is None:
        return None
    text = text.split("/")[0].replace(",", "").replace("$", "").replace("%", "").strip()
    try:
        return float(text)
    except ValueError:
        return None


_OSCAR_WINS = re.compile(r"\bWon (\d+) Oscars?\b", re.I)
_OSCAR_NOMS = re.compile(r"\bNominated for (\d+) Oscars?\b", re.I)
_WINS = re.compile(r"(\d+) wins?\b", re.I)
_NOMS = re.compile(r"(\d+) nominations?\b", re.I)


def parse_awards(text: str) -> dict[str, int]:
    """'Won 7 Oscars. 376 wins & 426 nominations total' -> counts.

    Older wording is 'Another 43 wins & 148 nominations': those exclude the Oscars.
    """
    found: dict[str, int] = {}
    if m := _OSCAR_WINS.search(text):
        found["oscar_wins"] = int(m.group(1))
    if m := _OSCAR_NOMS.search(text):
        found["oscar_nominations"] = int(m.group(1))
    if m := _WINS.search(text):
        found["total_wins"] = int(m.group(1))
    if m := _NOMS.search(text):
        found["total_nominations"] = int(m.group(1))
    if re.search(r"\banother\b", text, re.I):
        found["total_wins"] = found.get("total_wins", 0) + found.get("oscar_wins", 0)
        found["total_nominations"] = found.get("total_nominations", 0) + found.get(
            "oscar_nominations", 0
        )
    return found


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


def metrics(data: dict[str, Any]) -> list[Metric]:
    out: list[Metric] = []
    ratings = {
        r.get("Source"): r.get("Value") for r in data.get("Ratings") or [] if isinstance(r, dict)
    }

    rating = _first(number(data.get("imdbRating")), number(ratings.get("Internet Movie Database")))
    if rating is not None:
        out.append(Metric("imdb", "rating_average", rating, metadata={"scale": 10}))
    votes = number(data.get("imdbVotes"))
    if votes is not None:
        out.append(Metric("imdb", "rating_votes", votes))
    metascore = _first(number(data.get("Metascore")), number(ratings.get("Metacritic")))
    if metascore is not None:
        out.append(Metric("metacritic", "metascore", metascore, metadata={"scale": 100}))
    tomatometer = number(ratings.get("Rotten Tomatoes"))
    if tomatometer is not None:
        out.append(Metric("rotten_tomatoes", "tomatometer", tomatometer, metadata={"scale": 100}))
    box_office = number(data.get("BoxOffice"))
    if box_office is not None:
        out.append(Metric("omdb", "revenue_domestic", box_office, metadata={"currency": "USD"}))
    awards = _present(data.get("Awards"))
    if awards is not None:
        counts = parse_awards(awards)
        out.append(Metric("omdb", "awards_summary", counts.get("oscar_wins"), awards, counts))
    rated = _present(data.get("Rated"))
    if rated is not None:
        out.append(Metric("omdb", "content_rating", None, rated))
    return out
