"""What kind of award a category name denotes, in any era and on either site."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cinegraph_assets.text import fold


@dataclass(frozen=True)
class CategoryInfo:
    category_type: str
    is_competitive: bool
    tracks_person: bool
    canonical_name: str | None
    kind: str  # acting | song | international | default — how the page slots read


_NON_COMPETITIVE = [
    (re.compile(r"hersholt|humanitarian"), "humanitarian"),
    (re.compile(r"thalberg"), "thalberg"),
    (
        re.compile(
            r"scientific|technical achievement|technical award|\bscitech\b|sci tech|"
            r"\bcommendation\b|gordon e sawyer|john a bonner|\bclass i{1,3}\b"
        ),
        "scientific_technical",
    ),
    (
        re.compile(
            r"honorary|special achievement|juvenile|special award|special foreign|"
            r"governors award"
        ),
        "honorary",
    ),
]
# "Academy Award of Merit" is the formal name of the Oscar itself and, until 1978 and
# on IMDb, of the Class I Scientific or Technical Award. As a name on its own (IMDb's
# award text with no category) it is the Sci-Tech award; under IMDb's "Oscar" award,
# or followed by a competitive category name, it is not.
_AWARD_OF_MERIT = re.compile(r"^(?:academy )?award of merit\b\s*")
_OSCAR_AWARD = {"oscar", "oscars", "academy award"}

# Era-independent names, first match wins. Order matters: "supporting" before "actor".
_CANONICAL = [
    (r"\bactor\b.*\bsupporting\b|\bsupporting actor\b", "Actor in a Supporting Role"),
    (r"\bactress\b.*\bsupporting\b|\bsupporting actress\b", "Actress in a Supporting Role"),
    (r"\bactor\b", "Actor in a Leading Role"),
    (r"\bactress\b", "Actress in a Leading Role"),
    (r"\bsong\b", "Music (Original Song)"),
    (r"\bforeign language\b|\binternational feature\b", "International Feature Film"),
    (r"\bdocumentary\b.*\bshort\b|\bshort\b.*\bdocumentary\b", "Documentary Short Film"),
    (r"\bdocumentary\b", "Documentary Feature Film"),
    (r"\banimated\b.*\bshort\b|\bshort\b.*\b(?:animated|cartoons?)\b", "Animated Short Film"),
    (r"\banimated\b", "Animated Feature Film"),
    (r"\bshort\b", "Live Action Short Film"),
    (r"\bunique and artistic\b", "Unique and Artistic Picture"),
    (r"\bcinematograph", "Cinematography"),
    (r"\bcostume", "Costume Design"),
    (r"\bmake ?up\b|\bhairstyl", "Makeup and Hairstyling"),
    (r"\bediting\b.*\bsound\b|\bsound\b.*\bediting\b|\bsound effects\b", "Sound Editing"),
    (r"\bfilm editing\b|\bediting\b", "Film Editing"),
    (
        r"\bvisual effects\b|\bspecial (?:visual )?effects\b|\bengineering effects\b",
        "Visual Effects",
    ),
    (r"\bsound\b", "Sound"),
    (r"\bart direction\b|\bproduction design\b|\binterior decoration\b", "Production Design"),
    (r"\bcasting\b", "Casting"),
    (r"\bwriting\b.*\btitle\b", "Writing (Title Writing)"),
    (r"\badapt|\bbased on material\b|\bscreenplay based\b", "Writing (Adapted Screenplay)"),
    (r"\bwriting\b|\bscreenplay\b|\bstory\b", "Writing (Original Screenplay)"),
    (r"\bassistant director\b", "Assistant Director"),
    (r"\bdirecting\b|\bdirector\b", "Directing"),
    (r"\bdance direction\b", "Dance Direction"),
    (r"\bmusic\b|\bscor(?:e|ing)\b", "Music (Original Score)"),
    (r"\bpicture\b|\bproduction\b", "Best Picture"),
]
_CANONICAL_RE = [(re.compile(p), name) for p, name in _CANONICAL]


def _non_competitive(category_type: str, name: str) -> CategoryInfo:
    return CategoryInfo(category_type, False, True, name, "default")


def _non_competitive_type(folded: str) -> str | None:
    return next((t for pattern, t in _NON_COMPETITIVE if pattern.search(folded)), None)


def knows_award(award: str) -> bool:
    """Whether an IMDb award text is one of the Academy's: the Oscar itself, or an award
    of a non-competitive kind named above (Honorary, Thalberg, Sci-Tech, ...). classify
    files any other as honorary; the import reports it (odd_content.unknown_awards)."""
    folded = fold(award)
    return (
        folded in _OSCAR_AWARD
        or _non_competitive_type(folded) is not None
        or bool(_AWARD_OF_MERIT.match(folded))
    )


def classify(name: str, *, award: str | None = None) -> CategoryInfo:
    """The kind of award a category name denotes.

    award: IMDb's award text of the nomination, where known. IMDb files the competitive
    categories under the award "Oscar" with category names ("Best Picture"); the awards
    oscars.org does not list carry their own name as award text ("Honorary Award",
    "Academy Award of Merit") and no category, so the category is the award text.
    """
    folded = fold(name)
    award_folded = fold(award or "")
    imdb_only = bool(award_folded) and award_folded not in _OSCAR_AWARD
    category_type = _non_competitive_type(folded)
    if category_type is None and imdb_only:
        category_type = _non_competitive_type(award_folded)
    if category_type:
        return _non_competitive(category_type, name)
    rest = _AWARD_OF_MERIT.sub("", folded) if _AWARD_OF_MERIT.match(folded) else folded
    canonical = next((c for p, c in _CANONICAL_RE if p.search(rest)), None) if rest else None
    if canonical is None:
        merit = rest != folded or bool(_AWARD_OF_MERIT.match(award_folded))
        if imdb_only or (merit and not award_folded):
            # An award of IMDb's own (never on oscars.org), or a bare Award of Merit.
            return _non_competitive("scientific_technical" if merit else "honorary", name)
    if canonical in {
        "Actor in a Leading Role",
        "Actress in a Leading Role",
        "Actor in a Supporting Role",
        "Actress in a Supporting Role",
    }:
        kind = "acting"
    elif canonical == "Music (Original Song)":
        kind = "song"
    elif canonical == "International Feature Film":
        kind = "international"
    else:
        kind = "default"
    tracks_person = kind == "acting" or canonical == "Directing"
    return CategoryInfo("competitive", True, tracks_person, canonical, kind)
