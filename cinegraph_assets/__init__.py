"""cinegraph-assets: the Academy Awards import of Cinegraph as a Dagster asset graph."""
