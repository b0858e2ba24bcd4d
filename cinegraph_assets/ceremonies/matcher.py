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

Where the parts live: match_records.py (these records, the thresholds), match_scoring.py
(the similarity, blocking keys, the score matrix), match_overrides.py (the curated pins),
match_components.py (categories paired into components, the assignment inside them),
match_fallbacks.py (the film alone, elimination, no_film). The assignment and its rival
rule are cinegraph_assets/assignment.py, text comparison cinegraph_assets/text.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from cinegraph_assets.ceremonies.match_components import category_components, solve_component
from cinegraph_assets.ceremonies.match_overrides import apply_overrides
from cinegraph_assets.ceremonies.match_records import (
    ACCEPT,
    FILM_EXACT,
    NO_CATEGORY,
    SAME_CANONICAL_BONUS,
    SAME_COMPANY,
    SAME_FILM,
    TIE_MARGIN,
    WINNER_BONUS,
    Ceremony,
    CeremonyMatch,
    MatchStatus,
    NominationMatch,
    UnusedOverride,
)
from cinegraph_assets.ceremonies.match_scoring import score_matrix, similarity
from cinegraph_assets.ceremonies.model import ImdbNomination, OscarsNomination
from cinegraph_assets.ceremonies.overrides import Override

__all__ = [
    "ACCEPT",
    "FILM_EXACT",
    "SAME_CANONICAL_BONUS",
    "SAME_COMPANY",
    "SAME_FILM",
    "TIE_MARGIN",
    "WINNER_BONUS",
    "CeremonyMatch",
    "NominationMatch",
    "UnusedOverride",
    "match_ceremony",
    "similarity",
]


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
    full = score_matrix(oscars, imdb, awarded, every_pair=every_pair)
    c = Ceremony(list(oscars), list(imdb), full, awarded)
    result, used, unused = apply_overrides(c, overrides)
    rows = [r for r in range(len(c.oscars)) if r not in result]
    cols = [k for k in range(len(c.imdb)) if k not in used]
    for component in category_components(c, rows, cols):
        matches, taken = solve_component(c, component)
        result.update(matches)
        used |= taken
    for r in rows:
        result.setdefault(
            r, NominationMatch(c.oscars[r], None, MatchStatus.UNMATCHED, 0.0, NO_CATEGORY)
        )
    leftovers = [i for k, i in enumerate(c.imdb) if k not in used]
    return CeremonyMatch(
        matches=tuple(result[r] for r in range(len(c.oscars))),
        imdb_only=tuple(i for i in leftovers if not i.is_oscar),
        imdb_unassigned=tuple(i for i in leftovers if i.is_oscar),
        unused_overrides=tuple(unused),
    )
