"""Which titles of an edition are films (movie partitions) and which are not.

Festivals, guilds and press awards mix films with television, and only films may
become movie partitions and reach TMDb's movie endpoints. In order, first answer wins:
1. IMDb's titleType, wherever the page gives one for the title (awardTitles carry it):
   movie, short, video, tvMovie, tvShort, tvSpecial are films; tvSeries, tvMiniSeries,
   tvEpisode, videoGame, podcasts and music videos are not.
2. A title the page leaves untyped (a person nomination's secondaryAwardTitles) at a
   body that does not award television (registry `television = false`) is a film.
3. The award and category it is named under: "... in a Television Series", "Drama
   Series", "BAFTA TV Award" say television; "Motion Picture", "Film", "Feature" say
   film. Both or neither ("Television Movie or Limited Series") decide nothing.
4. TMDb's /3/find, asked by the asset before anything is written (`needs_lookup`): a
   series comes back under tv_results. Its answer is kept (table title_kinds), so a
   title is asked once.
Pure functions; the asset does the lookup.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum

from cinegraph_assets.ceremonies.model import ImdbNomination


class TitleKind(StrEnum):
    FILM = "film"
    SERIES = "series"
    EPISODE = "episode"
    GAME = "game"
    OTHER = "other"


FILM_TYPES = frozenset({"movie", "short", "video", "tvMovie", "tvShort", "tvSpecial"})
_NOT_FILM_TYPES = {
    "tvSeries": TitleKind.SERIES,
    "tvMiniSeries": TitleKind.SERIES,
    "tvEpisode": TitleKind.EPISODE,
    "tvPilot": TitleKind.EPISODE,
    "videoGame": TitleKind.GAME,
    "podcastSeries": TitleKind.OTHER,
    "podcastEpisode": TitleKind.OTHER,
    "musicVideo": TitleKind.OTHER,
}

_TV_WORDS = re.compile(
    r"\b(television|tv|series|mini-?series|episodes?|episodic|sitcom|telefilm|"
    r"soap opera|talk show|variety show|streaming series)\b",
    re.I,
)
_FILM_WORDS = re.compile(r"\b(motion pictures?|films?|feature|movies?|cinema|picture)\b", re.I)


def kind_of_type(title_type: str | None) -> TitleKind | None:
    """The kind IMDb's titleType says; None for no type or one this code does not know."""
    if title_type in FILM_TYPES:
        return TitleKind.FILM
    return _NOT_FILM_TYPES.get(title_type or "")


def kind_of_text(award: str, category: str) -> TitleKind | None:
    """What an award and category name say about the titles under them, if anything."""
    text = f"{award} {category}"
    tv, film = bool(_TV_WORDS.search(text)), bool(_FILM_WORDS.search(text))
    if tv and not film:
        return TitleKind.SERIES
    if film and not tv:
        return TitleKind.FILM
    return None


def unknown_types(nominations: Iterable[ImdbNomination]) -> set[str]:
    """titleType values this code does not know (reported; the title is then treated
    as untyped)."""
    return {
        t.title_type
        for n in nominations
        for t in n.titles
        if t.title_type and kind_of_type(t.title_type) is None
    }


def decide(
    nominations: Iterable[ImdbNomination], *, television: bool
) -> tuple[dict[str, TitleKind], set[str]]:
    """({title id: kind} decided from the page, ids only TMDb can decide)."""
    typed: dict[str, TitleKind] = {}
    by_text: dict[str, set[TitleKind | None]] = defaultdict(set)
    for n in nominations:
        for t in n.titles:
            kind = kind_of_type(t.title_type)
            if kind is not None:
                typed.setdefault(t.id, kind)
            else:
                by_text[t.id].add(kind_of_text(n.award, n.category))
    decided = dict(typed)
    lookup: set[str] = set()
    for title_id, texts in by_text.items():
        if title_id in decided:
            continue
        if not television:
            decided[title_id] = TitleKind.FILM
        elif len(texts) == 1 and None not in texts:
            decided[title_id] = next(iter(texts))
        else:
            lookup.add(title_id)
    return decided, lookup
