"""Matches every oscars.org nomination to its IMDb nomination, or to none.

Curated overrides (ceremonies/overrides.csv) are applied first: a pinned nomination
gets the IMDb nomination carrying the pinned ids, and neither takes part in what
follows. Category names differ between the two sites and across eras, so categories
are paired by what they contain (which films and people), with the era-independent
category name only as a tie-breaker. Inside paired categories, nominations are
assigned one-to-one (Hungarian algorithm) on a similarity that combines titles,
people, studios, song titles and countries, so one film nominated twice in a category
(two songs, two supporting actors) gets the right IMDb nomination each time. A pair is
accepted only above a threshold and only when no other candidate scores as well: the
matcher never invents a match. Two narrow rules then place what nothing else could be
the counterpart of, and record how (NominationMatch.note):

- the film alone: a nomination whose film is matched exactly by one IMDb nomination,
  the film occurring once in the paired categories on each side, is matched although
  the names disagree (a pseudonym, "J. Arthur Rank-Archers" for Powell and
  Pressburger); never where the person is the nomination (acting, directing);
- elimination: the last film-less studio or department nomination of a category takes
  the last IMDb nomination there if that one names no person.

A nomination with no film on the page whose IMDb counterpart names no film and no
person either (a studio sound department) has the status no_film; so has such a
studio nomination for which IMDb has nothing left.

Kinds of difference between the two sites the similarity itself absorbs:
- an award given to a film: oscars.org names the film in the honoree slot of a
  non-competitive category (Honorary Award: "Rashomon"), IMDb lists a non-competitive
  award with the film as its title and no person. Where the page prints no film and
  the IMDb nomination names titles and nobody, the honoree slot is read as the film;
- diacritics on one side only ("Les Misérables" / "Les Miserables", "Guðnadóttir" /
  "Gudnadottir", "Köpenick" / "Kopenick"): titles and names are compared folded
  (text.fold), accents dropped and letters without a decomposition spelled out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from cinegraph_assets.assignment import best_assignment, rivals
from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.model import (
    ImdbNomination,
    ImdbPerson,
    ImdbTitle,
    OscarsNomination,
)
from cinegraph_assets.ceremonies.overrides import Override
from cinegraph_assets.text import (
    COMPANY,
    company_similarity,
    contains_title,
    country_key,
    fold,
    looks_like_company,
    name_in_text,
    name_similarity,
    norm_title,
    same_country,
    title_similarity,
)

ACCEPT = 0.6  # below this a pair is not a match
# A rival this close makes the match ambiguous. Wider than people_store's 0.005: a score
# averages several noisy fields, and stays below the bonuses so that they still decide
# (cinegraph_assets/assignment.py says more).
TIE_MARGIN = 0.015
WINNER_BONUS = 0.03
SAME_CANONICAL_BONUS = 0.02
FILM_EXACT = 0.999  # title score of "the film matches exactly"
SAME_FILM = 0.9  # title similarity at which two nominations are of one film
SAME_COMPANY = 0.5

_NO_CATEGORY = "no IMDb category holds this nomination's films"


@dataclass(frozen=True)
class NominationMatch:
    oscars: OscarsNomination
    imdb: ImdbNomination | None
    status: str  # matched | unmatched | ambiguous | no_film
    score: float
    reason: str | None = None  # why there is no match
    winner_conflict: bool = False
    # How a match was made where the similarity alone did not make it: "matched on the
    # film alone: oscars.org names 'X', IMDb names 'Y'", "matched by elimination: ...".
    note: str | None = None
    override: str | None = None  # the override row that decided it: "overrides.csv line 7: why"


@dataclass(frozen=True)
class UnusedOverride:
    """An override of the ceremony that pinned nothing, and why."""

    override: Override
    reason: str


@dataclass(frozen=True)
class CeremonyMatch:
    matches: tuple[NominationMatch, ...]
    imdb_only: tuple[ImdbNomination, ...]  # awards IMDb lists and oscars.org does not
    imdb_unassigned: tuple[ImdbNomination, ...] = field(default=())  # Oscar ones left over
    unused_overrides: tuple[UnusedOverride, ...] = field(default=())

    @property
    def matched(self) -> list[NominationMatch]:
        return [m for m in self.matches if m.status == "matched"]

    @property
    def no_film(self) -> list[NominationMatch]:
        return [m for m in self.matches if m.status == "no_film"]

    @property
    def match_rate(self) -> float:
        """Share of nominations matched or known to have no film to match."""
        done = len(self.matched) + len(self.no_film)
        return done / len(self.matches) if self.matches else 1.0


# -- similarity ----------------------------------------------------------------------


def _films(o: OscarsNomination, i: ImdbNomination) -> tuple[str, ...]:
    """The films o names, compared with i's titles: the film slot, or the honoree slot
    of an award given to a film (IMDb: a title and no person, outside the competition)."""
    if o.films or not i.titles or i.people:
        return o.films
    return o.entities if not classify(o.category).is_competitive else ()


def _title_score(o: OscarsNomination, i: ImdbNomination) -> float | None:
    films = _films(o, i)
    if not films or not i.titles:
        return None

    def best(film: str, t) -> float:
        names = [x for x in (t.title, t.original_title) if x]
        score = max(title_similarity(film, n) for n in names)
        if score < 0.95 and any(contains_title(film, n) for n in names) and len(films) == 1:
            score = max(score, 0.95)  # several films printed in one slot
        return score

    imdb_side = sum(max(best(f, t) for f in films) for t in i.titles) / len(i.titles)
    oscars_side = 0.0
    for film in films:
        contained = [
            t
            for t in i.titles
            if any(contains_title(film, n) for n in (t.title, t.original_title) if n)
        ]
        if len(i.titles) > 1 and len(contained) == len(i.titles):
            oscars_side += 1.0
        else:
            oscars_side += max(best(film, t) for t in i.titles)
    oscars_side /= len(films)
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
    people = [p for p in o.people if not COMPANY.search(p)] if i.companies else list(o.people)
    if not people:
        return imdb_cov
    oscars_cov = sum(max(name_similarity(p, n) for n in imdb_names) >= 0.85 for p in people) / len(
        people
    )
    return (imdb_cov + oscars_cov) / 2


def _company_agrees(o: OscarsNomination, i: ImdbNomination) -> bool:
    printed = [p for p in (*o.people, *o.entities, o.statement) if p]
    return any(company_similarity(p, c) >= SAME_COMPANY for p in printed for c in i.companies)


def _company_score(o: OscarsNomination, i: ImdbNomination) -> float | None:
    """Studios are named loosely ("Fox" / "Fox Film Corporation"): agreement counts,
    disagreement is no evidence either way."""
    if not i.companies:
        return None
    return 1.0 if _company_agrees(o, i) else None


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
        parts.append((1.0 if same_country(o.country, i.notes) else 0.0, 0.5))
    return sum(s * w for s, w in parts) / sum(w for _, w in parts)


# Words that say nothing about which nomination it is: left out of the blocking keys.
_UNINFORMATIVE = {
    "the", "and", "of", "a", "an", "in", "on", "for", "to", "by", "with", "from", "at",
    "de", "la", "le", "les", "des", "du", "et", "der", "die", "das", "und", "el", "il",
    "producer", "producers", "screenplay", "written", "story", "music", "lyric", "lyrics",
    "sound", "design", "production", "set", "decoration", "effects", "visual", "director",
    "directors", "art", "makeup", "hairstyling", "costume", "jr", "sr", "song",
}  # fmt: skip


def _keys(texts) -> set[str]:
    """Blocking keys of some titles and names: their words, with 4-letter prefixes of
    long words so a typo at a word's end still meets its counterpart."""
    keys: set[str] = set()
    for text in texts:
        for word in norm_title(text).split() + fold(text).split():
            if word in _UNINFORMATIVE or (len(word) < 3 and not word.isdigit()):
                continue
            keys.add(word)
            if len(word) >= 5:
                keys.add(word[:4])
    return keys


