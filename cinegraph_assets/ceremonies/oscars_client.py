"""oscars.org: ceremony pages and the list of ceremony years."""

from __future__ import annotations

import re

from lxml import html as lxml_html
from pydantic import Field

from cinegraph_assets.ceremonies.partitions import FIRST_CEREMONY_YEAR
from cinegraph_assets.clients import HtmlSiteClient
from cinegraph_assets.settings import Settings

_YEAR_LINK = re.compile(r"/oscars/ceremonies/(\d{4})(?![\d/])")


class OscarsClient(HtmlSiteClient):
    """HTTP client for www.oscars.org (CINEGRAPH_OSCARS_BASE_URL)."""

    base_url: str = Field(
        default=Settings.oscars_base_url, description="Base URL; may carry a path prefix."
    )
    requests_per_second: float = Settings.oscars_rate_limit
    site_name = "oscars.org"

    def ceremony_url(self, year: int | str) -> str:
        return self.public_url(f"/oscars/ceremonies/{year}")

    def ceremony_years(self, probe_year: int) -> list[int]:
        """Every ceremony year the site links to, read from a ceremony page's year list
        (`li.year-YYYY a.year`; the decade links beside it point at /ceremonies/1920...)."""
        page = self.fetch_page(self.ceremony_url(probe_year))
        hrefs = lxml_html.fromstring(page.body or "<html/>").xpath(
            "//a[contains(concat(' ', normalize-space(@class), ' '), ' year ')]/@href"
        )
        years = {int(m.group(1)) for h in hrefs if (m := _YEAR_LINK.search(h))}
        return sorted(y for y in years if y >= FIRST_CEREMONY_YEAR)
