"""Dagster resource bases of the four upstream clients (settings, the shared budget).

Each upstream has its own client module (ceremonies/oscars_client.py,
ceremonies/imdb_client.py, tmdb/client.py, movies/omdb_client.py) on these
bases; the HTTP behaviour itself is in http.py.
"""

from __future__ import annotations

from typing import ClassVar

from dagster import ConfigurableResource
from pydantic import Field, PrivateAttr

from cinegraph_assets import rate_limits
from cinegraph_assets.http import (
    DEFAULT_USER_AGENT,
    FetchedPage,
    UpstreamHttp,
    fetch_html,
    join_url,
    strip_credentials,
    url_secrets,
)
from cinegraph_assets.settings import Settings


class UpstreamClient(ConfigurableResource):
    """Settings every upstream client resource has; subclasses add what is theirs."""

    base_url: str = Field(description="Base URL; may carry a path prefix.")
    timeout_seconds: float = Settings.http_timeout_seconds
    deadline_seconds: float = Field(
        default=120.0, description="A whole response must arrive within this long."
    )
    max_response_bytes: int = Field(default=20 * 1024 * 1024, description="Size cap.")
    max_attempts: int = Settings.api_max_attempts
    backoff_seconds: float = Settings.api_backoff_seconds
    max_retry_after_seconds: float = 120.0
    requests_per_second: float = 2.0
    budget_url: str = Field(
        default="",
        description="Database holding the request-rate budget shared by every process "
        "(the data database). Empty: the budget is this process's alone.",
    )
    user_agent: str = DEFAULT_USER_AGENT

    _http: UpstreamHttp | None = PrivateAttr(default=None)
    site_name: ClassVar[str] = "site"

    def secrets(self) -> list[str]:
        return url_secrets(self.base_url)

    def proxy(self) -> str:
        return ""

    def public_url(self, path: str) -> str:
        """The address as stored and shown: no credentials from the base URL."""
        return join_url(strip_credentials(self.base_url), path)

    def request_url(self, url: str) -> str:
        """The address to request for a public one (credentials put back)."""
        public_base = strip_credentials(self.base_url).rstrip("/")
        if url.startswith(public_base):
            return self.base_url.rstrip("/") + url[len(public_base) :]
        return url

    def http(self) -> UpstreamHttp:
        if self._http is None:
            engine = None
            if self.budget_url:
                from cinegraph_assets.db.engine import get_engine

                engine = get_engine(self.budget_url)
            self._http = UpstreamHttp(
                name=self.site_name,
                timeout=self.timeout_seconds,
                deadline=self.deadline_seconds,
                max_bytes=self.max_response_bytes,
                max_attempts=self.max_attempts,
                backoff_initial=self.backoff_seconds,
                max_retry_after=self.max_retry_after_seconds,
                limiter=rate_limits.limiter(self.site_name, self.requests_per_second, engine),
                user_agent=self.user_agent,
                render_proxy=self.proxy(),
                secrets=self.secrets(),
            )
        return self._http


class HtmlSiteClient(UpstreamClient):
    """The two scraped sites (oscars.org, IMDb): HTML pages, optionally via a proxy."""

    render_proxy: str = Field(
        default="",
        description="Optional rendering-proxy URL template; {url} is replaced by the "
        "URL-encoded target page (CINEGRAPH_RENDER_PROXY).",
    )
    max_attempts: int = Settings.page_max_attempts
    backoff_seconds: float = Settings.page_backoff_seconds

    def secrets(self) -> list[str]:
        return [*super().secrets(), *([self.render_proxy] if self.render_proxy else [])]

    def proxy(self) -> str:
        return self.render_proxy

    def fetch_page(self, url: str) -> FetchedPage:
        """GET the page at a public URL; the page's `url` is that public URL."""
        return fetch_html(self.http(), self.request_url(url), site=self.site_name)
