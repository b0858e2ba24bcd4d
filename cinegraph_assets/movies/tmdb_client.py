"""TMDb API v3: find a film by IMDb id, then its details with credits appended."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests
from pydantic import Field

from cinegraph_assets.clients import UpstreamClient
from cinegraph_assets.http import (
    PermanentUpstreamError,
    decode_json,
    join_url,
    raise_for_transient_status,
)
from cinegraph_assets.movies import tmdb_records
from cinegraph_assets.settings import Settings

APPEND = "credits,external_ids,release_dates"
MAX_BODY_BYTES = 10_000_000  # a movie with its full credits is well under 1 MB


class TmdbNotFound(Exception):
    pass


class TmdbClient(UpstreamClient):
    """HTTP client for api.themoviedb.org (CINEGRAPH_TMDB_BASE_URL, TMDB_API_KEY)."""

    base_url: str = Field(
        default=Settings.tmdb_base_url, description="Base URL; requests go to {base}/3/..."
    )
    api_key: str = Field(default="", description="v3 API key or v4 read token (TMDB_API_KEY)")
    requests_per_second: float = Field(
        default=Settings.tmdb_rate_limit,
        description="Client-side limit shared by the whole process "
        "(CINEGRAPH_TMDB_RATE_LIMIT); TMDb caps around 40-50/s.",
    )
    site_name = "tmdb"

    def secrets(self) -> list[str]:
        return [*super().secrets(), self.api_key]

    def _auth(self) -> tuple[dict[str, str], dict[str, str]]:
        if not self.api_key:
            raise PermanentUpstreamError(
                "TMDB_API_KEY is not set: TMDb needs an API key (or read access token)", url=""
            )
        # A v4 read access token is a JWT and goes in a header; a v3 key in the query.
        if self.api_key.startswith("eyJ"):
            return {}, {"Authorization": f"Bearer {self.api_key}"}
        return {"api_key": self.api_key}, {}

    def _get(
        self, path: str, params: dict[str, Any], check: Callable[[dict[str, Any]], None]
    ) -> dict[str, Any]:
        """GET path; `check` (from tmdb_records) rejects a body of the wrong shape."""
        url = join_url(self.base_url, path)
        auth_params, headers = self._auth()
        shown = self.http().display_url(url, params)

        def parse(response: requests.Response) -> dict[str, Any]:
            _raise_for_status(response, shown)
            data = _decode(response, shown)
            try:
                check(data)
            except tmdb_records.MalformedRecord as exc:
                raise PermanentUpstreamError(
                    f"TMDb sent a malformed answer for {shown}: {exc}", url=shown
                ) from None
            return data

        return self.http().fetch(url, parse, params={**params, **auth_params}, headers=headers)

    def find_results(self, imdb_id: str) -> dict[str, list]:
        """TMDb's /3/find answer for an IMDb id: its movie_results and tv_results (both
        empty when TMDb does not know the id)."""
        try:
            data = self._get(
                f"/3/find/{imdb_id}", {"external_source": "imdb_id"}, tmdb_records.check_find
            )
        except TmdbNotFound:
            return {"movie_results": [], "tv_results": []}
        tv = data.get("tv_results")
        return {
            "movie_results": data["movie_results"],
            "tv_results": tv if isinstance(tv, list) else [],
        }

    def find_movie(self, imdb_id: str) -> dict[str, Any] | None:
        """The first movie result for an IMDb id, or None when TMDb does not know it."""
        results = self.find_results(imdb_id)["movie_results"]
        return results[0] if results else None

    def movie_details(self, tmdb_id: int) -> dict[str, Any] | None:
        """Details with credits, external ids and release dates; None on 404."""
        try:
            return self._get(
                f"/3/movie/{tmdb_id}",
                {"append_to_response": APPEND},
                lambda details: tmdb_records.check_details(details, tmdb_id),
            )
        except TmdbNotFound:
            return None


def _raise_for_status(response: requests.Response, shown: str) -> None:
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


def _decode(response: requests.Response, shown: str) -> dict[str, Any]:
    """The JSON object of a 2xx answer; invalid JSON is transient (decode_json), a body
    that is too large, too deeply nested or not an object is permanent."""
    if len(response.content) > MAX_BODY_BYTES:
        raise PermanentUpstreamError(
            f"TMDb sent {len(response.content):,} bytes for {shown}, more than the "
            f"{MAX_BODY_BYTES:,} a movie record can be",
            url=shown,
        )
    try:
        data = response.json()
    except RecursionError:  # nesting will not shrink on retry
        raise PermanentUpstreamError(
            f"TMDb sent JSON nested too deeply to decode for {shown}", url=shown
        ) from None
    except ValueError:
        data = decode_json(response, shown)  # raises its transient "invalid or truncated"
    if not isinstance(data, dict):
        raise PermanentUpstreamError(
            f"TMDb sent a non-object JSON body for {shown} ({type(data).__name__})", url=shown
        )
    return data


def _safe_json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
        return data if isinstance(data, dict) else {}
    except (ValueError, RecursionError):
        return {}
