"""TMDb API v3: find a film by IMDb id, then its details with credits appended."""

from __future__ import annotations

from typing import Any

import requests
from pydantic import Field

from cinegraph_assets.http import (
    PermanentUpstreamError,
    UpstreamClient,
    decode_json,
    join_url,
    raise_for_transient_status,
)

APPEND = "credits,external_ids,release_dates"


class TmdbNotFound(Exception):
    pass


class TmdbClient(UpstreamClient):
    """HTTP client for api.themoviedb.org (CINEGRAPH_TMDB_BASE_URL, TMDB_API_KEY)."""

    base_url: str = Field(
        default="https://api.themoviedb.org", description="Base URL; requests go to {base}/3/..."
    )
    api_key: str = Field(default="", description="v3 API key or v4 read token (TMDB_API_KEY)")
    requests_per_second: float = Field(
        default=40.0,
        description="Client-side limit shared by the whole process "
        "(CINEGRAPH_TMDB_RATE_LIMIT); TMDb caps around 40-50/s.",
    )
    site_name = "tmdb"

    def secrets(self) -> list[str]:
        return [self.api_key]

    def _auth(self) -> tuple[dict[str, str], dict[str, str]]:
        if not self.api_key:
            raise PermanentUpstreamError(
                "TMDB_API_KEY is not set: TMDb needs an API key (or read access token)", url=""
            )
        # A v4 read access token is a JWT and goes in a header; a v3 key in the query.
        if self.api_key.startswith("eyJ"):
            return {}, {"Authorization": f"Bearer {self.api_key}"}
        return {"api_key": self.api_key}, {}

    def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        url = join_url(self.base_url, path)
        auth_params, headers = self._auth()
        shown = self.http().display_url(url, params)

        def parse(response: requests.Response) -> dict[str, Any]:
            raise_for_transient_status(response, shown)
            if response.status_code == 401:
                body = _safe_json(response)
                raise PermanentUpstreamError(
                    f"TMDb rejected the API key for {shown} (HTTP 401, TMDb code "
                    f"{body.get('status_code')}: {body.get('status_message')}); check TMDB_API_KEY",
                    url=shown,
                    status=401,
                )
            if response.status_code == 404:
                raise TmdbNotFound(shown)
            if response.status_code >= 400:
                body = _safe_json(response)
                raise PermanentUpstreamError(
                    f"TMDb answered HTTP {response.status_code} for {shown}: "
                    f"{body.get('status_message') or response.text[:200]}",
                    url=shown,
                    status=response.status_code,
                )
            data = decode_json(response, shown)
            if not isinstance(data, dict):
                raise PermanentUpstreamError(
                    f"TMDb sent a non-object JSON body for {shown}", url=shown
                )
            return data

        return self.http().fetch(url, parse, params={**params, **auth_params}, headers=headers)

    def find_movie(self, imdb_id: str) -> dict[str, Any] | None:
        """The first movie result for an IMDb id, or None when TMDb does not know it."""
        try:
            data = self._get(f"/3/find/{imdb_id}", {"external_source": "imdb_id"})
        except TmdbNotFound:
            return None
        results = data.get("movie_results")
        if not isinstance(results, list):
            raise PermanentUpstreamError(
                f"TMDb find response for {imdb_id} has no movie_results list", url=""
            )
        return results[0] if results else None

    def movie_details(self, tmdb_id: int) -> dict[str, Any] | None:
        """Details with credits, external ids and release dates; None on 404."""
        try:
            return self._get(f"/3/movie/{tmdb_id}", {"append_to_response": APPEND})
        except TmdbNotFound:
            return None


def _safe_json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
        return data if isinstance(data, dict) else {}
    except ValueError:
        return {}
