from dagster import AssetKey, define_asset_job

MOVIE_ASSET_KEYS = frozenset(
    AssetKey(k) for k in ("tmdb_movies", "omdb_enrichment", "collaborations")
)

movie_assets_job = define_asset_job(
    "movie_assets_job",
    selection=list(MOVIE_ASSET_KEYS),
    description="TMDb, OMDb and collaborations of the movies in a partition or range.",
)

omdb_refresh_job = define_asset_job(
    "omdb_refresh_job",
    selection=[AssetKey("omdb_enrichment")],
    description="Re-fetch OMDb ratings and box office (they move) for chosen movies.",
)
