"""Categories paired across the two sites, and the nominations assigned inside them.

category_components pairs oscars.org and IMDb categories by content (one-to-one, the
era-independent name only breaking ties; a category IMDb splits or merges joins the one
it overlaps most) and returns the connected components. solve_component assigns a
component's nominations one-to-one, accepts a pair only at ACCEPT or above and without
a rival within TIE_MARGIN (cinegraph_assets/assignment.py), then lets the fallbacks
(match_fallbacks.py) place what is left.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from cinegraph_assets.assignment import best_assignment, rivals
from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.match_fallbacks import (
    film_status,
    match_by_elimination,
    match_on_film_alone,
)
from cinegraph_assets.ceremonies.match_records import (
    ACCEPT,
    NO_CATEGORY,
    SAME_CANONICAL_BONUS,
    TIE_MARGIN,
    Ceremony,
    Component,
    MatchStatus,
    NominationMatch,
)
from cinegraph_assets.ceremonies.match_scoring import category_content
from cinegraph_assets.ceremonies.model import ImdbNomination

# -- categories ----------------------------------------------------------------------


def _groups(items: Sequence, indices: list[int]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for k in indices:
        groups[items[k].category].append(k)
    return groups


def category_components(c: Ceremony, rows: list[int], cols: list[int]) -> list[Component]:
    """Paired categories as connected components."""
    o_groups, i_groups = _groups(c.oscars, rows), _groups(c.imdb, cols)
    o_names, i_names = list(o_groups), list(i_groups)
    content = np.array(
        [
            [category_content(c.full[np.ix_(o_groups[oc], i_groups[ic])]) for ic in i_names]
            for oc in o_names
        ]
    )
    primary: set[tuple[int, int]] = set()
    edges: set[tuple[int, int]] = set()
    if o_names and i_names:
        primary, edges = _pair_categories(
            content,
            [classify(n).canonical_name for n in o_names],
            [classify(n).canonical_name for n in i_names],
            [c.imdb[i_groups[n][0]].is_oscar for n in i_names],
        )
    return [
        Component(
            [r for a in o_cats for r in o_groups[o_names[a]]],
            [k for b in i_cats for k in i_groups[i_names[b]]],
            {o_names[a]: i_names[b] for a, b in primary if a in o_cats},
        )
        for o_cats, i_cats in _connected(len(o_names), len(i_names), edges)
    ]


def _pair_categories(
    content: np.ndarray, canon_o: list, canon_i: list, i_is_oscar: list[bool]
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Pair categories one-to-one by content (names only break ties: the Directing and
    Original Screenplay nominees of one year can be the same four films and people).
    A category left without a partner where IMDb splits or merges categories of an
    era joins the category it overlaps most. Returns (one-to-one pairs, all edges)."""
    edges: set[tuple[int, int]] = set()
    bonus = np.array([[SAME_CANONICAL_BONUS * (a == b) for b in canon_i] for a in canon_o])
    for a, b in zip(*best_assignment(content + bonus), strict=True):
        if content[a, b] >= 0.2:
            edges.add((int(a), int(b)))
    primary = set(edges)
    paired_o = {a for a, _ in edges}
    paired_i = {b for _, b in edges}
    for b in range(content.shape[1]):
        a = int(content[:, b].argmax())
        if b not in paired_i and i_is_oscar[b] and content[a, b] >= 0.2:
            edges.add((a, b))
    for a in range(content.shape[0]):
        b = int(content[a].argmax())
        if a not in paired_o and content[a, b] >= 0.2:
            edges.add((a, b))
    return primary, edges


def _connected(n_o: int, n_i: int, edges: set[tuple[int, int]]) -> list[tuple[list, list]]:
    """Connected components of the category graph: (oscars.org, IMDb) category indices."""
    parent = list(range(n_o + n_i))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(n_o + b)
    components: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for a in range(n_o):
        components[find(a)][0].append(a)
    for b in range(n_i):
        components[find(n_o + b)][1].append(b)
    return list(components.values())