def _oscars_keys(o: OscarsNomination) -> set[str]:
    return _keys((*o.films, *o.people, *o.entities, o.statement, o.song_title or "",
                  country_key(o.country)))  # fmt: skip


def _imdb_keys(i: ImdbNomination) -> set[str]:
    titles = [x for t in i.titles for x in (t.title, t.original_title) if x]
    return _keys((*titles, *(p.name for p in i.people), *i.companies, i.notes or "",
                  i.song_title or "", country_key(i.notes)))  # fmt: skip


def _score_matrix(
    os_: Sequence[OscarsNomination],
    is_: Sequence[ImdbNomination],
    awarded: bool,
    *,
    every_pair: bool = False,
) -> np.ndarray:
    """Similarity of every oscars.org x IMDb nomination. Pairs that share no title,
    name, company or country word are not compared (they score 0): their similarity
    is below any acceptance, and a ceremony's 120 x 140 pairs shrink to a few
    candidates per nomination."""
    postings: dict[str, list[int]] = defaultdict(list)
    for b, i in enumerate(is_):
        for key in _imdb_keys(i):
            postings[key].append(b)
    m = np.zeros((len(os_), len(is_)))
    for a, o in enumerate(os_):
        kind = classify(o.category).kind
        candidates = (
            range(len(is_))
            if every_pair
            else {b for key in _oscars_keys(o) for b in postings.get(key, ())}
        )
        for b in candidates:
            i = is_[b]
            s = similarity(o, i, kind)
            if awarded and s > 0 and o.won == i.is_winner:
                s += WINNER_BONUS
            m[a, b] = s
    return m


