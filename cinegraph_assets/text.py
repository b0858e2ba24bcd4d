"""Text normalisation and comparison for titles, names, nominee statements, countries
and studios.

Pure functions shared by both sides: the ceremonies side (parsers, categories, nomination
keys, overrides, the matcher) and the movies side (movies/people_store.py links IMDb-named
nominees to TMDb credits by name_similarity). A top-level module so that movies does not
import ceremonies.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

_WS = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ARTICLES = {"the", "a", "an", "la", "le", "les", "el", "il", "lo", "l", "der", "die", "das"}
_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8"}
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5"}


def collapse(text: str | None) -> str:
    """Whitespace collapsed to single spaces (pages break lines inside items)."""
    return _WS.sub(" ", text or "").strip()


# Letters Unicode does not decompose into a base letter and an accent, spelled the way
# a page without diacritics writes them ("Guðnadóttir" / "Gudnadottir", "Cœur" / "Coeur").
_TRANSLITERATE = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŀ": "l",
        "ŧ": "t",
        "ŋ": "n",
    }
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase ASCII words: accents (é/e, ö/o, ð/d, œ/oe), punctuation and '&' vs
    'and' do not matter."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return _NON_ALNUM.sub(" ", text.translate(_TRANSLITERATE)).strip()


@lru_cache(maxsize=65536)
def norm_title(title: str) -> str:
    words = fold(title).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    words = [_ROMAN.get(w, _NUMBER_WORDS.get(w, w)) for w in words]
    return " ".join(words)


def _main_title(title: str) -> str | None:
    """The title before a subtitle separator, if there is one."""
    cuts = [title.find(sep) for sep in (":", " - ", " – ", " — ", " (", " or (")]
    cuts = [c for c in cuts if c > 0]
    return title[: min(cuts)] if cuts else None


def title_similarity(a: str, b: str) -> float:
    """0..1. Exact after normalisation is 1; a missing subtitle costs a little."""
    na, nb = norm_title(a), norm_title(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    best = fuzz.ratio(na, nb) / 100
    # "Birdman" vs "Birdman or (The Unexpected Virtue of Ignorance)": one side may omit
    # the subtitle, never both sides different subtitles.
    for x, y in ((a, b), (b, a)):
        head = _main_title(x)
        if head and norm_title(head) == norm_title(y):
            best = max(best, 0.92)
    return best


def contains_title(text: str, title: str) -> bool:
    """Whether title appears as whole words in text (multi-film slots)."""
    nt, tx = norm_title(title), " " + fold(text) + " "
    return (
        bool(nt)
        and (" " + nt + " ")
        in " " + " ".join(_ROMAN.get(w, _NUMBER_WORDS.get(w, w)) for w in tx.split()) + " "
    )


_NICKNAMES = {
    "bill": "william",
    "will": "william",
    "bob": "robert",
    "rob": "robert",
    "bobby": "robert",
    "mike": "michael",
    "jim": "james",
    "jimmy": "james",
    "tom": "thomas",
    "tony": "anthony",
    "dick": "richard",
    "rick": "richard",
    "ted": "edward",
    "ed": "edward",
    "eddie": "edward",
    "steve": "steven",
    "dave": "david",
    "joe": "joseph",
    "chuck": "charles",
    "charlie": "charles",
    "kate": "katherine",
    "kathy": "katherine",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "pat": "patrick",
    "jerry": "gerald",
    "larry": "lawrence",
    "harry": "henry",
    "hank": "henry",
    "sandy": "alexander",
    "alex": "alexander",
    "sam": "samuel",
    "ben": "benjamin",
    "andy": "andrew",
    "nick": "nicholas",
    "matt": "matthew",
    "pete": "peter",
    "fred": "frederick",
    "jack": "john",
    "johnny": "john",
    "jon": "jonathan",
    "nate": "nathan",
    "greg": "gregory",
}


def _given_names_agree(a: str, b: str) -> bool:
    """'Ed'/'Edward', 'Chris'/'Christopher', 'Bill'/'William': one person's given name."""
    a, b = _NICKNAMES.get(a, a), _NICKNAMES.get(b, b)
    return a == b or (min(len(a), len(b)) >= 2 and (a.startswith(b) or b.startswith(a)))


