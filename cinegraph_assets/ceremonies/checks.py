"""Checks of a ceremony year. Blocking: a bad year does not fan out to its movies."""

from dagster import AssetCheckExecutionContext, AssetCheckResult, MetadataValue, asset_check
from sqlalchemy import and_, case, func, select

from cinegraph_assets.ceremonies.assets import imdb_enhanced_nominees, scraped_ceremony
from cinegraph_assets.ceremonies.oscars_parser import parse_ceremony_page
from cinegraph_assets.ceremonies.partitions import ceremony_years, parse_year
from cinegraph_assets.db import DatabaseResource, table
from cinegraph_assets.settings import env_float

MIN_MATCH_RATE = env_float("CINEGRAPH_MIN_MATCH_RATE", 0.98)


def _category_rows(conn, year: int):
    c, n, cat = (
        table(conn, t)
        for t in ("festival_ceremonies", "festival_nominations", "festival_categories")
    )
    return conn.execute(
        select(
            cat.c.name,
            cat.c.is_competitive,
            c.c.awarded,
            func.count(n.c.id).label("nominations"),
            func.sum(case((n.c.won, 1), else_=0)).label("winners"),
            # A film the page printed but no movie attached. (Some early nominations
            # name no film at all: Title Writing and Engineering Effects in 1929.)
            func.sum(
                case((and_(n.c.movie_id.is_(None), n.c.film_title.is_not(None)), 1), else_=0)
            ).label("no_movie"),
            func.sum(case((n.c.match_status == "matched", 1), else_=0)).label("matched"),
        )
        .join(n, n.c.category_id == cat.c.id)
        .join(c, c.c.id == n.c.ceremony_id)
        .where(and_(c.c.year == year, n.c.source == "oscars.org"))
        .group_by(cat.c.name, cat.c.is_competitive, c.c.awarded)
    ).all()


@asset_check(
    asset=scraped_ceremony,
    blocking=True,
    partitions_def=ceremony_years,
    description="Every category has at least one nomination and, once the ceremony "
    "is awarded, at least one winner (ties give two).",
)
def categories_have_nominees_and_winners(
    context: AssetCheckExecutionContext, db: DatabaseResource
) -> AssetCheckResult:
    year = parse_year(context.partition_key)
    with db.transaction() as conn:
        rows = _category_rows(conn, year)
    awarded = bool(rows and rows[0].awarded)
    bad = [
        r.name
        for r in rows
        if r.nominations == 0 or (awarded and r.is_competitive and not r.winners)
    ]
    return AssetCheckResult(
        passed=bool(rows) and not bad,
        metadata={
            "categories": len(rows),
            "awarded": awarded,
            "categories_without_winner": MetadataValue.json(bad),
        },
    )


@asset_check(
    asset=scraped_ceremony,
    blocking=True,
    partitions_def=ceremony_years,
    description="The number of nominations stored equals the number of honorees on "
    "the stored oscars.org page.",
)
def nomination_count_matches_page(
    context: AssetCheckExecutionContext, db: DatabaseResource
) -> AssetCheckResult:
    year = parse_year(context.partition_key)
    with db.transaction() as conn:
        c, n, rp = (
            table(conn, t) for t in ("festival_ceremonies", "festival_nominations", "raw_pages")
        )
        ceremony = conn.execute(
            select(c.c.id, c.c.source_url, c.c.source_metadata).where(c.c.year == year)
        ).first()
        if ceremony is None:
            return AssetCheckResult(passed=False, metadata={"problem": "ceremony not stored"})
        stored = conn.execute(
            select(func.count())
            .select_from(n)
            .where(and_(n.c.ceremony_id == ceremony.id, n.c.source == "oscars.org"))
        ).scalar()
        sha = (ceremony.source_metadata or {}).get("oscars_page_sha256")
        body = conn.execute(select(rp.c.body).where(rp.c.sha256 == sha).limit(1)).scalar()
    on_page = (
        len(parse_ceremony_page(body, url=ceremony.source_url, year=year).nominations)
        if body
        else -1
    )
    return AssetCheckResult(
        passed=stored == on_page, metadata={"stored": stored, "on_page": on_page}
    )


@asset_check(
    asset=imdb_enhanced_nominees,
    blocking=True,
    partitions_def=ceremony_years,
    description="At least CINEGRAPH_MIN_MATCH_RATE (default 98%) of the nominations "
    "are matched to IMDb.",
)
def imdb_match_rate(context: AssetCheckExecutionContext, db: DatabaseResource) -> AssetCheckResult:
    year = parse_year(context.partition_key)
    with db.transaction() as conn:
        rows = _category_rows(conn, year)
    total = sum(r.nominations for r in rows)
    matched = sum(r.matched or 0 for r in rows)
    rate = matched / total if total else 0.0
    return AssetCheckResult(
        passed=rate >= MIN_MATCH_RATE,
        metadata={
            "match_rate": round(rate, 4),
            "threshold": MIN_MATCH_RATE,
            "matched": matched,
            "nominations": total,
        },
    )


@asset_check(
    asset=imdb_enhanced_nominees,
    blocking=True,
    partitions_def=ceremony_years,
    description="No nomination of a competitive category is left without a movie "
    "(where the page names a film; a few early ones name none).",
)
def competitive_nominations_have_movies(
    context: AssetCheckExecutionContext, db: DatabaseResource
) -> AssetCheckResult:
    year = parse_year(context.partition_key)
    with db.transaction() as conn:
        rows = _category_rows(conn, year)
    missing = {r.name: r.no_movie for r in rows if r.is_competitive and r.no_movie}
    return AssetCheckResult(
        passed=not missing,
        metadata={
            "nominations_without_movie": sum(missing.values()),
            "by_category": MetadataValue.json(missing),
        },
    )


CEREMONY_CHECKS = [
    categories_have_nominees_and_winners,
    nomination_count_matches_page,
    imdb_match_rate,
    competitive_nominations_have_movies,
]
