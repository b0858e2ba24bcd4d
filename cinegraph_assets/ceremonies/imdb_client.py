"""IMDb: the Academy Awards event pages (event ev0000003)."""

from __future__ import annotations

from pydantic import Field

from cinegraph_assets.ceremonies.partitions import imdb_edition
from cinegraph_assets.clients import HtmlSiteClient
from cinegraph_assets.settings import Settings

ACADEMY_AWARDS_EVENT = "ev0000003"


class ImdbClient(HtmlSiteClient):
    """HTTP client for www.imdb.com (CINEGRAPH_IMDB_BASE_URL)."""

    base_url: str = Field(
        default=Settings.imdb_base_url, description="Base URL; may carry a path prefix."
    )
    requests_per_second: float = Settings.imdb_rate_limit
    site_name = "IMDb"

    def event_url(self, oscars_year: int) -> str:
        imdb_year, instance = imdb_edition(oscars_year)
        return self.public_url(f"/event/{ACADEMY_AWARDS_EVENT}/{imdb_year}/{instance}/")