def name_similarity(a: str, b: str) -> float:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    if fa == fb:
        return 1.0
    # Middle initials come and go ("Sam A. Davis" / "Sam Davis").
    ta = [w for w in fa.split() if len(w) > 1]
    tb = [w for w in fb.split() if len(w) > 1]
    if ta and ta == tb:
        return 0.97
    if len(ta) >= 2 and len(tb) >= 2 and ta[-1] == tb[-1] and _given_names_agree(ta[0], tb[0]):
        return 0.9
    return fuzz.token_sort_ratio(fa, fb) / 100


def name_in_text(name: str, text: str) -> bool:
    """Whether a person's name occurs in a statement, initials and accents aside."""
    words = [w for w in fold(name).split() if len(w) > 1]
    if not words:
        return False
    haystack = [w for w in fold(text).split() if len(w) > 1]
    n = len(words)
    for i in range(len(haystack) - n + 1):
        if haystack[i : i + n] == words:
            return True
    return fuzz.partial_ratio(" ".join(words), " ".join(haystack)) >= 93 and n > 1


# -- nominee statements --------------------------------------------------------------

_ROLE_SUFFIX = re.compile(
    r",?\s*\b(?:producers?|sound directors?|directors?|supervisors?|art directors?|"
    r"set decorators?|head of department|department head|music directors?)\s*$",
    re.I,
)
_LABEL_PREFIX = re.compile(r"^[^,;]*?(?::\s+|\s+-\s+)")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_BY = re.compile(r"^(?:.*?\b)?by\s+", re.I)
_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*", re.I)
_NOT_A_NAME = re.compile(
    r"^(?:jr\.?|sr\.?|inc\.?|ltd\.?|producers?|music|lyrics?|screenplay|story|"
    r"written|adaptation|dialogue|nominees? to be determined|to be determined|tbd|tba)$",
    re.I,
)
PLACEHOLDER = re.compile(r"\b(?:to be determined|to be announced|tbd|tba)\b", re.I)


def statement_people(statement: str) -> tuple[str, ...]:
    """The person (or company) names in a nominee statement, in printed order.

    "Production Design: James Price and Shona Heath; Set Decoration: Zsuzsa Mihalek"
    -> ("James Price", "Shona Heath", "Zsuzsa Mihalek"). Used to score matches and to
    report statement names IMDb does not list; IMDb supplies the ids.
    """
    statement = collapse(statement)
    if not statement or PLACEHOLDER.search(statement):
        return ()
    names: list[str] = []
    for part in statement.split(";"):
        part = _PARENS.sub(" ", part).strip()
        if re.search(r"\bby\s", part, re.I):
            part = _BY.sub("", part)
        elif _LABEL_PREFIX.match(part):
            part = _LABEL_PREFIX.sub("", part, count=1)
        part = _ROLE_SUFFIX.sub("", part).strip(" ,.")
        for piece in _SPLIT.split(part):
            piece = piece.strip(" ,.;:")
            if piece and not _NOT_A_NAME.match(piece) and re.search(r"[A-Za-zÀ-ÿ]", piece):
                # "Robert Downey" + "Jr." split at the comma: glue the suffix back.
                if re.fullmatch(r"(?:Jr|Sr|III|II)\.?", piece) and names:
                    names[-1] = f"{names[-1]} {piece}"
                    continue
                names.append(collapse(piece))
    return tuple(dict.fromkeys(names))


# -- countries -----------------------------------------------------------------------

