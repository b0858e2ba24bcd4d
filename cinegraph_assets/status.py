"""ceremony_import_status: the whole history at a glance, like Cinegraph's dashboard."""

import pandas as pd
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
from sqlalchemy import select, text

from cinegraph_assets.ceremonies.assets import imdb_enhanced_nominees
from cinegraph_assets.ceremonies.odd_content import stored_warnings
from cinegraph_assets.db import DatabaseResource, table
from cinegraph_assets.movies.assets import collaborations_asset, omdb_enrichment, tmdb_movies

_YEARS = text("""
SELECT c.year, c.ceremony_number, c.awarded,
       COUNT(DISTINCT CASE WHEN cat.is_competitive THEN cat.id END) AS categories,
       SUM(CASE WHEN n.source = 'oscars.org' THEN 1 ELSE 0 END) AS nominations,
       SUM(CASE WHEN n.source = 'oscars.org' AND n.won THEN 1 ELSE 0 END) AS winners,
       SUM(CASE WHEN n.source = 'oscars.org' AND n.match_status IN ('matched', 'no_film')
                THEN 1 ELSE 0 END) AS matched,
       SUM(CASE WHEN n.source = 'oscars.org' AND n.match_status = 'no_film'
                THEN 1 ELSE 0 END) AS no_film
FROM festival_ceremonies c
JOIN festival_nominations n ON n.ceremony_id = c.id
JOIN festival_categories cat ON cat.id = n.category_id
GROUP BY c.year, c.ceremony_number, c.awarded
ORDER BY c.year
""")

_MOVIES = text("""
SELECT cm.year,
       COUNT(DISTINCT cm.imdb_id) AS films,
       COUNT(DISTINCT CASE WHEN t.status IN ('ok', 'not_found') THEN cm.imdb_id END) AS tmdb_done,
       COUNT(DISTINCT CASE WHEN o.status IN ('ok', 'not_found') THEN cm.imdb_id END) AS omdb_done,
       COUNT(DISTINCT CASE WHEN t.status NOT IN ('ok', 'not_found')
                                OR o.status NOT IN ('ok', 'not_found')
                                OR k.status NOT IN ('ok', 'not_found') THEN cm.imdb_id END)
           AS failed
FROM ceremony_movies cm
LEFT JOIN partition_outcomes t ON t.partition_key = cm.imdb_id AND t.asset = 'tmdb_movies'
LEFT JOIN partition_outcomes o ON o.partition_key = cm.imdb_id AND o.asset = 'omdb_enrichment'
LEFT JOIN partition_outcomes k ON k.partition_key = cm.imdb_id AND k.asset = 'collaborations'
GROUP BY cm.year
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
    ("year", "int", "oscars.org URL year"),
    ("ceremony", "int", "ceremony number"),
    ("awarded", "bool", "winners announced"),
    ("categories", "int", "competitive categories"),
    ("nominations", "int", "as printed on oscars.org"),
    ("winners", "int", ""),
    ("films", "int", "distinct films"),
    ("match_rate", "float", "share matched to IMDb (or known to have no film)"),
    ("unmatched", "int", "nominations left unmatched or ambiguous (listed below)"),
    ("no_film", "int", "nominations of a company or department, without a film"),
    ("warnings", "int", "odd but plausible content of the year's pages (listed below)"),
    ("tmdb_done", "int", "films through tmdb_movies"),
    ("omdb_done", "int", "films through omdb_enrichment"),
    ("failed", "int", "films whose latest movie run failed"),
]


def status_frame(db: DatabaseResource) -> pd.DataFrame:
    """One row per imported ceremony, the columns of COLUMNS."""
    with db.transaction() as conn:
        years = pd.DataFrame(conn.execute(_YEARS).mappings().all())
        movies = pd.DataFrame(conn.execute(_MOVIES).mappings().all())
        warnings = _warnings(conn)
    if years.empty:
        return pd.DataFrame({name: pd.Series(dtype=_DTYPES[kind]) for name, kind, _ in COLUMNS})
    if movies.empty:
        movies = pd.DataFrame(columns=["year", "films", "tmdb_done", "omdb_done", "failed"])
    counts = pd.DataFrame(
        {
            "year": pd.Series(list(warnings), dtype="int64"),
            "warnings": pd.Series([len(rows) for rows in warnings.values()], dtype="int64"),
        }
    )
    frame = years.merge(movies, on="year", how="left").merge(counts, on="year", how="left")
    frame = frame.fillna(0)
    frame = frame.rename(columns={"ceremony_number": "ceremony"})
    nominations = frame["nominations"].astype(int)
    frame["match_rate"] = (
        (frame["matched"] / nominations.where(nominations > 0)).fillna(0.0).round(4)
    )
    frame["unmatched"] = nominations - frame["matched"].astype(int)
    frame["awarded"] = frame["awarded"].astype(bool)
    return frame[[c for c, _, _ in COLUMNS]].astype(
        {name: _DTYPES[kind] for name, kind, _ in COLUMNS}
    )


_DTYPES = {"int": "int64", "float": "float64", "bool": "bool"}


def _warnings(conn) -> dict[int, list[dict]]:
    """The stored warnings of every ceremony, by year (odd_content.py)."""
    c = table(conn, "festival_ceremonies")
    rows = conn.execute(select(c.c.year, c.c.source_metadata).order_by(c.c.year))
    return {year: stored_warnings(metadata) for year, metadata in rows}


def warnings_markdown(db: DatabaseResource) -> str:
    with db.transaction() as conn:
        by_year = _warnings(conn)
    rows = [(year, w) for year, found in by_year.items() for w in found]
    if not rows:
        return "Nothing odd in any imported year."
    lines = ["| year | source | kind | where | what |", "|---:|---|---|---|---|"]
    lines += [
        f"| {year} | {w.get('source')} | {w.get('kind')} | "
        f"{str(w.get('where', '')).replace('|', '/')} | "
        f"{str(w.get('message', '')).replace('|', '/')[:200]} |"
        for year, w in rows
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
        for a in (imdb_enhanced_nominees, tmdb_movies, omdb_enrichment, collaborations_asset)
    ],
    group_name="status",
    code_version="3",
    # Fresh every 15 minutes without a job and schedule of its own; never two at once.
    automation_condition=AutomationCondition.cron_tick_passed("*/15 * * * *")
    & ~AutomationCondition.in_progress(),
    description="One row per imported ceremony: nominations, winners, films, match rate, "
    "unmatched nominations (listed), odd page content (counted and listed), movies "
    "enriched and failed. Refreshed every 15 minutes.",
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
            "ceremonies": len(frame),
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
