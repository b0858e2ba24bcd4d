"""The published datasets, as CSV and Parquet files: oscar_nominations_dataset (the
Academy, in the curated record's columns) and award_nominations_dataset (every body)."""

from dagster import (
    AllPartitionMapping,
    AssetDep,
    AssetExecutionContext,
    AutomationCondition,
    Config,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableRecord,
    TableSchema,
    asset,
)
from pydantic import Field

from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.exports import awards
from cinegraph_assets.exports.dataset import COLUMNS, build_dataset
from cinegraph_assets.exports.writer import write_dataset
from cinegraph_assets.settings import SETTINGS

SCHEMA = TableSchema(columns=[TableColumn(name, kind, description=d) for name, kind, d in COLUMNS])
PREVIEW = ("Category", "Film", "Name", "Winner", "FilmId", "NomineeIds", "MatchStatus")

# After imports, once: the years or movies it reads changed since it was last
# requested, and none of them is being materialized right now, so a backfill of the
# whole history rebuilds it once at the end, not once per year or batch.
AFTER_IMPORTS = (
    AutomationCondition.any_deps_updated().since_last_handled()
    & ~AutomationCondition.any_deps_in_progress()
    & ~AutomationCondition.in_progress()
).with_label("after imports settle")


class ExportConfig(Config):
    destination: str = Field(
        default="",
        description="A folder or a URL pandas can write to (s3://bucket/prefix with s3fs). "
        "Empty: CINEGRAPH_EXPORT_DIR (default ./data/exports).",
    )


def _counts(frame, column: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in frame[column].value_counts().sort_index().items()}


def _preview(frame) -> MetadataValue:
    latest = frame[frame["Ceremony"] == frame["Ceremony"].max()] if len(frame) else frame
    records = [TableRecord({c: str(r[c]) for c in PREVIEW}) for r in latest.to_dict("records")[:50]]
    schema = TableSchema(columns=[c for c in SCHEMA.columns if c.name in PREVIEW])
    return MetadataValue.table(records=records, schema=schema)


@asset(
    deps=[
        # By key: the code location builds the upstream assets from its Settings.
        AssetDep("imdb_enhanced_nominees", partition_mapping=AllPartitionMapping()),
        AssetDep("tmdb_movies", partition_mapping=AllPartitionMapping()),
    ],
    group_name="exports",
    code_version="1",
    automation_condition=AFTER_IMPORTS,
    kinds={"pandas", "parquet", "csv"},
    description="Every nomination of every imported ceremony, competitive and IMDb-only "
    "awards, as oscar_nominations.csv and .parquet in CINEGRAPH_EXPORT_DIR: the columns "
    "of the curated record (DLu's oscars.csv) plus TMDb ids, match status, overrides and "
    "source pages. Load it with pandas.read_parquet(...).",
)
def oscar_nominations_dataset(
    context: AssetExecutionContext, config: ExportConfig, db: DatabaseResource
) -> MaterializeResult:
    with db.transaction() as conn:
        frame = build_dataset(conn)
    written = write_dataset(frame, config.destination or SETTINGS.resolved_export_dir)
    decades = (frame["Ceremony"] + 1927) // 10 * 10
    context.log.info(f"wrote {len(frame)} nominations to {written.csv} and {written.parquet}")
    return MaterializeResult(
        metadata={
            "dagster/row_count": len(frame),
            "dagster/column_schema": MetadataValue.table_schema(SCHEMA),
            "ceremonies": int(frame["Ceremony"].nunique()),
            "by_class": MetadataValue.json(_counts(frame, "Class")),
            "by_decade": MetadataValue.json(_counts(frame.assign(Decade=decades), "Decade")),
            "csv": _link(written.csv),
            "parquet": _link(written.parquet),
            "latest_ceremony": _preview(frame),
        }
    )


def _link(location: str) -> MetadataValue:
    return MetadataValue.url(location) if "://" in location else MetadataValue.path(location)


AWARD_SCHEMA = TableSchema(
    columns=[TableColumn(name, kind, description=d) for name, kind, d in awards.COLUMNS]
)


@asset(
    deps=[
        # And every award body's asset, wired by the code location (definitions.py).
        AssetDep("imdb_enhanced_nominees", partition_mapping=AllPartitionMapping()),
        AssetDep("tmdb_movies", partition_mapping=AllPartitionMapping()),
    ],
    group_name="exports",
    code_version="1",
    automation_condition=AFTER_IMPORTS,
    kinds={"pandas", "parquet", "csv"},
    description="Every nomination of every award body (the Academy and the bodies of "
    "awards/bodies.toml), one row each, as award_nominations.csv and .parquet in "
    "CINEGRAPH_EXPORT_DIR: Body, EventId, Edition, Year, Award, Category, Film, FilmId, "
    "TitleType, Name, NomineeIds, Winner, TmdbIds (multi-valued fields |-separated).",
)
def award_nominations_dataset(
    context: AssetExecutionContext, config: ExportConfig, db: DatabaseResource
) -> MaterializeResult:
    with db.transaction() as conn:
        frame = awards.build_award_dataset(conn)
    destination = config.destination or SETTINGS.resolved_export_dir
    written = write_dataset(frame, destination, name=awards.NAME)
    context.log.info(f"wrote {len(frame)} nominations to {written.csv} and {written.parquet}")
    editions = frame[["Body", "Edition"]].drop_duplicates()
    return MaterializeResult(
        metadata={
            "dagster/row_count": len(frame),
            "dagster/column_schema": MetadataValue.table_schema(AWARD_SCHEMA),
            "by_body": MetadataValue.json(_counts(frame, "Body")),
            "editions_by_body": MetadataValue.json(_counts(editions, "Body")),
            "csv": _link(written.csv),
            "parquet": _link(written.parquet),
        }
    )
