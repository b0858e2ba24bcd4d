"""Every nomination since 1929 as one table, in the layout of the curated record.

Columns follow DLu's oscar_data `oscars.csv` (Ceremony, Year, Class, CanonicalCategory,
Category, Film, FilmId, Name, Nominees, NomineeIds, Winner, Detail, Note, Citation;
multi-valued fields `|`-separated; Winner is "True" or empty), so the two compare row
by row, followed by what only this pipeline knows: TMDb ids, the match status, whether
a curated override decided the match, which source listed the nomination, and the
source pages. Category and CanonicalCategory are this project's names (the name as the
source printed it; its era-independent name), not the Awards Database's.

Pure functions over rows read from the database; writing is in writer.py.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, TextClause, text

from cinegraph_assets.ceremonies.categories import classify

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    ("Ceremony", "int", "ceremony number (1 = 1929)"),
    ("Year", "string", "film year, as the curated record gives it (1927/28 ... 2025)"),
    ("Class", "string", "Title, Acting, Directing, Writing, Music, Production, SciTech, Special"),
    ("CanonicalCategory", "string", "era-independent category name"),
    ("Category", "string", "the category as the source printed it"),
    ("Film", "string", "film titles, |-separated"),
    ("FilmId", "string", "IMDb title ids, |-separated"),
    ("Name", "string", "the nominee as printed (the country for international films)"),
    ("Nominees", "string", "nominee names, |-separated"),
    ("NomineeIds", "string", "IMDb name ids, |-separated"),
    ("Winner", "string", "True, or empty"),
    ("Detail", "string", "the song title of a song nomination"),
    ("Note", "string", "how the match was made, where not plainly"),
    ("Citation", "string", "the citation of an award only IMDb lists"),
    ("TmdbIds", "string", "TMDb movie ids of the films, |-separated"),
    ("MatchStatus", "string", "matched, unmatched, ambiguous, no_film or imdb_only"),
    ("OverrideApplied", "string", "True where a curated override decided the match"),
    ("Competitive", "string", "True for the oscars.org nominations, empty for IMDb-only awards"),
    ("OscarsUrl", "string", "the oscars.org ceremony page"),
    ("ImdbUrl", "string", "the IMDb event page"),
]

# The Academy's nominations only: the other bodies are in award_nominations (awards.py).
ACADEMY = (
    "n.ceremony_id IN (SELECT c.id FROM festival_ceremonies c JOIN festival_organizations o"
    " ON o.id = c.organization_id WHERE o.body_key = 'oscars')"
)
_NOMINATIONS = text(f"""
SELECT n.id, c.year, c.ceremony_number, c.source_url, c.imdb_url, cat.name AS category,
       cat.canonical_name, cat.category_type, cat.is_competitive, n.position, n.won,
       n.nominee_statement, n.film_title, n.song_title, n.country, n.source, n.details,
       n.match_status
FROM festival_nominations n
JOIN festival_ceremonies c ON c.id = n.ceremony_id
JOIN festival_categories cat ON cat.id = n.category_id
WHERE {ACADEMY}
ORDER BY c.year, n.source DESC, cat.id, n.position, n.id
""")


def films_query(where: str) -> TextClause:
    """Every film of the nominations `where` selects (alias n), in order."""
    return text(f"""
SELECT nm.nomination_id, m.imdb_id, COALESCE(m.imdb_title, m.title) AS title, m.tmdb_id
FROM festival_nomination_movies nm JOIN movies m ON m.id = nm.movie_id
WHERE nm.nomination_id IN (SELECT n.id FROM festival_nominations n WHERE {where})
ORDER BY nm.nomination_id, nm.position
""")


def people_query(where: str) -> TextClause:
    return text(f"""
