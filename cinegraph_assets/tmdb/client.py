"""TMDb API v3: a film's details with credits appended, by its IMDb id.

One request per film: TMDb's movie endpoint resolves an IMDb id given in place of its
own id (`/3/movie/tt15398776?append_to_response=...`). Many clients rely on it, but
TMDb documents only `/3/find` for external ids, so a 404 there is confirmed with
`/3/find` before a film is recorded as unknown: a change on TMDb's side must never
mark every film "not found". When find does know the film, the by-IMDb-id resolution
is not working and `MovieLookup` fetches the rest of the run's films the documented
way, find then `/3/movie/{tmdb_id}` (two requests), and says so once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
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
from cinegraph_assets.settings import Settings
from cinegraph_assets.tmdb import records

APPEND = "credits,external_ids,release_dates"
MAX_BODY_BYTES = 10_000_000  # a movie with its full credits is well under 1 MB


class TmdbNotFound(Exception):
    pass


@dataclass(frozen=True)
class FindResult:
    """What /3/find knows an IMDb id as: a film, or something that is not one."""

    movie: dict[str, Any] | None  # movie_results[0]
    not_film: tuple[str, dict[str, Any]] | None = None  # ("TV series", tv_results[0]), ...


@dataclass(frozen=True)
class MovieAnswer:
    """A film's TMDb record, or why TMDb has none (`reason`, and for an IMDb id TMDb
    knows as a series or an episode, `not_film`: what it is there)."""

    details: dict[str, Any] | None
    reason: str = ""
    not_film: dict[str, Any] | None = None


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
        """GET path; `check` (from records.py) rejects a body of the wrong shape."""
        url = join_url(self.base_url, path)
        auth_params, headers = self._auth()
        shown = self.http().display_url(url, params)

        def parse(response: requests.Response) -> dict[str, Any]:
            _raise_for_status(response, shown)
            data = _decode(response, shown)
            try:
                check(data)
            except records.MalformedRecord as exc:
                raise PermanentUpstreamError(
                    f"TMDb sent a malformed answer for {shown}: {exc}", url=shown
                ) from None
            return data

        return self.http().fetch(url, parse, params={**params, **auth_params}, headers=headers)

    def find_results(self, imdb_id: str) -> dict[str, list]:
        """TMDb's /3/find answer for an IMDb id: its movie_results, tv_results and
        tv_episode_results (all empty when TMDb does not know the id)."""
        try:
            data = self._get(
                f"/3/find/{imdb_id}", {"external_source": "imdb_id"}, records.check_find
            )
        except TmdbNotFound:
            data = {}
        # check_find made sure that each array sent is a list of results.
        keys = ("movie_results", *records.NOT_FILM_RESULTS)
        return {key: data.get(key) or [] for key in keys}

    def find(self, imdb_id: str) -> FindResult:
        """GET /3/find/{imdb_id}: the first movie result, else what else TMDb knows."""
        data = self.find_results(imdb_id)
        if data["movie_results"]:
            return FindResult(data["movie_results"][0])
        for key, kind in records.NOT_FILM_RESULTS.items():
            if data[key]:
                return FindResult(None, (kind, data[key][0]))
        return FindResult(None)

    def find_movie(self, imdb_id: str) -> dict[str, Any] | None:
        """The first movie result for an IMDb id, or None when TMDb does not know it."""
        return self.find(imdb_id).movie

    def movie_by_imdb_id(self, imdb_id: str) -> dict[str, Any] | None:
        """Details as movie_details gives them, asked for by IMDb id; None on 404."""
        try:
            return self._get(
                f"/3/movie/{imdb_id}", {"append_to_response": APPEND}, records.check_details
            )
        except TmdbNotFound:
            return None

    def movie_lookup(
        self,
        *,
        fallback_since: str | None = None,
        on_fallback: Callable[[str, str], None] = lambda imdb_id, message: None,
    ) -> MovieLookup:
        """A lookup for one run (see MovieLookup); fallback_since: the run fell back
        already (a step retry), at this IMDb id."""
        return MovieLookup(self, fallback_since, on_fallback)

    def movie_details(self, tmdb_id: int) -> dict[str, Any] | None:
        """Details with credits, external ids and release dates; None on 404."""
        try:
            return self._get(
                f"/3/movie/{tmdb_id}",
                {"append_to_response": APPEND},
                lambda details: records.check_details(details, tmdb_id),
            )
        except TmdbNotFound:
            return None


class MovieLookup:
    """Films by IMDb id for one run: one request each while TMDb resolves IMDb ids on
    its movie endpoint; after the first film it does not resolve but /3/find knows,
    two requests each (find, then /3/movie/{tmdb_id}) for the rest of the run.

    Thread-safe: a batch fetches several films at once. A film in flight when the
    lookup falls back still has its 404 confirmed by find, so falling back changes
    only the number of requests, never an answer. `on_fallback(imdb_id, message)` is
    called once, when this lookup falls back (not when it starts fallen back)."""

    def __init__(
        self,
        client: TmdbClient,
        fallback_since: str | None,
        on_fallback: Callable[[str, str], None],
    ):
        self._client = client
        self._on_fallback = on_fallback
        self._lock = threading.Lock()
        self.fallback_since = fallback_since

    def movie(self, imdb_id: str) -> MovieAnswer:
        if self.fallback_since is None:
            details = self._client.movie_by_imdb_id(imdb_id)
            if details is not None:
                return MovieAnswer(details)
        found = self._client.find(imdb_id)
        if found.movie is None:
            return _not_found(imdb_id, found)
        tmdb_id = int(found.movie["id"])
        details = self._client.movie_details(tmdb_id)
        if details is None:
            # find names a film the movie endpoint has under neither id: a stale find
            # entry, not a sign that IMDb ids stopped resolving.
            return MovieAnswer(None, f"TMDb has no movie {tmdb_id} (HTTP 404)")
        if self.fallback_since is None:
            self._fall_back(imdb_id, tmdb_id)
        return MovieAnswer(details)

    def _fall_back(self, imdb_id: str, tmdb_id: int) -> None:
        with self._lock:
            if self.fallback_since is not None:
                return
            self.fallback_since = imdb_id
        self._on_fallback(
            imdb_id,
            f"TMDb's movie endpoint answered 404 for {imdb_id}, which /3/find knows as "
            f"movie {tmdb_id}: TMDb no longer resolves IMDb ids there. The rest of this "
            "run fetches each film with two requests (/3/find, then /3/movie/{tmdb_id}).",
        )

    def summary(self) -> dict[str, Any]:
        """Metadata of the run's lookup: present only when it fell back."""
        if self.fallback_since is None:
            return {}
        return {"tmdb_two_call_fallback_since": self.fallback_since}


def _not_found(imdb_id: str, found: FindResult) -> MovieAnswer:
    # The first reason is the one stored before one-call lookups: the same facts, the
    # same data (and checksum).
    if found.not_film is None:
        return MovieAnswer(None, "TMDb find returned no movie_results")
    kind, result = found.not_film
    name = result.get("name") if isinstance(result.get("name"), str) else None
    return MovieAnswer(
        None,
        f"not a film: TMDb knows {imdb_id} as a {kind}"
        + (f" ({name!r}, TMDb id {result['id']})" if name else f" (TMDb id {result['id']})")
        + " and has no movie for it",
        {"kind": kind, "tmdb_id": result["id"], "name": name},
    )


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
