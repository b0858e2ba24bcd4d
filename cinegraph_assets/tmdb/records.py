"""TMDb JSON -> rows for movies, people and movie_credits. Pure functions.

`check_find` and `check_details` tell a TMDb body that is data from one that is
malformed (the clients raise PermanentUpstreamError naming the URL and the field):
- tolerated: null for any optional value (TMDb sends null for an unknown runtime,
  poster, profile, gender...), "" for an unknown release date or IMDb id, an empty
  credits list, keys we do not read (they are kept in tmdb_data as sent);
- malformed: a body that is not an object; a value of another type than TMDb sends
  (a string id, a boolean order, an object for a title); credits that are not an
  object of cast and crew arrays (a missing credits block would wipe the movie's
  stored credits); a credit without an integer person id or a credit_id; a release
  date that is not YYYY-MM-DD; a negative count; a record for another TMDb id than
  asked (asked by IMDb id: a record without a positive integer TMDb id; its IMDb id
  may differ, see store.py); markup, control or undecodable characters in a title or
  name; NUL characters or lone surrogates anywhere (PostgreSQL cannot store them);
  nesting deeper than MAX_DEPTH levels; find results (movie, tv, tv episode) that are
  not objects with an integer id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from cinegraph_assets.validation import json_kind, text_problem

MAX_DEPTH = 32  # real bodies are about 6 levels deep
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_IMDB_ID = re.compile(r"tt\d+")


class MalformedRecord(ValueError):
    """A body that decoded as JSON but has the wrong shape; the message names the field."""


@dataclass(frozen=True)
class Credit:
    credit_id: str
    tmdb_person_id: int
    name: str
    credit_type: str  # cast | crew
    department: str | None
    job: str | None
    character: str | None
    cast_order: int | None
    known_for_department: str | None
    gender: int | None
    profile_path: str | None
    popularity: float | None


def json_problem(value: Any, *, max_depth: int = MAX_DEPTH) -> str | None:
    """Why a decoded body cannot be stored as JSON (too deep, NUL, lone surrogate)."""
    stack = [(value, 1, "")]
    while stack:
        item, depth, where = stack.pop()
        if depth > max_depth:
            return f"{where} is nested more than {max_depth} levels deep"
        if isinstance(item, dict):
            for key, child in item.items():
                if _UNSTORABLE.search(key):
                    return f"a key of {where or 'the body'} contains a NUL or lone surrogate"
                stack.append((child, depth + 1, f"{where}.{key}" if where else key))
        elif isinstance(item, list):
            stack.extend((child, depth + 1, f"{where}[{i}]") for i, child in enumerate(item))
        elif isinstance(item, str) and _UNSTORABLE.search(item):
            return f"{where or 'the body'} contains a NUL character or a lone surrogate"
    return None


def _field(obj: dict, key: str, kind: str, where: str, *, required: bool = False) -> Any:
    """obj[key] if null/absent (unless required) or of kind: text, int, count, number."""
    value = obj.get(key)
    at = f"{where}.{key}" if where else key
    if value is None:
        if required:
            raise MalformedRecord(f"{at} is missing")
        return None
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = {
        "text": isinstance(value, str),
        "int": numeric and isinstance(value, int),
        "count": numeric and isinstance(value, int) and value >= 0,
        "number": numeric,
    }[kind]
    if not ok:
        expected = {"text": "a string", "int": "an integer", "count": "a non-negative integer"}
        raise MalformedRecord(f"{at} is {json_kind(value)}, not {expected.get(kind, 'a number')}")
    return value


def _name_field(obj: dict, key: str, where: str) -> None:
    text = _field(obj, key, "text", where)
    if text and (problem := text_problem(text)):
        raise MalformedRecord(f"{f'{where}.{key}' if where else key} {text[:80]!r} {problem}")


# The find arrays read besides movie_results: they tell a series from an unknown id.
NOT_FILM_RESULTS = {"tv_results": "TV series", "tv_episode_results": "TV episode"}


def _check_results(data: dict[str, Any], key: str, *, required: bool) -> None:
    results = data.get(key)
    if results is None and not required:
        return
    if not isinstance(results, list):
        raise MalformedRecord(f"{key} is {json_kind(results)}, not an array")
    for i, result in enumerate(results):
        if not isinstance(result, dict):
            raise MalformedRecord(f"{key}[{i}] is {json_kind(result)}, not an object")
        if _field(result, "id", "int", f"{key}[{i}]", required=True) <= 0:
            raise MalformedRecord(f"{key}[{i}].id {result['id']} is not a TMDb id")


def check_find(data: dict[str, Any]) -> None:
    """A /3/find answer: movie_results (and tv_results, tv_episode_results when sent)
    are arrays of objects with an integer id."""
    _check_results(data, "movie_results", required=True)
    for key in NOT_FILM_RESULTS:
        _check_results(data, key, required=False)
    if problem := json_problem(data):
        raise MalformedRecord(problem)


_DETAIL_TEXT = (
    "overview",
    "tagline",
    "status",
    "original_language",
    "poster_path",
    "backdrop_path",
)
_DETAIL_NUMBERS = {"runtime": "count", "vote_count": "count", "budget": "count"}
_DETAIL_NUMBERS |= {"revenue": "count", "popularity": "number", "vote_average": "number"}
_CREDIT_TEXT = ("department", "job", "known_for_department", "profile_path")


def _check_credit(c: Any, kind: str, where: str) -> None:
    if not isinstance(c, dict):
        raise MalformedRecord(f"{where} is {json_kind(c)}, not an object")
    if _field(c, "id", "int", where, required=True) <= 0:
        raise MalformedRecord(f"{where}.id {c['id']} is not a TMDb person id")
    if not _field(c, "credit_id", "text", where, required=True):
        raise MalformedRecord(f"{where}.credit_id is empty")
    for key in ("name", "original_name", "character"):
        _name_field(c, key, where)
    for key in _CREDIT_TEXT:
        _field(c, key, "text", where)
    _field(c, "gender", "int", where)
    _field(c, "popularity", "number", where)
    if kind == "cast":
        _field(c, "order", "count", where)


def check_details(details: dict[str, Any], tmdb_id: int | None = None) -> None:
    """A /3/movie/{id} answer with credits appended: for the TMDb id asked for, or,
    asked by IMDb id (tmdb_id None), a movie record with a TMDb id of its own. Its IMDb
    id may be another than asked: TMDb resolves two IMDb ids to one film (store.py)."""
    found = _field(details, "id", "int", "", required=True)
    if tmdb_id is not None and found != tmdb_id:
        raise MalformedRecord(f"id {found} is not the TMDb id asked for ({tmdb_id})")
    if found <= 0:
        raise MalformedRecord(f"id {found} is not a TMDb id")
    for key in ("title", "original_title"):
        _name_field(details, key, "")
    for key in _DETAIL_TEXT:
        _field(details, key, "text", "")
    for key, kind in _DETAIL_NUMBERS.items():
        _field(details, key, kind, "")
    released = _field(details, "release_date", "text", "")
    if released and (not _ISO_DATE.fullmatch(released) or parse_date(released) is None):
        raise MalformedRecord(f"release_date {released[:40]!r} is not a YYYY-MM-DD date")
    external = details.get("external_ids")
    if external is not None and not isinstance(external, dict):
        raise MalformedRecord(f"external_ids is {json_kind(external)}, not an object")
    for obj, where in ((details, ""), (external or {}, "external_ids")):
        imdb_id = _field(obj, "imdb_id", "text", where)
        if imdb_id and not _IMDB_ID.fullmatch(imdb_id):
            at = f"{where}.imdb_id" if where else "imdb_id"
            raise MalformedRecord(f"{at} {imdb_id[:40]!r} is not an IMDb title id")
    block = details.get("credits")
    if not isinstance(block, dict):
        raise MalformedRecord(f"credits is {json_kind(block)}, not an object of cast and crew")
    for kind in ("cast", "crew"):
        members = block.get(kind)
        if not isinstance(members, list):
            raise MalformedRecord(f"credits.{kind} is {json_kind(members)}, not an array")
        for i, c in enumerate(members):
            _check_credit(c, kind, f"credits.{kind}[{i}]")
    if problem := json_problem(details):
        raise MalformedRecord(problem)


def parse_date(value: Any) -> date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def movie_columns(details: dict[str, Any]) -> dict[str, Any]:
    """The movies columns TMDb fills in. 0 budget/revenue/runtime mean unknown."""
    return {
        "tmdb_id": _int(details.get("id")),
        "title": details.get("title") or None,
        "original_title": details.get("original_title") or None,
        "release_date": parse_date(details.get("release_date")),
        "runtime": _int(details.get("runtime")) or None,
        "overview": details.get("overview") or None,
        "tagline": details.get("tagline") or None,
        "status": details.get("status") or None,
        "original_language": details.get("original_language") or None,
        "poster_path": details.get("poster_path") or None,
        "backdrop_path": details.get("backdrop_path") or None,
        "popularity": _float(details.get("popularity")),
        "vote_average": _float(details.get("vote_average")),
        "vote_count": _int(details.get("vote_count")),
        "budget": _int(details.get("budget")) or None,
        "revenue": _int(details.get("revenue")) or None,
    }


def credits(details: dict[str, Any]) -> list[Credit]:
    block = details.get("credits") or {}
    out: list[Credit] = []
    for kind in ("cast", "crew"):
        for c in block.get(kind) or []:
            if not isinstance(c, dict) or not c.get("credit_id") or _int(c.get("id")) is None:
                continue
            out.append(
                Credit(
                    credit_id=str(c["credit_id"]),
                    tmdb_person_id=int(c["id"]),
                    name=c.get("name") or c.get("original_name") or "",
                    credit_type=kind,
                    department=c.get("department") or ("Acting" if kind == "cast" else None),
                    job=c.get("job") or ("Actor" if kind == "cast" else None),
                    character=c.get("character") if kind == "cast" else None,
                    cast_order=_int(c.get("order")) if kind == "cast" else None,
                    known_for_department=c.get("known_for_department"),
                    gender=_int(c.get("gender")),
                    profile_path=c.get("profile_path"),
                    popularity=_float(c.get("popularity")),
                )
            )
    return out


def imdb_id_of(details: dict[str, Any]) -> str | None:
    return details.get("imdb_id") or (details.get("external_ids") or {}).get("imdb_id")


@dataclass(frozen=True)
class TmdbMovie:
    """A TMDb movie answer, read once at the asset edge (after check_details accepted
    its shape): what the code uses by name, the movies columns it fills, its credits,
    and the answer as given, kept in movies.tmdb_data."""

    tmdb_id: int | None
    imdb_id: str | None  # the IMDb id TMDb's own record names
    title: str | None
    release_date: date | None
    columns: dict[str, Any]  # movie_columns: every movies column TMDb fills
    credits: tuple[Credit, ...]
    raw: dict[str, Any]


def parse_movie(details: dict[str, Any]) -> TmdbMovie:
    columns = movie_columns(details)
    return TmdbMovie(
        tmdb_id=columns["tmdb_id"],
        imdb_id=imdb_id_of(details),
        title=columns["title"],
        release_date=columns["release_date"],
        columns=columns,
        credits=tuple(credits(details)),
        raw=details,
    )
