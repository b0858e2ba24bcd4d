"""The unambiguous best one-to-one assignment: the pairing of rows and columns with the
highest total score, and, for a pair of it, the rivals that make it a coin toss.

Shared by the two places that pair things by similarity: the oscars.org <-> IMDb
matcher (ceremonies/match_components.py) and the linking of IMDb-named nominees to
TMDb credits (movies/people_store.py). Each caller picks its own margin and decides
which rivals count:

- the matcher, TIE_MARGIN = 0.015 (ceremonies/match_records.py): a nomination's score
  is a weighted average of several noisy fields (fuzzy titles, name coverage, studios,
  the song, the country) plus bonuses for the winner flag (0.03) and the category's
  era-independent name (0.02). A lead under 0.015 is within that noise; either bonus
  is larger, so it still decides between otherwise equal candidates. A rival naming
  the same film, people and song is not a rival there (match_components._rival);
- people_store, _TIE = 0.005: one name compared with one name of the people credited
  on one film. name_similarity's tiers (1.0 equal, 0.97 initials aside, 0.9 a nickname)
  are meant to decide, so only a near-equal score is a tie: in practice two people of
  the film with one name.
"""

from __future__ import annotations

import numpy as np


def best_assignment(score):
    """(rows, cols) of the one-to-one assignment with the highest total score (the
    Hungarian algorithm). scipy is imported on first use (load): most processes that
    load the code location (the code server, the daemon's, sensors) never match."""
    from scipy.optimize import linear_sum_assignment

    return linear_sum_assignment(score, maximize=True)


def load() -> None:
    """Import the solver now, not at the first best_assignment: that import takes about
    2 s, and a TMDb write matches a film's nominees holding IDENTITY, the lock every
    other TMDb write waits for (movies/people_store.py). Run processes forked warm have
    it already (runtime/warm_runs.py)."""
    from scipy.optimize import linear_sum_assignment  # noqa: F401


def rivals(score: np.ndarray, row: int, col: int, margin: float) -> tuple[list[int], list[int]]:
    """The candidates scoring within margin of the pair (row, col): the other columns of
    its row and the other rows of its column, in index order. A pair with a rival is
    not an unambiguous match."""
    floor = score[row, col] - margin
    in_row = [int(k) for k in np.flatnonzero(score[row] >= floor) if k != col]
    in_column = [int(k) for k in np.flatnonzero(score[:, col] >= floor) if k != row]
    return in_row, in_column
