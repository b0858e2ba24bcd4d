"""What every upstream client shares: timeouts, retries, rate limits, secret hygiene.

Each upstream (oscars.org, IMDb, TMDb, OMDb) has its own client module built on
`UpstreamHttp`. A client decides what a response means (`parse`); this module decides
how often to ask again: transient failures (timeouts, connection errors, 5xx, 429,
truncated or invalid bodies) are retried with exponential backoff and jitter,
honouring Retry-After; permanent ones are raised at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote, urlencode

import requests
from dagster import ConfigurableResource
from pydantic import Field, PrivateAttr
from pyrate_limiter import Duration, InMemoryBucket, Limiter, Rate
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from cinegraph_assets.raw_pages import FetchedPage

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_USER_AGENT = (
    "cinegraph-assets/0.1 (+https://github.com/cinegraph/cinegraph-assets; "
    "Academy Awards importer for the Cinegraph film-knowledge app)"
)


class UpstreamError(RuntimeError):
    """A response that is not what the upstream should send. The message names the URL."""

    def __init__(self, message: str, *, url: str, status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status


class PermanentUpstreamError(UpstreamError):
    """Asking again will not help (bad key, malformed page, 4xx)."""


class TransientUpstreamError(UpstreamError):
    """Asking again later may help (5xx, 429, timeouts, truncated bodies)."""

    def __init__(
        self, message: str, *, url: str, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message, url=url, status=status)
        self.retry_after = retry_after


class QuotaExhaustedError(TransientUpstreamError):
    """A daily quota is spent: retry, but only after a long delay (hours, not seconds)."""


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


# Retries are reported to whoever is working on the current thread (one movie of a
# batch), so each movie's metadata and log lines name its own retries.
_reporting = threading.local()


@contextmanager
def retry_reporting(callback: Callable[[str], None]) -> Iterator[Callable[[], int]]:
    """Within the block, retries on this thread call callback; yields a retry counter."""
    _reporting.callback, _reporting.count = callback, 0
    try:
        yield lambda: _reporting.count
    finally:
        _reporting.callback = None


# One limiter per upstream name, shared by every client object in the process, so
# concurrent assets in one run worker together stay under the upstream's rate.
_limiters: dict[tuple[str, float], Limiter] = {}
_limiters_lock = threading.Lock()


def shared_limiter(name: str, per_second: float) -> Limiter | None:
    if per_second <= 0:
        return None
    with _limiters_lock:
        key = (name, per_second)
        if key not in _limiters:
            # pyrate-limiter counts whole requests per window: a fractional rate
            # (0.5/s) becomes one request per 1/rate seconds.
            if per_second >= 1:
                rate = Rate(int(per_second), Duration.SECOND)
            else:
                rate = Rate(1, int(1000 / per_second))
            _limiters[key] = Limiter(InMemoryBucket([rate]))
        return _limiters[key]


def join_url(base: str, path: str) -> str:
    """`base` may carry a path prefix (http://127.0.0.1:8765/oscars): keep it."""
    return base.rstrip("/") + "/" + path.lstrip("/")


class UpstreamHttp:
    def __init__(
        self,
        *,
        name: str,
        timeout: float = 30.0,
        max_attempts: int = 5,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        max_retry_after: float = 120.0,
        requests_per_second: float = 0.0,
        user_agent: str = DEFAULT_USER_AGENT,
        render_proxy: str = "",
        secrets: Iterable[str] = (),
        session: requests.Session | None = None,
    ):
        self.name = name
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self.render_proxy = render_proxy
        self.secrets = [s for s in secrets if s]
        self.limiter = shared_limiter(name, requests_per_second)
        self.user_agent = user_agent
        self._shared_session = session
        self._local = threading.local()

    @property
    def session(self) -> requests.Session:
        """One session (connection pool) per thread: batches fetch movies in parallel."""
        if self._shared_session is not None:
            return self._shared_session
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers["User-Agent"] = self.user_agent
        return session

    # -- secret hygiene --------------------------------------------------------------
    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***").replace(quote(secret, safe=""), "***")
        return text

    def display_url(self, url: str, params: dict[str, Any] | None = None) -> str:
        shown = {k: v for k, v in (params or {}).items() if str(v) not in self.secrets}
        return self.redact(url + ("?" + urlencode(shown) if shown else ""))

    # -- transport -------------------------------------------------------------------
    def _target(self, url: str, params: dict[str, Any] | None) -> tuple[str, dict | None]:
        if not self.render_proxy:
            return url, params
        # A rendering proxy takes the whole target URL, query string included.
        full = url + ("?" + urlencode(params) if params else "")
        return self.render_proxy.replace("{url}", quote(full, safe="")), None

    def fetch(
        self,
        url: str,
        parse: Callable[[requests.Response], T],
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> T:
        """GET url and return parse(response), retrying transient failures."""
        shown = self.display_url(url, params)

        def attempt() -> T:
            if self.limiter is not None:
                self.limiter.try_acquire(self.name, blocking=True)
            target, target_params = self._target(url, params)
            try:
                response = self.session.get(
                    target, params=target_params, headers=headers, timeout=self.timeout
                )
            except requests.Timeout:
                raise TransientUpstreamError(
                    f"{self.name}: no response from {shown} within {self.timeout:g}s", url=shown
                ) from None
            except requests.RequestException as exc:
                # requests' messages repeat the full URL, query string and key included.
                raise TransientUpstreamError(
                    f"{self.name}: cannot reach {shown}: {self.redact(type(exc).__name__)}",
                    url=shown,
                ) from None
            try:
                return parse(response)
            except UpstreamError as exc:
                exc.args = (self.redact(str(exc)),)
                exc.url = shown
                raise

        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            # A spent daily quota is not worth seconds of backoff: the caller decides.
            retry=retry_if_exception_type(TransientUpstreamError)
            & retry_if_not_exception_type(QuotaExhaustedError),
            before_sleep=self._before_sleep,
            reraise=True,
        )
        return retrying(attempt)

    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_exponential_jitter(
            multiplier=self.backoff_initial, max=self.backoff_max, jitter=self.backoff_initial
        )(state)
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            return min(max(retry_after, backoff), self.max_retry_after)
        return backoff

    def _before_sleep(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0
        message = (
            f"{exc} (attempt {state.attempt_number} of {self.max_attempts}; "
            f"retrying in {wait:.1f}s)"
        )
        log.warning(message)
        callback = getattr(_reporting, "callback", None)
        if callback is not None:
            _reporting.count += 1
            callback(message)


def decode_json(response: requests.Response, shown_url: str | None = None) -> Any:
    """The JSON body; a truncated or invalid body is transient (the next try may be whole)."""
    try:
        return response.json()
    except ValueError:
        raise TransientUpstreamError(
            f"invalid or truncated JSON from {shown_url or 'upstream'} "
            f"(HTTP {response.status_code}, {len(response.content)} bytes)",
            url=shown_url or "",
            status=response.status_code,
        ) from None


def raise_for_transient_status(response: requests.Response, shown_url: str) -> None:
    status = response.status_code
    if status == 429 or status >= 500:
        raise TransientUpstreamError(
            f"HTTP {status} from {shown_url}",
            url=shown_url,
            status=status,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )


__all__ = [
    "DEFAULT_USER_AGENT",
    "HtmlSiteClient",
    "UpstreamClient",
    "fetch_html",
    "PermanentUpstreamError",
    "QuotaExhaustedError",
    "TransientUpstreamError",
    "UpstreamError",
    "UpstreamHttp",
    "decode_json",
    "join_url",
    "raise_for_transient_status",
    "retry_reporting",
    "shared_limiter",
]


def fetch_html(http: UpstreamHttp, url: str, *, site: str) -> FetchedPage:
    """GET an HTML page; 4xx are permanent (with a hint for bot walls), 5xx transient."""

    def parse(response: requests.Response) -> FetchedPage:
        raise_for_transient_status(response, url)
        status = response.status_code
        if status in (401, 403):
            raise PermanentUpstreamError(
                f"{site} refused {url} with HTTP {status}; the site blocks plain scripted "
                "clients at times: set CINEGRAPH_RENDER_PROXY to a rendering proxy",
                url=url,
                status=status,
            )
        if status == 404:
            raise PermanentUpstreamError(
                f"{site} has no page at {url} (HTTP 404)", url=url, status=status
            )
        if status >= 400:
            raise PermanentUpstreamError(f"HTTP {status} from {url}", url=url, status=status)
        # requests assumes ISO-8859-1 for text/html without a charset; these sites send UTF-8.
        declared = "charset" in response.headers.get("Content-Type", "").lower()
        encoding = (response.encoding if declared else None) or "utf-8"
        body = response.content.decode(encoding, errors="replace")
        return FetchedPage(
            url, body, datetime.now(timezone.utc), response.headers.get("Content-Type")
        )

    return http.fetch(url, parse)


class UpstreamClient(ConfigurableResource):
    """Settings every upstream client resource has; subclasses add what is theirs."""

    base_url: str = Field(description="Base URL; may carry a path prefix.")
    timeout_seconds: float = 30.0
    max_attempts: int = 5
    backoff_seconds: float = 1.0
    max_retry_after_seconds: float = 120.0
    requests_per_second: float = 2.0
    user_agent: str = DEFAULT_USER_AGENT

    _http: UpstreamHttp | None = PrivateAttr(default=None)
    site_name: ClassVar[str] = "site"

    def secrets(self) -> list[str]:
        return []

    def proxy(self) -> str:
        return ""

    def http(self) -> UpstreamHttp:
        if self._http is None:
            self._http = UpstreamHttp(
                name=self.site_name,
                timeout=self.timeout_seconds,
                max_attempts=self.max_attempts,
                backoff_initial=self.backoff_seconds,
                max_retry_after=self.max_retry_after_seconds,
                requests_per_second=self.requests_per_second,
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
    max_attempts: int = 4
    backoff_seconds: float = 2.0

    def secrets(self) -> list[str]:
        return [self.render_proxy] if self.render_proxy else []

    def proxy(self) -> str:
        return self.render_proxy

    def fetch_page(self, url: str) -> FetchedPage:
        return fetch_html(self.http(), url, site=self.site_name)
