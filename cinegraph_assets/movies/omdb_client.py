"""OMDb: one request per film by IMDb id. The body, not the status, says what happened."""

from __future__ import annotations

from typing import Any

import requests
from pydantic import Field

from cinegraph_assets.clients import UpstreamClient
from cinegraph_assets.http import (
    PermanentUpstreamError,
    QuotaExhaustedError,
    TransientUpstreamError,
    decode_json,
    join_url,
    parse_retry_after,
)
from cinegraph_assets.movies import omdb_metrics
from cinegraph_assets.settings import Settings
from cinegraph_assets.tmdb.records import MalformedRecord

MAX_BODY_BYTES = 1_000_000  # a film record is about 2 kB


class OmdbNotFound(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class OmdbClient(UpstreamClient):
    """HTTP client for www.omdbapi.com (CINEGRAPH_OMDB_BASE_URL, OMDB_API_KEY)."""

    base_url: str = Field(
        default=Settings.omdb_base_url, description="Base URL; requests go to {base}/?i=..."
    )
    api_key: str = Field(default="", description="OMDB_API_KEY")
    requests_per_second: float = Field(
        default=Settings.omdb_rate_limit, description="CINEGRAPH_OMDB_RATE_LIMIT"
    )
    quota_retry_seconds: float = Field(
        default=Settings.omdb_quota_retry_seconds,
        description="When the daily quota is spent, retry the movie after "
        "this long (CINEGRAPH_OMDB_QUOTA_RETRY_SECONDS).",
    )
    site_name = "omdb"

    def secrets(self) -> list[str]:
        return [*super().secrets(), self.api_key]

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
            data = _json_or_none(response, shown)
            if isinstance(data, dict) and str(data.get("Response", "")).lower() == "false":
                _raise_for_error_body(data, response, shown)
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
            data = decode_json(response, shown) if data is None else data  # invalid: transient
            return _checked_record(data, imdb_id, shown)

        return self.http().fetch(url, parse, params=params)


def _json_or_none(response: requests.Response, shown: str) -> Any:
    """The decoded body, None when it is no JSON; too large or too deep is permanent."""
    if len(response.content) > MAX_BODY_BYTES:
        raise PermanentUpstreamError(
            f"OMDb sent {len(response.content):,} bytes for {shown}, more than the "
            f"{MAX_BODY_BYTES:,} a film record can be",
            url=shown,
        )
    try:
        return response.json()
    except RecursionError:
        raise PermanentUpstreamError(
            f"OMDb sent JSON nested too deeply to decode for {shown}", url=shown
        ) from None
    except ValueError:
        return None


def _raise_for_error_body(data: dict[str, Any], response: requests.Response, shown: str) -> None:
    error = str(data.get("Error") or "unknown error")[:200]
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


def _checked_record(data: Any, imdb_id: str, shown: str) -> dict[str, Any]:
    """A JSON body of the wrong shape will not improve on retry: permanent."""
    if not isinstance(data, dict):
        raise PermanentUpstreamError(
            f"OMDb sent a non-object JSON body for {shown} ({type(data).__name__})", url=shown
        )
    if str(data.get("Response", "")).lower() != "true":
        raise PermanentUpstreamError(
            f"OMDb sent a body for {shown} whose Response is {str(data.get('Response'))[:40]!r}, "
            "neither 'True' nor 'False'",
            url=shown,
        )
    try:
        omdb_metrics.check_record(data, imdb_id)
    except MalformedRecord as exc:
        raise PermanentUpstreamError(
            f"OMDb sent a malformed record for {shown}: {exc}", url=shown
        ) from None
    return data
