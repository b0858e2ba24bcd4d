from cinegraph_assets.db.resource import DatabaseResource
from cinegraph_assets.db.upsert import (
    insert_ignore,
    insert_statement,
    is_in,
    many_rows,
    table,
    upsert,
)

__all__ = [
    "DatabaseResource",
    "insert_ignore",
    "insert_statement",
    "is_in",
    "many_rows",
    "table",
    "upsert",
]
