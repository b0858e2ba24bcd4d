"""Every nomination of every award body as one table: award_nominations.csv / .parquet.

One row per nomination, the Academy's included, in the layout of the curated record
(multi-valued fields `|`-separated, Winner "True" or empty): Body, EventId, Edition,
Year, Award, Category, Film, FilmId, TitleType, Name, NomineeIds, Winner, TmdbIds.
Film and FilmId hold every title of the nomination, films and television alike;
TitleType gives IMDb's type of each (or the kind decided where the page gave none);
TmdbIds the TMDb ids of its films. Pure functions over rows read from the database.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

from cinegraph_assets.awards.editions import Edition
from cinegraph_assets.ceremonies.partitions import imdb_edition
from cinegraph_assets.exports.dataset import by_nomination, films_query, joined, people_query

if TYPE_CHECKING:
    import pandas as pd

NAME = "award_nominations"
COLUMNS = [
    ("Body", "string", "the award body's key (oscars, cannes, golden_globes, ...)"),
    ("EventId", "string", "its IMDb event id"),
    ("Edition", "string", "the IMDb edition: the year, '-2' for a second edition in a year"),
    ("Year", "int", "the edition's year (the Academy: the ceremony's oscars.org year)"),
    ("Award", "string", "the award (prize family), e.g. Palme d'Or, Un Certain Regard Award"),
    ("Category", "string", "the category within the award (the award's text when none)"),
    ("Film", "string", "titles of the nomination, films and television, |-separated"),
    ("FilmId", "string", "their IMDb title ids, |-separated"),
    ("TitleType", "string", "IMDb's type of each title (or the kind decided), |-separated"),
    ("Name", "string", "the nominated people and companies, |-separated"),
    ("NomineeIds", "string", "IMDb name ids of the people, |-separated"),
    ("Winner", "string", "True, or empty"),
    ("TmdbIds", "string", "TMDb movie ids of its films, |-separated"),
]

_EVERY = "TRUE"
_NOMINATIONS = text("""
SELECT n.id, o.body_key, o.imdb_event_id, c.year, c.instance, cat.award_name,
       cat.name AS category, n.won, n.nominee_statement, n.film_title, n.details
FROM festival_nominations n
JOIN festival_ceremonies c ON c.id = n.ceremony_id
JOIN festival_organizations o ON o.id = c.organization_id
JOIN festival_categories cat ON cat.id = n.category_id
ORDER BY o.body_key, c.year, c.instance, cat.id, n.position, n.id
""")
_OTHER_TITLES = text("""
SELECT nomination_id, imdb_id, title, title_type, kind
FROM festival_nomination_titles
ORDER BY nomination_id, position
""")


def edition_of(row: dict[str, Any]) -> str:
    """The IMDb edition key: the Academy's rows are keyed by oscars.org year."""
    if row["body_key"] == "oscars":
        return Edition(*imdb_edition(row["year"])).key
    return Edition(row["year"], row["instance"]).key


def _imdb(details: Any) -> dict[str, Any]:
    """The IMDb summary a nomination's details keep (titles with types, companies)."""
    if isinstance(details, str):  # SQLite hands JSON to a plain SELECT as text
        details = json.loads(details)
    found = (details or {}).get("imdb")
    return found if isinstance(found, dict) else {}


def award_row(row: dict[str, Any], films: list, others: list, people: list) -> dict[str, Any]:
    imdb = _imdb(row["details"])
    typed = {t["id"]: t.get("type") or t.get("kind") for t in imdb.get("titles") or [] if "id" in t}
    titles = [(f.imdb_id, f.title, typed.get(f.imdb_id)) for f in films]
    titles += [(t.imdb_id, t.title, t.title_type or t.kind) for t in others]
    names = [p.name for p in people] + list(imdb.get("companies") or [])
    return {
        "Body": row["body_key"] or "",
        "EventId": row["imdb_event_id"] or "",
        "Edition": edition_of(row),
        "Year": row["year"],
        "Award": row["award_name"],
        "Category": row["category"],
        "Film": joined(t for _, t, _ in titles) or (row["film_title"] or ""),
        "FilmId": joined(i for i, _, _ in titles),
        "TitleType": "|".join(k or "" for *_, k in titles) if any(k for *_, k in titles) else "",
        "Name": joined(names),
        "NomineeIds": joined(p.imdb_id for p in people),
        "Winner": "True" if row["won"] else "",
        "TmdbIds": joined(f.tmdb_id for f in films),
    }


def build_award_dataset(conn: Connection) -> pd.DataFrame:
    films = by_nomination(conn, films_query(_EVERY))
    people = by_nomination(conn, people_query(_EVERY))
    others = by_nomination(conn, _OTHER_TITLES)
    rows = [
        award_row(dict(r), films.get(r.id, []), others.get(r.id, []), people.get(r.id, []))
        for r in conn.execute(_NOMINATIONS).mappings()
    ]
    import pandas as pd  # here, not at import: every run worker loads this module

    frame = pd.DataFrame(rows, columns=[c for c, _, _ in COLUMNS])
    return frame.astype({c: ("int64" if t == "int" else "string") for c, t, _ in COLUMNS})
