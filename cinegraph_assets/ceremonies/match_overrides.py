"""Curated overrides (ceremonies/overrides.csv, read by ceremonies/overrides.py),
applied first: a pinned oscars.org nomination gets the IMDb nomination of the page
carrying the pinned ids, or one made from the ids, and neither takes part in the
category pairing and assignment that follow. An override that pins nothing is kept
with the reason (UnusedOverride).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.match_records import (
    Ceremony,
    MatchStatus,
    NominationMatch,
    UnusedOverride,
)
from cinegraph_assets.ceremonies.model import (
    ImdbNomination,
    ImdbPerson,
    ImdbTitle,
    OscarsNomination,
)
from cinegraph_assets.ceremonies.overrides import Override


def apply_overrides(
    c: Ceremony, overrides: Sequence[Override]
) -> tuple[dict[int, NominationMatch], set[int], list[UnusedOverride]]:
    pinned: dict[int, NominationMatch] = {}
    taken: set[int] = set()
    unused: list[UnusedOverride] = []
    for ov in overrides:
        targets = [r for r, o in enumerate(c.oscars) if ov.applies_to(o)]
        problem = _target_problem(ov, targets, pinned)
        carrier = None
        if problem is None:
            carrier, problem = _carrier(c, ov, targets[0], taken)
        if problem is not None:
            unused.append(UnusedOverride(ov, problem))
            continue
        pinned[targets[0]] = _pinned_match(c, ov, targets[0], carrier)
        if carrier is not None:
            taken.add(carrier)
    return pinned, taken, unused


def _target_problem(
    ov: Override, targets: list[int], pinned: dict[int, NominationMatch]
) -> str | None:
    if not targets:
        return f"no nomination {ov.nominee!r} in {ov.category!r} on the oscars.org page"
    if len(targets) > 1:
        return (
            f"{len(targets)} nominations of {ov.category!r} read {ov.nominee!r}: give the "
            "film slot and the entities slot"
        )
    if targets[0] in pinned:
        return f"the nomination is pinned already ({pinned[targets[0]].override})"
    return None


def _carrier(c: Ceremony, ov: Override, r: int, taken: set[int]) -> tuple[int | None, str | None]:
    """The IMDb nomination of the page carrying all pinned ids (None: there is none)."""
    want_titles, want_names = set(ov.imdb_title_ids), set(ov.imdb_name_ids)
    if not want_titles and not want_names:
        return None, None

    def ids(k: int) -> tuple[set[str], set[str]]:
        return {t.id for t in c.imdb[k].titles}, {p.id for p in c.imdb[k].people}

    found = [
        k
        for k in range(len(c.imdb))
        if want_titles <= ids(k)[0] and want_names <= ids(k)[1] and c.imdb[k].is_oscar
    ]
    canonical = classify(c.oscars[r].category).canonical_name
    found = _narrow(
        found,
        lambda k: k not in taken,
        lambda k: classify(c.imdb[k].category).canonical_name == canonical,
        lambda k: ids(k) == (want_titles, want_names),
    )
    if len(found) > 1:
        return None, (
            f"{len(found)} IMDb nominations carry the pinned ids: pin more ids to tell them apart"
        )
    return (found[0] if found else None), None


def _narrow(found: list[int], *preferences: Callable[[int], bool]) -> list[int]:
    for prefer in preferences:
        if len(found) <= 1:
            break
        found = [k for k in found if prefer(k)] or found
    return found


def _pinned_match(c: Ceremony, ov: Override, r: int, carrier: int | None) -> NominationMatch:
    o = c.oscars[r]
    i = c.imdb[carrier] if carrier is not None else _synthesised(ov, o)
    note = None
    if carrier is None and i is not None:
        note = "the IMDb page has no nomination with the pinned ids: made from the ids"
    return NominationMatch(
        o,
        i,
        MatchStatus.NO_FILM if ov.no_film else MatchStatus.MATCHED,
        1.0,
        None,
        winner_conflict=carrier is not None and c.awarded and o.won != i.is_winner,
        note=note,
        override=ov.describe(),
    )


def _synthesised(ov: Override, o: OscarsNomination) -> ImdbNomination | None:
    """An IMDb nomination made of the pinned ids; names from the page where they line up."""
    if not ov.imdb_title_ids and not ov.imdb_name_ids:
        return None
    films = o.films if len(o.films) == len(ov.imdb_title_ids) else ("",) * len(ov.imdb_title_ids)
    people = o.people if len(o.people) == len(ov.imdb_name_ids) else ("",) * len(ov.imdb_name_ids)
    return ImdbNomination(
        award="Oscar",
        award_id=None,
        category=o.category,
        index=-1,
        is_winner=o.won,
        titles=tuple(ImdbTitle(t, f) for t, f in zip(ov.imdb_title_ids, films, strict=True)),
        people=tuple(ImdbPerson(n, p) for n, p in zip(ov.imdb_name_ids, people, strict=True)),
        notes=f"made from {ov.source}; not on the IMDb page",
    )
