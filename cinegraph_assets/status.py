"""ceremony_import_status: every body's whole history at a glance, like Cinegraph's
dashboard: one row per Academy ceremony and per edition of each award body."""

import json
from typing import TYPE_CHECKING

from dagster import (
    AllPartitionMapping,
    AssetDep,
    AssetExecutionContext,
    AutomationCondition,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
)
from sqlalchemy import text

from cinegraph_assets.awards.editions import Edition
from cinegraph_assets.ceremonies.odd_content import stored_warnings
from cinegraph_assets.ceremonies.partitions import imdb_edition
from cinegraph_assets.db import DatabaseResource

if TYPE_CHECKING:
    import pandas as pd

_EDITIONS = text("""
SELECT c.id, o.body_key AS body, c.year, c.instance, c.ceremony_number, c.awarded,
       c.source_metadata,
       COUNT(DISTINCT CASE WHEN cat.is_competitive OR o.body_key <> 'oscars'
                           THEN cat.id END) AS categories,
       SUM(CASE WHEN n.source = 'oscars.org' OR o.body_key <> 'oscars'
                THEN 1 ELSE 0 END) AS nominations,
       SUM(CASE WHEN (n.source = 'oscars.org' OR o.body_key <> 'oscars') AND n.won
                THEN 1 ELSE 0 END) AS winners,
       SUM(CASE WHEN n.source = 'oscars.org' AND n.match_status IN ('matched', 'no_film')
                     OR o.body_key <> 'oscars'
                THEN 1 ELSE 0 END) AS matched,
       SUM(CASE WHEN n.source = 'oscars.org' AND n.match_status = 'no_film'
                     OR o.body_key <> 'oscars' AND n.film_title IS NULL
                THEN 1 ELSE 0 END) AS no_film
FROM festival_ceremonies c
JOIN festival_organizations o ON o.id = c.organization_id
JOIN festival_nominations n ON n.ceremony_id = c.id
JOIN festival_categories cat ON cat.id = n.category_id
GROUP BY c.id, o.body_key, c.year, c.instance, c.ceremony_number, c.awarded, c.source_metadata
""")

_MOVIES = text("""
SELECT n.ceremony_id AS id,
       COUNT(DISTINCT m.imdb_id) AS films,
       COUNT(DISTINCT CASE WHEN t.status IN ('ok', 'not_found') THEN m.imdb_id END) AS tmdb_done,
       COUNT(DISTINCT CASE WHEN o.status IN ('ok', 'not_found') THEN m.imdb_id END) AS omdb_done,
       COUNT(DISTINCT CASE WHEN t.status NOT IN ('ok', 'not_found')
                                OR o.status NOT IN ('ok', 'not_found')
                                OR k.status NOT IN ('ok', 'not_found') THEN m.imdb_id END)
           AS failed
FROM festival_nominations n
JOIN festival_nomination_movies nm ON nm.nomination_id = n.id
JOIN movies m ON m.id = nm.movie_id
LEFT JOIN partition_outcomes t ON t.partition_key = m.imdb_id AND t.asset = 'tmdb_movies'
LEFT JOIN partition_outcomes o ON o.partition_key = m.imdb_id AND o.asset = 'omdb_enrichment'
LEFT JOIN partition_outcomes k ON k.partition_key = m.imdb_id AND k.asset = 'collaborations'
GROUP BY n.ceremony_id
""")

_OTHER_TITLES = text("""
SELECT n.ceremony_id AS id, COUNT(DISTINCT t.imdb_id) AS other_titles
FROM festival_nominations n
JOIN festival_nomination_titles t ON t.nomination_id = n.id
GROUP BY n.ceremony_id
""")

_UNMATCHED = text("""
SELECT c.year, cat.name AS category, n.film_title, n.nominee_statement, n.match_status
FROM festival_nominations n
JOIN festival_ceremonies c ON c.id = n.ceremony_id
JOIN festival_categories cat ON cat.id = n.category_id
WHERE n.source = 'oscars.org' AND n.match_status NOT IN ('matched', 'no_film')
ORDER BY c.year, cat.name, n.position
""")