def _category_content(m: np.ndarray) -> float:
    """How well two categories' nominations pair up, penalising unequal sizes."""
    if m.size == 0:
        return 0.0
    rows, cols = best_assignment(m)
    return float(m[rows, cols].sum()) / max(m.shape)


def _describe(i: ImdbNomination) -> str:
    titles = ", ".join(t.title for t in i.titles) or "-"
    people = ", ".join(p.name for p in i.people) or "-"
    return f"{i.category}: {titles} / {people}"


@dataclass(frozen=True)
class _Ceremony:
    """The inputs of one match; nominations are referred to by their index."""

    oscars: Sequence[OscarsNomination]
    imdb: Sequence[ImdbNomination]
    full: np.ndarray  # similarity of every oscars.org x IMDb nomination
    awarded: bool


def match_ceremony(
    oscars: Sequence[OscarsNomination],
    imdb: Sequence[ImdbNomination],
    *,
    awarded: bool,
    overrides: Sequence[Override] = (),
    every_pair: bool = False,
) -> CeremonyMatch:
    """overrides: the curated pins of this ceremony (overrides.overrides_for(year));
    every_pair: score all pairs, not only those sharing a word (for audits; the same
    result, slower)."""
    full = _score_matrix(oscars, imdb, awarded, every_pair=every_pair)
    c = _Ceremony(list(oscars), list(imdb), full, awarded)
    result, used, unused = _apply_overrides(c, overrides)
    rows = [r for r in range(len(c.oscars)) if r not in result]
    cols = [k for k in range(len(c.imdb)) if k not in used]
    for component in _components(c, rows, cols):
        matches, taken = _solve_component(c, component)
        result.update(matches)
        used |= taken
    for r in rows:
        result.setdefault(r, NominationMatch(c.oscars[r], None, "unmatched", 0.0, _NO_CATEGORY))
    leftovers = [i for k, i in enumerate(c.imdb) if k not in used]
    return CeremonyMatch(
        matches=tuple(result[r] for r in range(len(c.oscars))),
        imdb_only=tuple(i for i in leftovers if not i.is_oscar),
        imdb_unassigned=tuple(i for i in leftovers if i.is_oscar),
        unused_overrides=tuple(unused),
    )


# -- overrides -----------------------------------------------------------------------


