from dagster import AssetSelection, define_asset_job

ceremony_year_job = define_asset_job(
    "ceremony_year_job",
    selection=AssetSelection.assets("scraped_ceremony", "imdb_enhanced_nominees"),
    description="Scrape a ceremony year from oscars.org and match it to IMDb (with checks).",
)