COLUMNS = [
    ("body", "string", "award body (oscars, cannes, golden_globes, ...)"),
    ("edition", "string", "IMDb edition: the year, '-2' for a second edition in a year"),
    ("year", "int", "the Academy: oscars.org URL year; other bodies: the edition's year"),
    ("ceremony", "int", "the Academy's ceremony number (0 for other bodies)"),
    ("awarded", "bool", "winners announced"),
    ("categories", "int", "categories (the Academy: competitive ones)"),
    ("nominations", "int", "the Academy: as printed on oscars.org; other bodies: on IMDb"),
    ("winners", "int", ""),
    ("films", "int", "distinct films"),
    ("other_titles", "int", "distinct series, episodes and games (never movie partitions)"),
    ("match_rate", "float", "share matched to IMDb (or known to have no film; 1 for IMDb bodies)"),
    ("unmatched", "int", "nominations left unmatched or ambiguous (listed below)"),
    ("no_film", "int", "nominations without a film or title (a company, a department, a person)"),
    ("warnings", "int", "odd but plausible content of the pages (listed below)"),
    ("tmdb_done", "int", "films through tmdb_movies"),
    ("omdb_done", "int", "films through omdb_enrichment"),
    ("failed", "int", "films whose latest movie run failed"),
]
_DTYPES = {"int": "int64", "float": "float64", "bool": "bool", "string": "object"}


def _edition(row) -> str:
    if row["body"] == "oscars":
        return Edition(*imdb_edition(int(row["year"]))).key
    return Edition(int(row["year"]), int(row["instance"])).key


def status_frame(db: DatabaseResource) -> "pd.DataFrame":
    """One row per imported ceremony or edition of every body, the columns of COLUMNS."""
    import pandas as pd  # here, not at import: every run worker loads this module

    with db.transaction() as conn:
        editions = pd.DataFrame(conn.execute(_EDITIONS).mappings().all())
        movies = pd.DataFrame(conn.execute(_MOVIES).mappings().all())
        others = pd.DataFrame(conn.execute(_OTHER_TITLES).mappings().all())
    if editions.empty:
        return pd.DataFrame({name: pd.Series(dtype=_DTYPES[kind]) for name, kind, _ in COLUMNS})
    if movies.empty:
        movies = pd.DataFrame(columns=["id", "films", "tmdb_done", "omdb_done", "failed"])
    if others.empty:
        others = pd.DataFrame(columns=["id", "other_titles"])
    editions["warnings"] = [len(stored_warnings(_json(m))) for m in editions["source_metadata"]]
    frame = editions.merge(movies, on="id", how="left").merge(others, on="id", how="left")
    frame = frame.drop(columns=["source_metadata"]).fillna(0)
    frame = frame.rename(columns={"ceremony_number": "ceremony"})
    frame["edition"] = [_edition(r) for r in frame.to_dict("records")]
    nominations = frame["nominations"].astype(int)
    frame["match_rate"] = (
        (frame["matched"] / nominations.where(nominations > 0)).fillna(0.0).round(4)
    )
    frame["unmatched"] = nominations - frame["matched"].astype(int)
    frame["awarded"] = frame["awarded"].astype(bool)
    frame = frame.sort_values(["body", "year", "instance"], key=_oscars_first)
    return (
        frame[[c for c, _, _ in COLUMNS]]
        .astype({name: _DTYPES[kind] for name, kind, _ in COLUMNS})
        .reset_index(drop=True)
    )