def _apply_overrides(
    c: _Ceremony, overrides: Sequence[Override]
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


def _carrier(c: _Ceremony, ov: Override, r: int, taken: set[int]) -> tuple[int | None, str | None]:
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


def _pinned_match(c: _Ceremony, ov: Override, r: int, carrier: int | None) -> NominationMatch:
    o = c.oscars[r]
    i = c.imdb[carrier] if carrier is not None else _synthesised(ov, o)
    note = None
    if carrier is None and i is not None:
        note = "the IMDb page has no nomination with the pinned ids: made from the ids"
    return NominationMatch(
        o,
        i,
        "no_film" if ov.no_film else "matched",
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


# -- categories ----------------------------------------------------------------------


def _groups(items: Sequence, indices: list[int]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for k in indices:
        groups[items[k].category].append(k)
    return groups


@dataclass(frozen=True)
class _Component:
    """Categories joined by pairing: their nominations, solved in one assignment."""

    rows: list[int]  # oscars.org nominations
    cols: list[int]  # IMDb nominations
    paired: dict[str, str]  # oscars.org category -> its one-to-one paired IMDb category


def _components(c: _Ceremony, rows: list[int], cols: list[int]) -> list[_Component]:
    """Paired categories as connected components."""
    o_groups, i_groups = _groups(c.oscars, rows), _groups(c.imdb, cols)
    o_names, i_names = list(o_groups), list(i_groups)
    content = np.array(
        [
            [_category_content(c.full[np.ix_(o_groups[oc], i_groups[ic])]) for ic in i_names]
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
        _Component(
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


def _solve_component(
    c: _Ceremony, component: _Component
) -> tuple[dict[int, NominationMatch], set[int]]:
    """One assignment for the nominations of a component; returns the IMDb ones used."""
    rows, cols = component.rows, component.cols
    if not rows:
        return {}, set()
    if not cols:
        unpaired = {
            r: NominationMatch(c.oscars[r], None, "unmatched", 0.0, _NO_CATEGORY) for r in rows
        }
        return {r: _film_status(m, free=False) for r, m in unpaired.items()}, set()
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
    _match_on_film_alone(c, m, component, result, used)
    _match_by_elimination(c, rows, cols, result, used)
    free = any(k not in used for k in cols)
    return {r: _film_status(match, free=free) for r, match in result.items()}, used


def _decide(c: _Ceremony, m: np.ndarray, x: int, y: int | None, rows, cols) -> NominationMatch:
    o = c.oscars[rows[x]]
    if y is None:
        return NominationMatch(
            o, None, "unmatched", 0.0, "more oscars.org than IMDb nominations in the category"
        )
    score = float(m[x, y])
    if score < ACCEPT:
        best_y = int(m[x].argmax())
        return NominationMatch(
            o,
            None,
            "unmatched",
            round(score, 3),
            f"best IMDb candidate scored {m[x, best_y]:.2f} (< {ACCEPT}): "
            f"{_describe(c.imdb[cols[best_y]])}",
        )
    rival = _rival(m, x, y, rows, cols, c.oscars, c.imdb)
    if rival:
        return NominationMatch(o, None, "ambiguous", round(score, 3), rival)
    i = c.imdb[cols[y]]
    return NominationMatch(
        o,
        i,
        "matched",
        round(min(score, 1.0), 3),
        None,
        winner_conflict=c.awarded and o.won != i.is_winner,
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


def _pairing_confirmed(c: _Ceremony, component: _Component, category: str, result) -> bool:
    """Whether the two paired categories are one award: the same era-independent name,
    another nomination of the pair matched on its own similarity, or the same films
    one for one on both sides."""
    paired = component.paired[category]
    canonical = classify(category).canonical_name
    if canonical is not None and canonical == classify(paired).canonical_name:
        return True
    if any(
        m.status == "matched" and m.note is None and m.imdb.category == paired
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
    c: _Ceremony, x: int, component: _Component, used: set[int], result
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
        and (_title_score(o, c.imdb[component.cols[y]]) or 0) >= FILM_EXACT
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


def _match_on_film_alone(c: _Ceremony, m: np.ndarray, component: _Component, result, used):
    for x, r in enumerate(component.rows):
        if result[r].status != "unmatched":
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
            "matched",
            round(min(score, 1.0), 3),
            None,
            winner_conflict=c.awarded and o.won != i.is_winner,
            note=note,
        )


def _studio_nominee(o: OscarsNomination) -> bool:
    """No film printed, and the nominee is a studio, a department or a company."""
    names = o.people or o.entities
    return not o.films and bool(names) and all(looks_like_company(n) for n in names)


def _match_by_elimination(c: _Ceremony, rows, cols, result, used) -> None:
    """The last studio nomination left takes the last IMDb nomination left, if that
    names no person (IMDb gives the studio, or a film)."""
    left = [r for r in rows if result[r].status == "unmatched"]
    free = [k for k in cols if k not in used]
    if len(left) != 1 or len(free) != 1:
        return
    o, i = c.oscars[left[0]], c.imdb[free[0]]
    if not _studio_nominee(o) or not i.is_oscar or i.people or not (i.titles or i.companies):
        return
    if i.companies and not _company_agrees(o, i):
        return
    used.add(free[0])
    result[left[0]] = NominationMatch(
        o,
        i,
        "matched",
        round(min(float(c.full[left[0], free[0]]), 1.0), 3),
        None,
        winner_conflict=c.awarded and o.won != i.is_winner,
        note=f"matched by elimination, the only IMDb nomination left in the category: "
        f"oscars.org names {_printed(o)!r}, IMDb names {_named(i)!r}",
    )


def _film_status(match: NominationMatch, *, free: bool) -> NominationMatch:
    """no_film where neither site names a film (nor a person): a studio department.
    free: whether an IMDb nomination of the paired categories is still unassigned."""
    o, i = match.oscars, match.imdb
    if match.status == "matched" and i is not None and not o.films and not (i.titles or i.people):
        return replace(match, status="no_film")
    if match.status == "unmatched" and not free and _studio_nominee(o):
        reason = f"no film on oscars.org and nothing left on IMDb ({match.reason})"
        return replace(match, status="no_film", reason=reason)
    return match


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