# -- nominations of paired categories ------------------------------------------------


def solve_component(
    c: Ceremony, component: Component
) -> tuple[dict[int, NominationMatch], set[int]]:
    """One assignment for the nominations of a component; returns the IMDb ones used."""
    rows, cols = component.rows, component.cols
    if not rows:
        return {}, set()
    if not cols:
        unpaired = {
            r: NominationMatch(c.oscars[r], None, MatchStatus.UNMATCHED, 0.0, NO_CATEGORY)
            for r in rows
        }
        return {r: film_status(m, free=False) for r, m in unpaired.items()}, set()
    m = c.full[np.ix_(rows, cols)].copy()
    for x, r in enumerate(rows):
        for y, k in enumerate(cols):
            if (
                classify(c.oscars[r].category).canonical_name
                == classify(c.imdb[k].category).canonical_name
            ):
                m[x, y] += SAME_CANONICAL_BONUS
    assigned = dict(zip(*best_assignment(m), strict=True))
    result: dict[int, NominationMatch] = {}
    used: set[int] = set()
    for x, r in enumerate(rows):
        result[r] = _decide(c, m, x, assigned.get(x), rows, cols)
        if result[r].imdb is not None:
            used.add(cols[assigned[x]])
    match_on_film_alone(c, m, component, result, used)
    match_by_elimination(c, rows, cols, result, used)
    free = any(k not in used for k in cols)
    return {r: film_status(match, free=free) for r, match in result.items()}, used


def _decide(c: Ceremony, m: np.ndarray, x: int, y: int | None, rows, cols) -> NominationMatch:
    o = c.oscars[rows[x]]
    if y is None:
        return NominationMatch(
            o,
            None,
            MatchStatus.UNMATCHED,
            0.0,
            "more oscars.org than IMDb nominations in the category",
        )
    score = float(m[x, y])
    if score < ACCEPT:
        best_y = int(m[x].argmax())
        return NominationMatch(
            o,
            None,
            MatchStatus.UNMATCHED,
            round(score, 3),
            f"best IMDb candidate scored {m[x, best_y]:.2f} (< {ACCEPT}): "
            f"{_describe(c.imdb[cols[best_y]])}",
        )
    rival = _rival(m, x, y, rows, cols, c.oscars, c.imdb)
    if rival:
        return NominationMatch(o, None, MatchStatus.AMBIGUOUS, round(score, 3), rival)
    i = c.imdb[cols[y]]
    return NominationMatch(
        o,
        i,
        MatchStatus.MATCHED,
        round(min(score, 1.0), 3),
        None,
        winner_conflict=c.awarded and o.won != i.is_winner,
    )


def _describe(i: ImdbNomination) -> str:
    titles = ", ".join(t.title for t in i.titles) or "-"
    people = ", ".join(p.name for p in i.people) or "-"
    return f"{i.category}: {titles} / {people}"


def _identity(i: ImdbNomination) -> tuple:
    return (
        tuple(sorted(t.id for t in i.titles)),
        tuple(sorted(p.id for p in i.people)),
        i.song_title,
    )


def _rival(m, x, y, rows, cols, oscars, imdb) -> str | None:
    """A different candidate that scores as well makes the choice a coin toss. A rival
    that is the same nomination (same films, people and song) is not one."""
    score = m[x, y]
    chosen = imdb[cols[y]]
    in_row, in_column = rivals(m, x, y, TIE_MARGIN)
    for other in in_row:
        rival = imdb[cols[other]]
        if _identity(rival) != _identity(chosen):
            return f"ambiguous: {_describe(chosen)} and {_describe(rival)} both score {score:.2f}"
    for other in in_column:
        o, rival = oscars[rows[x]], oscars[rows[other]]
        if (o.films, o.statement, o.song_title) != (
            rival.films,
            rival.statement,
            rival.song_title,
        ):
            return (
                f"ambiguous: {_describe(chosen)} fits this nomination and "
                f"{rival.category}: {', '.join(rival.films)} / {rival.statement} equally"
            )
    return None
