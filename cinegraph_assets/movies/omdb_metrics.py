"""OMDb JSON -> external_metrics rows. Pure functions.

Every OMDb value is a string; "N/A" means absent; numbers carry ",", "$", "%", "/10".

`check_record` tells a record that is data from a malformed one (the client raises
PermanentUpstreamError naming the URL and the field):
- tolerated: "N/A" or "" for any value, a key that is absent or null, an empty or
  missing Ratings list, a rating from a source we do not know, keys we do not read;
- malformed: an imdbID that is not a tt id or not the film asked for; a value we read
  (Title, Rated, Awards, imdbRating, imdbVotes, Metascore, BoxOffice, Ratings) of
  another type than OMDb sends (an object for Awards, a number for imdbRating);
  Ratings that are not an array of {Source, Value} strings; a number field that is no
  number or outside its scale (imdbRating 0-10, Metascore 0-100, a percentage over
  100, negative votes); markup, control or undecodable characters in Title, Rated or
  Awards; NUL characters or lone surrogates anywhere; nesting deeper than MAX_DEPTH.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from cinegraph_assets.tmdb.records import MAX_DEPTH, MalformedRecord, json_problem
from cinegraph_assets.validation import json_kind, text_problem


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


# The highest value of each number OMDb reports (None: no upper bound).
_NUMBERS = {"imdbRating": 10, "Metascore": 100, "imdbVotes": None, "BoxOffice": None}
_RATING_SCALES = {"Internet Movie Database": 10, "Rotten Tomatoes": 100, "Metacritic": 100}


def _string(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise MalformedRecord(f"{where} is {json_kind(value)}, not a string")
    return value


def _check_number(text: str | None, where: str, high: float | None) -> None:
    if _present(text) is None:
        return
    value = number(text)
    if value is None or not math.isfinite(value):
        raise MalformedRecord(f"{where} {text[:40]!r} is not a number")
    if value < 0 or (high is not None and value > high):
        raise MalformedRecord(f"{where} {text[:40]!r} is outside 0..{high or 'inf'}")


def _check_ratings(ratings: Any) -> None:
    if ratings is None:
        return
    if not isinstance(ratings, list):
        raise MalformedRecord(f"Ratings is {json_kind(ratings)}, not an array")
    for i, rating in enumerate(ratings):
        where = f"Ratings[{i}]"
        if not isinstance(rating, dict):
            raise MalformedRecord(f"{where} is {json_kind(rating)}, not an object")
        source = _string(rating, "Source", f"{where}.Source")
        value = _string(rating, "Value", f"{where}.Value")
        if source in _RATING_SCALES:
            _check_number(value, f"{where}.Value ({source})", _RATING_SCALES[source])


def check_record(data: dict[str, Any], imdb_id: str) -> None:
    """A Response "True" record of the film asked for, of the shape metrics() reads."""
    record_id = _string(data, "imdbID", "imdbID")
    if not record_id or not re.fullmatch(r"tt\d+", record_id):
        raise MalformedRecord(f"imdbID {record_id!r} is not an IMDb title id")
    if record_id != imdb_id:
        raise MalformedRecord(f"imdbID {record_id} is not the film asked for ({imdb_id})")
    for key in ("Title", "Rated", "Awards"):
        text = _string(data, key, key)
        if text and (problem := text_problem(text)):
            raise MalformedRecord(f"{key} {text[:80]!r} {problem}")
    for key, high in _NUMBERS.items():
        _check_number(_string(data, key, key), key, high)
    _check_ratings(data.get("Ratings"))
    if problem := json_problem(data, max_depth=MAX_DEPTH):
        raise MalformedRecord(problem)
