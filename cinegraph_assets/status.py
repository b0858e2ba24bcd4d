"""ceremony_import_status: the whole history at a glance, like Cinegraph's dashboard."""

from dagster import (
    AllPartitionMapping,
    AssetDep,
    AssetExecutionContext,
    DefaultScheduleStatus,
    MaterializeResult,
    MetadataValue,
    ScheduleDefinition,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
    define_asset_job,
)
from sqlalchemy import text

from cinegraph_assets.ceremonies.assets import imdb_enhanced_nominees
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.movies.assets import collaborations_asset, omdb_enrichment, tmdb_movies
from cinegraph_assets.settings import OWNERS, database_kind, describe

_YEARS = text("""
SELECT c.year, c.ceremony_number, c.awarded,
       COUNT(DISTINCT CASE WHEN cat.is_competitive THEN cat.id END) AS categories,
       SUM(CASE WHEN n.source = 'oscars.org' THEN 1 ELSE 0 END) AS nominations,
       SUM(CASE WHEN n.source = 'oscars.org' AND n.won THEN 1 ELSE 0 END) AS winners,
       SUM(CASE WHEN n.match_status = 'matched' THEN 1 ELSE 0 END) AS matched
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
       COUNT(DISTINCT CASE WHEN t.status = 'failed' OR o.status = 'failed'
                                OR k.status = 'failed' THEN cm.imdb_id END) AS failed
FROM ceremony_movies cm
LEFT JOIN movie_asset_status t ON t.imdb_id = cm.imdb_id AND t.asset = 'tmdb_movies'
LEFT JOIN movie_asset_status o ON o.imdb_id = cm.imdb_id AND o.asset = 'omdb_enrichment'
LEFT JOIN movie_asset_status k ON k.imdb_id = cm.imdb_id AND k.asset = 'collaborations'
GROUP BY cm.year
""")

COLUMNS = [
    ("year", "int", "oscars.org URL year"),
    ("ceremony", "int", "ceremony number"),
    ("awarded", "bool", "winners announced"),
    ("categories", "int", "competitive categories"),
    ("nominations", "int", "as printed on oscars.org"),
    ("winners", "int", ""),
    ("films", "int", "distinct films"),
    ("match_rate", "float", "share matched to IMDb"),
    ("tmdb_done", "int", "films through tmdb_movies"),
    ("omdb_done", "int", "films through omdb_enrichment"),
    ("failed", "int", "films whose latest movie run failed"),
]


def status_rows(db: DatabaseResource) -> list[dict]:
    with db.transaction() as conn:
        years = conn.execute(_YEARS).mappings().all()
        movies = {r["year"]: r for r in conn.execute(_MOVIES).mappings().all()}
    rows = []
    for y in years:
        m = movies.get(y["year"], {})
        nominations = int(y["nominations"] or 0)
        rows.append(
            {
                "year": y["year"],
                "ceremony": y["ceremony_number"],
                "awarded": bool(y["awarded"]),
                "categories": int(y["categories"] or 0),
                "nominations": nominations,
                "winners": int(y["winners"] or 0),
                "films": int(m.get("films", 0) or 0),
                "match_rate": round(int(y["matched"] or 0) / nominations, 4)
                if nominations
                else 0.0,
                "tmdb_done": int(m.get("tmdb_done", 0) or 0),
                "omdb_done": int(m.get("omdb_done", 0) or 0),
                "failed": int(m.get("failed", 0) or 0),
            }
        )
    return rows


@asset(
    deps=[
        AssetDep(a, partition_mapping=AllPartitionMapping())
        for a in (imdb_enhanced_nominees, tmdb_movies, omdb_enrichment, collaborations_asset)
    ],
    group_name="status",
    kinds={database_kind()},
    owners=OWNERS,
    code_version="1",
    description=describe(
        "One row per imported ceremony: nominations, winners, films, match rate, "
        "movies enriched and failed. Refreshed every 15 minutes by import_status_schedule."
    ),
)
def ceremony_import_status(
    context: AssetExecutionContext, db: DatabaseResource
) -> MaterializeResult:
    rows = status_rows(db)
    names = [c for c, _, _ in COLUMNS]
    markdown = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    markdown += ["| " + " | ".join(str(r[c]) for c in names) + " |" for r in rows]
    return MaterializeResult(
        metadata={
            "ceremonies": len(rows),
            "nominations": sum(r["nominations"] for r in rows),
            "films": sum(r["films"] for r in rows),
            "failed_films": sum(r["failed"] for r in rows),
            "database": db.display_url,
            "status": MetadataValue.table(
                records=[TableRecord(r) for r in rows],
                schema=TableSchema(
                    columns=[TableColumn(c, t, description=d) for c, t, d in COLUMNS]
                ),
            ),
            "status_table": MetadataValue.md(
                "\n".join(markdown) if rows else "Nothing imported yet."
            ),
        }
    )


import_status_job = define_asset_job("import_status_job", selection=[ceremony_import_status])
import_status_schedule = ScheduleDefinition(
    job=import_status_job,
    cron_schedule="*/15 * * * *",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Refresh ceremony_import_status.",
)
