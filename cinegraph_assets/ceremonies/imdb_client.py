"""IMDb: event pages (the Academy Awards are event ev0000003; other bodies are in
awards/bodies.toml)."""

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
        """The Academy Awards edition page of an oscars.org ceremony year."""
        return self.edition_url(ACADEMY_AWARDS_EVENT, *imdb_edition(oscars_year))

    def edition_url(self, event_id: str, year: int, instance: int = 1) -> str:
        return self.public_url(f"/event/{event_id}/{year}/{instance}/")

    def event_root_url(self, event_id: str) -> str:
        """IMDb answers an event's own address with its latest edition's page."""
        return self.public_url(f"/event/{event_id}/")