def _oscars_first(column: "pd.Series") -> "pd.Series":
    return column.map(lambda b: (b != "oscars", b)) if column.name == "body" else column


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _warnings(conn) -> list[tuple[str, str, dict]]:
    """(body, edition, warning) of every stored warning (odd_content.py)."""
    rows = conn.execute(_EDITIONS).mappings().all()
    found = [
        (r["body"], _edition(r), w)
        for r in rows
        for w in stored_warnings(_json(r["source_metadata"]))
    ]
    return sorted(found, key=lambda f: (f[0] != "oscars", f[0], f[1]))


def warnings_markdown(db: DatabaseResource) -> str:
    with db.transaction() as conn:
        rows = _warnings(conn)
    if not rows:
        return "Nothing odd in any imported year or edition."
    lines = ["| body | edition | source | kind | where | what |", "|---|---|---|---|---|---|"]
    lines += [
        f"| {body} | {edition} | {w.get('source')} | {w.get('kind')} | "
        f"{str(w.get('where', '')).replace('|', '/')} | "
        f"{str(w.get('message', '')).replace('|', '/')[:200]} |"
        for body, edition, w in rows
    ]
    return "\n".join(lines)


def status_rows(db: DatabaseResource) -> list[dict]:
    return status_frame(db).to_dict("records")


def unmatched_markdown(db: DatabaseResource) -> str:
    with db.transaction() as conn:
        rows = conn.execute(_UNMATCHED).all()
    if not rows:
        return "Every nomination of every imported year is matched."
    lines = ["| year | category | film | nominee | status |", "|---:|---|---|---|---|"]
    lines += [
        f"| {r.year} | {r.category} | {r.film_title or '-'} | "
        f"{(r.nominee_statement or '-')[:80]} | {r.match_status} |"
        for r in rows
    ]
    return "\n".join(lines)


@asset(
    deps=[
        AssetDep(a, partition_mapping=AllPartitionMapping())
        for a in (
            # By key, as the code location builds these from its Settings; and every
            # award body's asset, wired by the code location (definitions.py).
            "imdb_enhanced_nominees",
            "tmdb_movies",
            "omdb_enrichment",
            "collaborations",
        )
    ],
    group_name="status",
    code_version="3",
    # Fresh every 15 minutes without a job and schedule of its own; never two at once.
    automation_condition=AutomationCondition.cron_tick_passed("*/15 * * * *")
    & ~AutomationCondition.in_progress(),
    description="One row per imported ceremony of the Academy and edition of every award "
    "body: nominations, winners, films and other titles, match rate, unmatched nominations "
    "(listed), odd page content (counted and listed), movies enriched and failed. "
    "Refreshed every 15 minutes.",
)
def ceremony_import_status(
    context: AssetExecutionContext, db: DatabaseResource
) -> MaterializeResult:
    frame = status_frame(db)
    records = frame.to_dict("records")
    names = [c for c, _, _ in COLUMNS]
    markdown = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    markdown += ["| " + " | ".join(str(r[c]) for c in names) + " |" for r in records]
    return MaterializeResult(
        metadata={
            "ceremonies": int((frame["body"] == "oscars").sum()),
            "editions_by_body": MetadataValue.json(
                {str(k): int(v) for k, v in frame["body"].value_counts().sort_index().items()}
            ),
            "nominations": int(frame["nominations"].sum()),
            "films": int(frame["films"].sum()),
            "unmatched_nominations": int(frame["unmatched"].sum()),
            "warnings": int(frame["warnings"].sum()),
            "failed_films": int(frame["failed"].sum()),
            "database": db.display_url,
            "status": MetadataValue.table(
                records=[TableRecord(r) for r in records],
                schema=TableSchema(
                    columns=[TableColumn(c, t, description=d) for c, t, d in COLUMNS]
                ),
            ),
            "status_table": MetadataValue.md(
                "\n".join(markdown) if records else "Nothing imported yet."
            ),
            "unmatched_md": MetadataValue.md(unmatched_markdown(db)),
            "warnings_md": MetadataValue.md(warnings_markdown(db)),
        }
    )
