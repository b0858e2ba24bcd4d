"""Stable natural keys for nominations.

A nomination is identified inside its category of a ceremony by what the page prints
in the film slot (the film; the song title for songs; the country for International
Feature). Only where that repeats inside the category (two supporting actors from one
film) is the nominee statement added. The key does not change when the winners are
announced or when a placeholder statement ("Nominees to be determined") is filled in.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from cinegraph_assets.ceremonies.model import ImdbNomination, OscarsNomination
from cinegraph_assets.text import fold


def _dedupe(bases: list[str], extras: list[str]) -> list[str]:
    counts = Counter(bases)
    keys = [b if counts[b] == 1 else f"{b} | {e}" for b, e in zip(bases, extras, strict=True)]
    seen: Counter[str] = Counter()
    out = []
    for key in keys:
        seen[key] += 1
        out.append(key if seen[key] == 1 else f"{key} #{seen[key]}")
    return out


def oscars_keys(nominations: Sequence[OscarsNomination]) -> list[str]:
    """Keys for the nominations of one category, in the given order."""
    bases = [fold(n.film_slot) or fold(" ".join(n.entities)) for n in nominations]
    extras = [fold(n.statement) or fold(" ".join(n.entities)) for n in nominations]
    return _dedupe(bases, extras)


def imdb_keys(nominations: Sequence[ImdbNomination]) -> list[str]:
    """Keys for IMDb-only nominations of one category (Honorary, Sci-Tech...)."""
    bases = [
        "imdb: "
        + (
            fold(" ".join(p.name for p in n.people) + " " + " ".join(n.companies))
            or " ".join(t.id for t in n.titles)
            or "unnamed"
        )
        for n in nominations
    ]
    extras = [hashlib.sha1(fold(n.notes or "").encode()).hexdigest()[:10] for n in nominations]
    return _dedupe(bases, extras)


def edition_keys(nominations: Sequence[ImdbNomination]) -> list[str]:
    """Keys for the nominations of one category of an award body's IMDb edition: the
    IMDb ids it names (films, people), which survive a retitled film or a corrected
    name; companies and notes only where ids do not tell nominations apart."""
    bases = [
        "imdb: "
        + (
            " ".join([t.id for t in n.titles] + [p.id for p in n.people])
            or fold(" ".join(n.companies))
            or "unnamed"
        )
        for n in nominations
    ]
    extras = [
        hashlib.sha1(fold(" ".join(n.companies) + " " + (n.notes or "")).encode()).hexdigest()[:10]
        for n in nominations
    ]
    return _dedupe(bases, extras)
