"""TMDb JSON -> rows for movies, people and movie_credits. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


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
