from cinegraph_assets.db.resource import DatabaseResource
from cinegraph_assets.db.upsert import (
    array_columns,
    bound,
    chunks,
    ids_by,
    insert_ignore,
    insert_rows,
    insert_statement,
    is_in,
    pg_array,
    run_raw,
    table,
    update_by,
    upsert,
)

__all__ = [
    "DatabaseResource",
    "array_columns",
    "bound",
    "chunks",
    "ids_by",
    "insert_ignore",
    "insert_statement",
    "is_in",
    "insert_rows",
    "pg_array",
    "run_raw",
    "table",
    "update_by",
    "upsert",
]
