"""Matches every oscars.org nomination to its IMDb nomination, or to none.

Category names differ between the two sites and across eras, so categories are paired
by what they contain (which films and people), with the era-independent category name
only as a tie-breaker. Inside paired categories, nominations are assigned one-to-one
(Hungarian algorithm) on a similarity that combines titles, people, song titles and
countries, so one film nominated twice in a category (two songs, two supporting actors)
gets the right IMDb nomination each time. A pair is accepted only above a threshold and
only when no other candidate scores as well: the matcher never invents a match.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.model import ImdbNomination, OscarsNomination
from cinegraph_assets.ceremonies.text import (
    contains_title,
    fold,
    name_in_text,
    name_similarity,
    title_similarity,
)

ACCEPT = 0.6  # below this a pair is not a match
TIE_MARGIN = 0.015  # a rival this close makes the match ambiguous
WINNER_BONUS = 0.03
SAME_CANONICAL_BONUS = 0.02


@dataclass(frozen=True)
class NominationMatch:
    oscars: OscarsNomination
    imdb: ImdbNomination | None
    status: str  # matched | unmatched | ambiguous
    score: float
    reason: str | None = None
    winner_conflict: bool = False


@dataclass(frozen=True)
class CeremonyMatch:
    matches: tuple[NominationMatch, ...]
    category_map: dict[str, list[str]]
    imdb_only: tuple[ImdbNomination, ...]  # awards IMDb lists and oscars.org does not
    imdb_unassigned: tuple[ImdbNomination, ...] = field(default=())  # Oscar ones left over

    @property
    def matched(self) -> list[NominationMatch]:
        return [m for m in self.matches if m.status == "matched"]

    @property
    def match_rate(self) -> float:
        return len(self.matched) / len(self.matches) if self.matches else 1.0


def _title_score(o: OscarsNomination, i: ImdbNomination) -> float | None:
    if not o.films or not i.titles:
        return None

    def best(film: str, t) -> float:
        names = [x for x in (t.title, t.original_title) if x]
        score = max(title_similarity(film, n) for n in names)
        if score < 0.95 and any(contains_title(film, n) for n in names) and len(o.films) == 1:
            score = max(score, 0.95)  # several films printed in one slot
        return score

    imdb_side = sum(max(best(f, t) for f in o.films) for t in i.titles) / len(i.titles)
    oscars_side = 0.0
    for film in o.films:
        contained = [
            t
            for t in i.titles
            if any(contains_title(film, n) for n in (t.title, t.original_title) if n)
        ]
        if len(i.titles) > 1 and len(contained) == len(i.titles):
            oscars_side += 1.0
        else:
            oscars_side += max(best(film, t) for t in i.titles)
    oscars_side /= len(o.films)
    return (imdb_side + oscars_side) / 2


def _name_score(o: OscarsNomination, i: ImdbNomination) -> float | None:
    imdb_names = [p.name for p in i.people]
    if not imdb_names or o.placeholder:
        return None
    text = " ; ".join((o.statement, *o.entities))
    if not text.strip():
        return None

    def named(n: str) -> bool:
        return name_in_text(n, text) or any(name_similarity(n, p) >= 0.85 for p in o.people)

    imdb_cov = sum(named(n) for n in imdb_names) / len(imdb_names)
    people = [p for p in o.people if not _COMPANY.search(p)] if i.companies else list(o.people)
    if not people:
        return imdb_cov
    oscars_cov = sum(max(name_similarity(p, n) for n in imdb_names) >= 0.85 for p in people) / len(
        people
    )
    return (imdb_cov + oscars_cov) / 2


_COMPANY = re.compile(
    r"\b(?:pictures?|productions?|studios?|corporation|corp|company|co|inc|ltd|films?|"
    r"department|bros|brothers|publix|artists|lasky|metro|mayer|goldwyn|fox|paramount|"
    r"universal|warner|columbia|rko|radio|mgm|disney|cosmopolitan)\b",
    re.I,
)
_GENERIC = {
    "pictures",
    "picture",
    "productions",
    "production",
    "studios",
    "studio",
    "corporation",
    "corp",
    "company",
    "co",
    "inc",
    "ltd",
    "film",
    "films",
    "the",
    "and",
    "of",
    "department",
    "sound",
    "bros",
    "brothers",
    "distributing",
}


def _company_score(o: OscarsNomination, i: ImdbNomination) -> float | None:
    """Studios are named loosely ("Fox" / "Fox Film Corporation"): agreement counts,
    disagreement is no evidence either way."""
    if not i.companies:
        return None
    printed = set(fold(" ".join((o.statement, *o.entities))).split()) - _GENERIC
    for company in i.companies:
        if printed & (set(fold(company).split()) - _GENERIC):
            return 1.0
    return None


def similarity(o: OscarsNomination, i: ImdbNomination, kind: str) -> float:
    parts: list[tuple[float, float]] = []
    title = _title_score(o, i)
    if title is not None:
        parts.append((title, 1.0))
    names = _name_score(o, i)
    if names is not None:
        parts.append((names, 1.0))
    companies = _company_score(o, i)
    if companies is not None:
        parts.append((companies, 0.5))
    if not parts:
        return 0.0
    if kind == "song" and o.song_title and i.song_title:
        parts.append((title_similarity(o.song_title, i.song_title), 1.5))
    if kind == "international" and o.country and i.notes:
        same = fold(o.country) == fold(i.notes) or fold(o.country) in fold(i.notes)
        parts.append((1.0 if same else 0.0, 0.5))
    return sum(s * w for s, w in parts) / sum(w for _, w in parts)


def _score_matrix(
    os_: Sequence[OscarsNomination], is_: Sequence[ImdbNomination], awarded: bool
) -> np.ndarray:
    m = np.zeros((len(os_), len(is_)))
    for a, o in enumerate(os_):
        kind = classify(o.category).kind
        for b, i in enumerate(is_):
            s = similarity(o, i, kind)
            if awarded and s > 0 and o.won == i.is_winner:
                s += WINNER_BONUS
            m[a, b] = s
    return m


def _category_content(m: np.ndarray) -> float:
    """How well two categories' nominations pair up, penalising unequal sizes."""
    if m.size == 0:
        return 0.0
    rows, cols = linear_sum_assignment(-m)
    return float(m[rows, cols].sum()) / max(m.shape)


