"""How alike an oscars.org and an IMDb nomination are, and which pairs are compared.

similarity combines titles, people, studios, song titles and countries; score_matrix
scores only the pairs that share a blocking key (a word, or a long word's prefix), so a
ceremony's 120 x 140 pairs shrink to a few candidates per nomination; category_content
is how well two categories' nominations pair up. Pure functions of the nominations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from cinegraph_assets.assignment import best_assignment
from cinegraph_assets.ceremonies.categories import classify
from cinegraph_assets.ceremonies.match_records import SAME_COMPANY, WINNER_BONUS
from cinegraph_assets.ceremonies.model import ImdbNomination, OscarsNomination
from cinegraph_assets.text import (
    COMPANY,
    company_similarity,
    contains_title,
    country_key,
    fold,
    name_in_text,
    name_similarity,
    norm_title,
    same_country,
    title_similarity,
)


def _films(o: OscarsNomination, i: ImdbNomination) -> tuple[str, ...]:
    """The films o names, compared with i's titles: the film slot, or the honoree slot
    of an award given to a film (IMDb: a title and no person, outside the competition)."""
    if o.films or not i.titles or i.people:
        return o.films
    return o.entities if not classify(o.category).is_competitive else ()


def title_score(o: OscarsNomination, i: ImdbNomination) -> float | None:
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


def company_agrees(o: OscarsNomination, i: ImdbNomination) -> bool:
    printed = [p for p in (*o.people, *o.entities, o.statement) if p]
    return any(company_similarity(p, c) >= SAME_COMPANY for p in printed for c in i.companies)


def _company_score(o: OscarsNomination, i: ImdbNomination) -> float | None:
    """Studios are named loosely ("Fox" / "Fox Film Corporation"): agreement counts,
    disagreement is no evidence either way."""
    if not i.companies:
        return None
    return 1.0 if company_agrees(o, i) else None


def similarity(o: OscarsNomination, i: ImdbNomination, kind: str) -> float:
    parts: list[tuple[float, float]] = []
    title = title_score(o, i)
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


def score_matrix(
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


def category_content(m: np.ndarray) -> float:
    """How well two categories' nominations pair up, penalising unequal sizes."""
    if m.size == 0:
        return 0.0
    rows, cols = best_assignment(m)
    return float(m[rows, cols].sum()) / max(m.shape)