SELECT np.nomination_id, p.imdb_id, p.name
FROM festival_nomination_people np JOIN people p ON p.id = np.person_id
WHERE np.nomination_id IN (SELECT n.id FROM festival_nominations n WHERE {where})
ORDER BY np.nomination_id, np.position
""")


_CLASS_OF_CANONICAL = {
    "Actor in a Leading Role": "Acting",
    "Actress in a Leading Role": "Acting",
    "Actor in a Supporting Role": "Acting",
    "Actress in a Supporting Role": "Acting",
    "Directing": "Directing",
    "Assistant Director": "Directing",
    "Dance Direction": "Directing",
    "Writing (Title Writing)": "Writing",
    "Writing (Adapted Screenplay)": "Writing",
    "Writing (Original Screenplay)": "Writing",
    "Music (Original Song)": "Music",
    "Music (Original Score)": "Music",
    "Best Picture": "Title",
    "Unique and Artistic Picture": "Title",
    "International Feature Film": "Title",
    "Animated Feature Film": "Title",
    "Documentary Feature Film": "Title",
    "Documentary Short Film": "Title",
    "Animated Short Film": "Title",
    "Live Action Short Film": "Title",
}


def film_year(ceremony: int) -> str:
    """The film year the curated record gives a ceremony: seasons for the first six
    (1927/28 ... 1932/33), the calendar year before the ceremony from the 7th on."""
    if ceremony <= 6:
        return f"{1926 + ceremony}/{(1927 + ceremony) % 100:02d}"
    return str(1927 + ceremony)


def category_class(row: dict[str, Any]) -> str:
    if row["category_type"] == "scientific_technical":
        return "SciTech"
    if not row["is_competitive"]:
        return "Special"
    return _CLASS_OF_CANONICAL.get(row["canonical_name"] or "", "Production")


def joined(values) -> str:
    return "|".join(str(v) for v in values if v not in (None, ""))


def by_nomination(conn: Connection, query: TextClause) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for r in conn.execute(query):
        found[r.nomination_id].append(r)
    return found


def dataset_row(row: dict[str, Any], films: list, people: list) -> dict[str, Any]:
    details = row["details"] or {}
    if isinstance(details, str):  # SQLite hands JSON to a plain SELECT as text
        details = json.loads(details)
    imdb = details.get("imdb") or {}
    competitive = row["source"] == "oscars.org"
    international = classify(row["category"]).kind == "international"
    return {
        "Ceremony": row["ceremony_number"],
        "Year": film_year(row["ceremony_number"]),
        "Class": category_class(row),
        "CanonicalCategory": row["canonical_name"] or row["category"],
        "Category": row["category"],
        "Film": joined(f.title for f in films) or (row["film_title"] or ""),
        "FilmId": joined(f.imdb_id for f in films),
        "Name": (row["country"] if international else row["nominee_statement"]) or "",
        "Nominees": joined(p.name for p in people),
        "NomineeIds": joined(p.imdb_id for p in people),
        "Winner": "True" if row["won"] else "",
        "Detail": row["song_title"] or "",
        "Note": imdb.get("note") or "",
        "Citation": "" if competitive else (row["nominee_statement"] or ""),
        "TmdbIds": joined(f.tmdb_id for f in films),
        "MatchStatus": row["match_status"],
        "OverrideApplied": "True" if imdb.get("override") else "",
        "Competitive": "True" if competitive else "",
        "OscarsUrl": row["source_url"] or "",
        "ImdbUrl": row["imdb_url"] or "",
    }


def build_dataset(conn: Connection) -> pd.DataFrame:
    """One row per nomination of every imported ceremony, the columns of COLUMNS."""
    films = by_nomination(conn, films_query(ACADEMY))
    people = by_nomination(conn, people_query(ACADEMY))
    rows = [
        dataset_row(dict(r), films.get(r.id, []), people.get(r.id, []))
        for r in conn.execute(_NOMINATIONS).mappings()
    ]
    import pandas as pd  # here, not at import: every run worker loads this module

    frame = pd.DataFrame(rows, columns=[c for c, _, _ in COLUMNS])
    return frame.astype({c: ("int64" if t == "int" else "string") for c, t, _ in COLUMNS})
