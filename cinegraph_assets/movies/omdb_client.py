"""OMDb: one request per film by IMDb id. The body, not the status, says what happened."""

from __future__ import annotations

from typing import Any

import requests
from pydantic import Field

from cinegraph_assets.http import (
    PermanentUpstreamError,
    QuotaExhaustedError,
    TransientUpstreamError,
    UpstreamClient,
    decode_json,
    join_url,
    parse_retry_after,
)


class OmdbNotFound(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class OmdbClient(UpstreamClient):
    """HTTP client for www.omdbapi.com (CINEGRAPH_OMDB_BASE_URL, OMDB_API_KEY)."""

    base_url: str = Field(
        default="https://www.omdbapi.com", description="Base URL; requests go to {base}/?i=..."
    )
    api_key: str = Field(default="", description="OMDB_API_KEY")
    requests_per_second: float = Field(default=10.0, description="CINEGRAPH_OMDB_RATE_LIMIT")
    quota_retry_seconds: float = Field(
        default=3600.0,
        description="When the daily quota is spent, retry the movie after "
        "this long (CINEGRAPH_OMDB_QUOTA_RETRY_SECONDS).",
    )
    site_name = "omdb"

    def secrets(self) -> list[str]:
        return [self.api_key]

    def movie(self, imdb_id: str) -> dict[str, Any]:
        """The full OMDb record. Raises OmdbNotFound, QuotaExhaustedError or upstream errors."""
        if not self.api_key:
            raise PermanentUpstreamError("OMDB_API_KEY is not set: OMDb needs an API key", url="")
        url = join_url(self.base_url, "/")
        params = {"i": imdb_id, "plot": "full", "apikey": self.api_key}
        shown = self.http().display_url(url, params)

        def parse(response: requests.Response) -> dict[str, Any]:
            # "Request limit reached!" arrives with HTTP 401, a bad key too: read the body
            # whatever the status says.
            try:
                data = response.json()
            except ValueError:
                data = None
            if isinstance(data, dict) and str(data.get("Response", "")).lower() == "false":
                error = str(data.get("Error") or "unknown error")
                lowered = error.lower()
                if "limit reached" in lowered:
                    raise QuotaExhaustedError(
                        f"OMDb daily request quota is spent ({error!r} for {shown})",
                        url=shown,
                        status=response.status_code,
                        retry_after=parse_retry_after(response.headers.get("Retry-After")),
                    )
                if "api key" in lowered:
                    raise PermanentUpstreamError(
                        f"OMDb rejected the API key ({error!r}, HTTP {response.status_code}); "
                        "check OMDB_API_KEY",
                        url=shown,
                        status=response.status_code,
                    )
                if "not found" in lowered or "error getting data" in lowered:
                    raise OmdbNotFound(error)
                if "incorrect imdb id" in lowered:
                    raise PermanentUpstreamError(f"OMDb: {error} ({shown})", url=shown)
                raise PermanentUpstreamError(
                    f"OMDb error {error!r} for {shown}", url=shown, status=response.status_code
                )
            if response.status_code == 429 or response.status_code >= 500:
                raise TransientUpstreamError(
                    f"HTTP {response.status_code} from {shown}",
                    url=shown,
                    status=response.status_code,
                    retry_after=parse_retry_after(response.headers.get("Retry-After")),
                )
            if response.status_code >= 400:
                raise PermanentUpstreamError(
                    f"HTTP {response.status_code} from {shown}",
                    url=shown,
                    status=response.status_code,
                )
            data = decode_json(response, shown) if data is None else data
            if not isinstance(data, dict) or str(data.get("Response", "")).lower() != "true":
                raise TransientUpstreamError(f"unexpected OMDb body for {shown}", url=shown)
            return data

        return self.http().fetch(url, parse, params=params)
