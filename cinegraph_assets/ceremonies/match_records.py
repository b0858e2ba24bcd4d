"""The matcher's thresholds and records, shared by its stages.

The public results (NominationMatch, UnusedOverride, CeremonyMatch, imported through
ceremonies/matcher.py) and the private inputs the stages pass along (Ceremony: one
match's nominations and their similarity matrix; Component: categories paired into one
assignment). A module of its own so that matcher.py and the stages (match_scoring,
match_overrides, match_components, match_fallbacks) import it and not each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from cinegraph_assets.ceremonies.model import ImdbNomination, OscarsNomination
from cinegraph_assets.ceremonies.overrides import Override

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

NO_CATEGORY = "no IMDb category holds this nomination's films"


class MatchStatus(StrEnum):
    """What the matcher decided for a nomination (festival_nominations.match_status;
    the year's IMDb-only awards are stored as 'imdb_only')."""

    MATCHED = "matched"
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"  # a rival scores as well: left unmatched, never guessed
    NO_FILM = "no_film"  # matched to an IMDb nomination that names no film


# Statuses that count toward the year's match rate.
RESOLVED = (MatchStatus.MATCHED, MatchStatus.NO_FILM)


@dataclass(frozen=True)
class NominationMatch:
    oscars: OscarsNomination
    imdb: ImdbNomination | None
    status: MatchStatus
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
        return [m for m in self.matches if m.status == MatchStatus.MATCHED]

    @property
    def no_film(self) -> list[NominationMatch]:
        return [m for m in self.matches if m.status == MatchStatus.NO_FILM]

    @property
    def match_rate(self) -> float:
        """Share of nominations matched or known to have no film to match."""
        done = len(self.matched) + len(self.no_film)
        return done / len(self.matches) if self.matches else 1.0


@dataclass(frozen=True)
class Ceremony:
    """The inputs of one match; nominations are referred to by their index."""

    oscars: Sequence[OscarsNomination]
    imdb: Sequence[ImdbNomination]
    full: np.ndarray  # similarity of every oscars.org x IMDb nomination
    awarded: bool


@dataclass(frozen=True)
class Component:
    """Categories joined by pairing: their nominations, solved in one assignment."""

    rows: list[int]  # oscars.org nominations
    cols: list[int]  # IMDb nominations
    paired: dict[str, str]  # oscars.org category -> its one-to-one paired IMDb category
