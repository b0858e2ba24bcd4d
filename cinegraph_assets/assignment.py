"""The best one-to-one assignment (the Hungarian algorithm), shared by the two places
that pair things by similarity: the oscars.org <-> IMDb matcher and the linking of
IMDb-named nominees to TMDb credits (movies/people_store.py).
"""

from __future__ import annotations


def best_assignment(score):
    """(rows, cols) of the one-to-one assignment with the highest total score (the
    Hungarian algorithm). scipy is imported on first use: most processes that load
    the code location (every run worker) never match anything."""
    from scipy.optimize import linear_sum_assignment

    return linear_sum_assignment(score, maximize=True)