# Official and historical names as oscars.org prints them, and the short names IMDb's
# notes use, folded (text.fold) to one key per country. A leading "the" is dropped
# before the lookup. States that ceased to exist keep their own key (the Soviet Union
# is not Russia, Czechoslovakia not the Czech Republic); West Germany and the Federal
# Republic are Germany, the German Democratic Republic is East Germany.
_COUNTRY_ALIASES = {
    "union of soviet socialist republics": "soviet union",
    "ussr": "soviet union",
    "u s s r": "soviet union",
    "federal republic of germany": "germany",
    "west germany": "germany",
    "germany west": "germany",
    "german democratic republic": "east germany",
    "germany east": "east germany",
    "socialist federal republic of yugoslavia": "yugoslavia",
    "federal peoples republic of yugoslavia": "yugoslavia",
    "federal republic of yugoslavia": "yugoslavia",
    "czechoslovak socialist republic": "czechoslovakia",
    "czechoslovak republic": "czechoslovakia",
    "czechia": "czech republic",
    "peoples republic of china": "china",
    "republic of china": "taiwan",
    "chinese taipei": "taiwan",
    "republic of korea": "south korea",
    "korea": "south korea",
    "democratic peoples republic of korea": "north korea",
    "islamic republic of iran": "iran",
    "great britain": "united kingdom",
    "britain": "united kingdom",
    "uk": "united kingdom",
    "u k": "united kingdom",
    "united kingdom of great britain and northern ireland": "united kingdom",
    "usa": "united states",
    "u s a": "united states",
    "united states of america": "united states",
    "holland": "netherlands",
    "kingdom of the netherlands": "netherlands",
    "russian federation": "russia",
    "macedonia": "north macedonia",
    "republic of macedonia": "north macedonia",
    "republic of north macedonia": "north macedonia",
    "former yugoslav republic of macedonia": "north macedonia",
    "cote divoire": "ivory coast",
    "myanmar": "burma",
    "republic of ireland": "ireland",
    "eire": "ireland",
    "bosnia herzegovina": "bosnia and herzegovina",
    "viet nam": "vietnam",
    "socialist republic of vietnam": "vietnam",
    "syrian arab republic": "syria",
    "state of palestine": "palestine",
    "palestinian territories": "palestine",
    "kyrgyz republic": "kyrgyzstan",
    "turkiye": "turkey",
    "cabo verde": "cape verde",
    "zaire": "democratic republic of the congo",
}
_KNOWN_COUNTRIES = set(_COUNTRY_ALIASES) | set(_COUNTRY_ALIASES.values())


def country_key(name: str | None) -> str:
    """One folded key per country: 'Union of Soviet Socialist Republics' and 'Soviet
    Union' -> 'soviet union'; 'Federal Republic of Germany', 'West Germany' -> 'germany'."""
    folded = fold(name or "")
    if folded.startswith("the "):
        folded = folded[4:]
    return _COUNTRY_ALIASES.get(folded, folded)


def is_known_country(name: str | None) -> bool:
    """Whether the name is one of the official or historical names of the table."""
    return country_key(name) in _KNOWN_COUNTRIES


def same_country(a: str | None, b: str | None) -> bool:
    """Whether a country as oscars.org prints it and IMDb's note name one country."""
    fa, fb = fold(a or ""), fold(b or "")
    if not fa or not fb:
        return False
    return fa == fb or fa in fb or country_key(a) == country_key(b)


# -- companies -----------------------------------------------------------------------

COMPANY = re.compile(
    r"\b(?:pictures?|productions?|studios?|corporation|corp|company|co|inc|ltd|films?|"
    r"department|bros|brothers|publix|artists|lasky|metro|mayer|goldwyn|fox|paramount|"
    r"universal|warner|columbia|rko|radio|mgm|disney|cosmopolitan)\b",
    re.I,
)
# Words every studio name has: they say nothing about which studio it is.
_COMPANY_GENERIC = {
    "pictures", "picture", "productions", "production", "studios", "studio",
    "corporation", "corp", "company", "co", "inc", "ltd", "film", "films", "the",
    "and", "of", "department", "sound", "art", "bros", "brothers", "distributing",
    "technical", "departments", "music", "camera", "laboratories", "laboratory",
}  # fmt: skip
_COMPANY_ALIASES = {"mgm": "metro goldwyn mayer"}


def looks_like_company(name: str) -> bool:
    """A studio, a studio department or a company, not a person."""
    return bool(COMPANY.search(fold(name)))


def _company_words(name: str) -> list[str]:
    words: list[str] = []
    for w in fold(name).split():
        for part in _COMPANY_ALIASES.get(w, w).split():
            if part not in _COMPANY_GENERIC and part not in words:
                words.append(part)
    return words


def company_similarity(a: str, b: str) -> float:
    """0..1: how far two studio names name the same studio.

    'Paramount Publix Studio Sound Department' / 'Paramount Pictures' -> 1.0;
    'Metro-Goldwyn-Mayer Studio Sound Department' / 'Samuel Goldwyn Productions' -> 0.0:
    a shared word counts only if it is the leading distinctive word of one of the two
    names (the brand), so 'Goldwyn' inside 'Metro-Goldwyn-Mayer' is not Samuel Goldwyn.
    """
    wa, wb = _company_words(a), _company_words(b)
    if not wa or not wb:
        return 0.0
    shared = set(wa) & set(wb)
    if not shared or not ({wa[0], wb[0]} & shared):
        return 0.0
    return len(shared) / min(len(wa), len(wb))