def _describe(i: ImdbNomination) -> str:
    titles = ", ".join(t.title for t in i.titles) or "-"
    people = ", ".join(p.name for p in i.people) or "-"
    return f"{i.category}: {titles} / {people}"


def match_ceremony(
    oscars: Sequence[OscarsNomination], imdb: Sequence[ImdbNomination], *, awarded: bool
) -> CeremonyMatch:
    o_groups: dict[str, list[OscarsNomination]] = defaultdict(list)
    for o in oscars:
        o_groups[o.category].append(o)
    i_groups: dict[str, list[ImdbNomination]] = defaultdict(list)
    for i in imdb:
        i_groups[i.category].append(i)
    o_names, i_names = list(o_groups), list(i_groups)

    full = _score_matrix(oscars, imdb, awarded)
    o_index = {id(o): k for k, o in enumerate(oscars)}
    i_index = {id(i): k for k, i in enumerate(imdb)}

    def block(oc: str, ic: str) -> np.ndarray:
        rows = [o_index[id(o)] for o in o_groups[oc]]
        cols = [i_index[id(i)] for i in i_groups[ic]]
        return full[np.ix_(rows, cols)]

    content = np.array([[_category_content(block(oc, ic)) for ic in i_names] for oc in o_names])
    canon_o = [classify(n).canonical_name for n in o_names]
    canon_i = [classify(n).canonical_name for n in i_names]

    # Pair categories one-to-one by content (names only break ties: the Directing and
    # Original Screenplay nominees of one year can be the same four films and people).
    # A category left without a partner where IMDb splits or merges categories of an
    # era joins the category it overlaps most.
    edges: set[tuple[int, int]] = set()
    if o_names and i_names:
        bonus = np.array([[SAME_CANONICAL_BONUS * (a == b) for b in canon_i] for a in canon_o])
        for a, b in zip(*linear_sum_assignment(-(content + bonus)), strict=True):
            if content[a, b] >= 0.2:
                edges.add((int(a), int(b)))
        paired_o = {a for a, _ in edges}
        paired_i = {b for _, b in edges}
        for b in range(len(i_names)):
            a = int(content[:, b].argmax())
            if b not in paired_i and i_groups[i_names[b]][0].is_oscar and content[a, b] >= 0.2:
                edges.add((a, b))
        for a in range(len(o_names)):
            b = int(content[a].argmax())
            if a not in paired_o and content[a, b] >= 0.2:
                edges.add((a, b))

    # Connected components of the category graph, solved one assignment each.
    parent = list(range(len(o_names) + len(i_names)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(len(o_names) + b)
    components: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for a in range(len(o_names)):
        components[find(a)][0].append(a)
    for b in range(len(i_names)):
        components[find(len(o_names) + b)][1].append(b)

    result: dict[int, NominationMatch] = {}
    used_imdb: set[int] = set()
    category_map: dict[str, list[str]] = {n: [] for n in o_names}
    for a, b in sorted(edges):
        category_map[o_names[a]].append(i_names[b])

    for o_cats, i_cats in components.values():
        rows = [o_index[id(o)] for a in o_cats for o in o_groups[o_names[a]]]
        cols = [i_index[id(i)] for b in i_cats for i in i_groups[i_names[b]]]
        if not rows:
            continue
        if not cols:
            for r in rows:
                result[r] = NominationMatch(
                    oscars[r],
                    None,
                    "unmatched",
                    0.0,
                    "no IMDb category holds this nomination's films",
                )
            continue
        m = full[np.ix_(rows, cols)].copy()
        for x, r in enumerate(rows):
            for y, c in enumerate(cols):
                if (
                    classify(oscars[r].category).canonical_name
                    == classify(imdb[c].category).canonical_name
                ):
                    m[x, y] += SAME_CANONICAL_BONUS
        assigned = dict(zip(*linear_sum_assignment(-m), strict=True))
        for x, r in enumerate(rows):
            o = oscars[r]
            y = assigned.get(x)
            if y is None:
                result[r] = NominationMatch(
                    o,
                    None,
                    "unmatched",
                    0.0,
                    "more oscars.org than IMDb nominations in the category",
                )
                continue
            score = float(m[x, y])
            i = imdb[cols[y]]
            if score < ACCEPT:
                best_y = int(m[x].argmax())
                result[r] = NominationMatch(
                    o,
                    None,
                    "unmatched",
                    round(score, 3),
                    f"best IMDb candidate scored {m[x, best_y]:.2f} (< {ACCEPT}): "
                    f"{_describe(imdb[cols[best_y]])}",
                )
                continue
            rival = _rival(m, x, y, rows, cols, oscars, imdb)
            if rival:
                result[r] = NominationMatch(o, None, "ambiguous", round(score, 3), rival)
                continue
            used_imdb.add(cols[y])
            result[r] = NominationMatch(
                o,
                i,
                "matched",
                round(min(score, 1.0), 3),
                None,
                winner_conflict=awarded and o.won != i.is_winner,
            )

    for r, o in enumerate(oscars):
        result.setdefault(
            r,
            NominationMatch(
                o, None, "unmatched", 0.0, "no IMDb category holds this nomination's films"
            ),
        )

    leftovers = [i for k, i in enumerate(imdb) if k not in used_imdb]
    imdb_only = tuple(i for i in leftovers if not i.is_oscar)
    unassigned = tuple(i for i in leftovers if i.is_oscar)
    return CeremonyMatch(
        matches=tuple(result[r] for r in range(len(oscars))),
        category_map=category_map,
        imdb_only=imdb_only,
        imdb_unassigned=unassigned,
    )


def _identity(i: ImdbNomination) -> tuple:
    return (
        tuple(sorted(t.id for t in i.titles)),
        tuple(sorted(p.id for p in i.people)),
        i.song_title,
    )


def _rival(m, x, y, rows, cols, oscars, imdb) -> str | None:
    """A different candidate that scores as well makes the choice a coin toss."""
    score = m[x, y]
    chosen = imdb[cols[y]]
    for other in range(m.shape[1]):
        if other != y and m[x, other] >= score - TIE_MARGIN:
            rival = imdb[cols[other]]
            if _identity(rival) != _identity(chosen):
                return (
                    f"ambiguous: {_describe(chosen)} and {_describe(rival)} both score {score:.2f}"
                )
    for other in range(m.shape[0]):
        if other != x and m[other, y] >= score - TIE_MARGIN:
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
