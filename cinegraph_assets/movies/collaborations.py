"""Who worked with whom on a movie. Pure functions over a movie's credits.

Key people are the top-billed cast (cast_order < 20) and the key crew jobs below.
Every pair of distinct key people is one collaboration of the movie, typed by the
first rule that fits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

KEY_CREW_JOBS = frozenset(
    {
        "Director",
        "Producer",
        "Executive Producer",
        "Screenplay",
        "Writer",
        "Director of Photography",
        "Original Music Composer",
        "Editor",
    }
)
MAX_CAST_ORDER = 20


@dataclass(frozen=True)
class Roles:
    cast: bool = False
    director: bool = False
    crew: bool = False  # key crew other than Director

    def merge(self, other: Roles) -> Roles:
        return Roles(
            self.cast or other.cast, self.director or other.director, self.crew or other.crew
        )


@dataclass(frozen=True)
class CreditRole:
    person_id: int
    credit_type: str
    job: str | None
    cast_order: int | None


def key_people(credits: Iterable[CreditRole]) -> dict[int, Roles]:
    roles: dict[int, Roles] = {}
    for c in credits:
        if c.credit_type == "cast":
            if c.cast_order is None or c.cast_order >= MAX_CAST_ORDER:
                continue
            role = Roles(cast=True)
        elif c.job in KEY_CREW_JOBS:
            role = Roles(director=True) if c.job == "Director" else Roles(crew=True)
        else:
            continue
        roles[c.person_id] = roles.get(c.person_id, Roles()).merge(role)
    return roles


def collaboration_type(a: Roles, b: Roles) -> str:
    if a.cast and b.cast:
        return "actor-actor"
    if (a.cast and b.director) or (a.director and b.cast):
        return "actor-director"
    if a.director and b.director:
        return "director-director"
    if (a.director and b.crew) or (a.crew and b.director):
        return "director-crew"
    if a.crew and b.crew:
        return "crew-crew"
    return "other"


def pairs(roles: dict[int, Roles]) -> list[tuple[int, int, str]]:
    """(person_a_id, person_b_id, type) with person_a_id < person_b_id, sorted."""
    return [
        (a, b, collaboration_type(roles[a], roles[b])) for a, b in combinations(sorted(roles), 2)
    ]
