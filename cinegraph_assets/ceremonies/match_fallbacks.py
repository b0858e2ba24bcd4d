"""What places a nomination the assignment left unmatched, and the no_film status.

- the film alone (match_on_film_alone): the film matched exactly by one IMDb
  nomination, once on each side of confirmed paired categories; never where the person
  is the nomination;
- elimination (match_by_elimination): the last studio nomination of a category takes
  the last IMDb nomination there if that one names no person;
- film_status: no_film where neither site names a film (a studio sound department).

A match they make records how (NominationMatch.note). See matcher.py for the whole.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from cinegraph_assets.assignment import best_assignment
from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.match_records import (
    ACCEPT,
    FILM_EXACT,
    SAME_FILM,
    Ceremony,
    Component,
    MatchStatus,
    NominationMatch,
)
from cinegraph_assets.ceremonies.match_scoring import company_agrees, title_score
from cinegraph_assets.ceremonies.model import ImdbNomination, OscarsNomination
from cinegraph_assets.text import (
    contains_title,
    looks_like_company,
    same_country,
    title_similarity,
)


def _shares_film(o: OscarsNomination, i: ImdbNomination) -> bool:
    return any(
        title_similarity(f, n) >= SAME_FILM or contains_title(f, n)
        for f in o.films
        for t in i.titles
        for n in (t.title, t.original_title)
        if n
    )


def _disagrees_otherwise(o: OscarsNomination, i: ImdbNomination, kind: str) -> bool:
    """A song or a country that says it is another nomination of the same film."""
    if kind == "song" and o.song_title and i.song_title:
        return title_similarity(o.song_title, i.song_title) < SAME_FILM
    if kind == "international" and o.country and i.notes:
        return not same_country(o.country, i.notes)
    return False


def _pairing_confirmed(c: Ceremony, component: Component, category: str, result) -> bool:
    """Whether the two paired categories are one award: the same era-independent name,
    another nomination of the pair matched on its own similarity, or the same films
    one for one on both sides."""
    paired = component.paired[category]
    canonical = classify(category).canonical_name
    if canonical is not None and canonical == classify(paired).canonical_name:
        return True
    if any(
        m.status == MatchStatus.MATCHED and m.note is None and m.imdb.category == paired
        for r, m in result.items()
        if c.oscars[r].category == category
    ):
        return True
    page = [c.oscars[r] for r in component.rows if c.oscars[r].category == category]
    imdb = [c.imdb[k] for k in component.cols if c.imdb[k].category == paired]
    shared = np.array([[_shares_film(o, i) for i in imdb] for o in page], dtype=float)
    if len(page) != len(imdb) or not shared.size:
        return False
    rows, cols = best_assignment(shared)
    return bool(shared[rows, cols].all())


def _film_alone_candidate(
    c: Ceremony, x: int, component: Component, used: set[int], result
) -> int | None:
    """The column of the one IMDb nomination the film alone points to, if it may: in
    the category paired one-to-one with the nomination's, the film once on each side."""
    o = c.oscars[component.rows[x]]
    info = classify(o.category)
    paired = component.paired.get(o.category)
    if info.tracks_person or not o.films or paired is None:
        return None  # where the person is the nomination, a film alone proves nothing
    if not _pairing_confirmed(c, component, o.category, result):
        return None
    page_side = [r for r in component.rows if c.oscars[r].category == o.category]
    imdb_side = [y for y, k in enumerate(component.cols) if c.imdb[k].category == paired]
    exact = [
        y
        for y in imdb_side
        if component.cols[y] not in used
        and (title_score(o, c.imdb[component.cols[y]]) or 0) >= FILM_EXACT
    ]
    if len(exact) != 1 or not c.imdb[component.cols[exact[0]]].is_oscar:
        return None
    i = c.imdb[component.cols[exact[0]]]
    once_on_imdb = sum(_shares_film(o, c.imdb[component.cols[y]]) for y in imdb_side) == 1
    once_on_page = sum(_shares_film(c.oscars[r], i) for r in page_side) == 1
    if not (once_on_imdb and once_on_page) or _disagrees_otherwise(o, i, info.kind):
        return None
    return exact[0]


def _printed(o: OscarsNomination) -> str:
    return o.statement or "; ".join(o.entities) or ", ".join(o.people) or "-"


def _named(i: ImdbNomination) -> str:
    return (
        ", ".join(p.name for p in i.people)
        or ", ".join(i.companies)
        or ", ".join(t.title for t in i.titles)
        or "-"
    )


def match_on_film_alone(c: Ceremony, m: np.ndarray, component: Component, result, used):
    for x, r in enumerate(component.rows):
        if result[r].status != MatchStatus.UNMATCHED:
            continue
        y = _film_alone_candidate(c, x, component, used, result)
        if y is None:
            continue
        o, i = c.oscars[r], c.imdb[component.cols[y]]
        used.add(component.cols[y])
        score = float(m[x, y])
        note = None  # names agree: the assignment gave the film's nomination to another
        if score < ACCEPT:
            note = (
                f"matched on the film alone: oscars.org names {_printed(o)!r}, "
                f"IMDb names {_named(i)!r}"
            )
        result[r] = NominationMatch(
            o,
            i,
            MatchStatus.MATCHED,
            round(min(score, 1.0), 3),
            None,
            winner_conflict=c.awarded and o.won != i.is_winner,
            note=note,
        )


def _studio_nominee(o: OscarsNomination) -> bool:
    """No film printed, and the nominee is a studio, a department or a company."""
    names = o.people or o.entities
    return not o.films and bool(names) and all(looks_like_company(n) for n in names)


def match_by_elimination(c: Ceremony, rows, cols, result, used) -> None:
    """The last studio nomination left takes the last IMDb nomination left, if that
    names no person (IMDb gives the studio, or a film)."""
    left = [r for r in rows if result[r].status == MatchStatus.UNMATCHED]
    free = [k for k in cols if k not in used]
    if len(left) != 1 or len(free) != 1:
        return
    o, i = c.oscars[left[0]], c.imdb[free[0]]
    if not _studio_nominee(o) or not i.is_oscar or i.people or not (i.titles or i.companies):
        return
    if i.companies and not company_agrees(o, i):
        return
    used.add(free[0])
    result[left[0]] = NominationMatch(
        o,
        i,
        MatchStatus.MATCHED,
        round(min(float(c.full[left[0], free[0]]), 1.0), 3),
        None,
        winner_conflict=c.awarded and o.won != i.is_winner,
        note=f"matched by elimination, the only IMDb nomination left in the category: "
        f"oscars.org names {_printed(o)!r}, IMDb names {_named(i)!r}",
    )


def film_status(match: NominationMatch, *, free: bool) -> NominationMatch:
    """no_film where neither site names a film (nor a person): a studio department.
    free: whether an IMDb nomination of the paired categories is still unassigned."""
    o, i = match.oscars, match.imdb
    if (
        match.status == MatchStatus.MATCHED
        and i is not None
        and not o.films
        and not (i.titles or i.people)
    ):
        return replace(match, status=MatchStatus.NO_FILM)
    if match.status == MatchStatus.UNMATCHED and not free and _studio_nominee(o):
        reason = f"no film on oscars.org and nothing left on IMDb ({match.reason})"
        return replace(match, status=MatchStatus.NO_FILM, reason=reason)
    return match
