"""HTTP plumbing every upstream client shares: timeouts, limits, retries, redaction.

Depends on nothing else in the project. A client decides what a response means
(`parse`); this module decides how often to ask and how much to accept: transient
failures (timeouts, connection errors, 5xx, 429, truncated bodies) are retried with
exponential backoff and jitter, honouring Retry-After; permanent ones are raised at
once. Every response is bounded: a size cap per upstream and a total deadline per
request, so a slow-drip or endless server cannot hold a run. Secrets (API keys, a
rendering proxy's token, credentials inside a base URL) never reach a message or a
stored URL.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import requests
import urllib3
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from cinegraph_assets.settings import environment_configures_requests

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_USER_AGENT = (
    "cinegraph-assets/0.1 (+https://github.com/cinegraph/cinegraph-assets; "
    "Academy Awards importer for the Cinegraph film-knowledge app)"
)
_CHUNK = 64 * 1024


class UpstreamError(RuntimeError):
    """A response that is not what the upstream should send. The message names the URL."""

    def __init__(self, message: str, *, url: str, status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status


class PermanentUpstreamError(UpstreamError):
    """Asking again will not help (bad key, malformed page, 4xx, an oversized body)."""


class TransientUpstreamError(UpstreamError):
    """Asking again later may help (5xx, 429, timeouts, truncated bodies)."""

    def __init__(
        self, message: str, *, url: str, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message, url=url, status=status)
        self.retry_after = retry_after


class QuotaExhaustedError(TransientUpstreamError):
    """A daily quota is spent: retry, but only after a long delay (hours, not seconds)."""


@dataclass(frozen=True)
class FetchedPage:
    """A page as fetched: `url` is the public address (no credentials, no keys)."""

    url: str
    body: str
    fetched_at: datetime
    content_type: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()


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


def strip_credentials(url: str) -> str:
    """`https://user:pw@host/x` -> `https://host/x`: a URL safe to store and show."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def url_secrets(url: str) -> list[str]:
    """The credentials inside a URL, to be redacted wherever they might appear."""
    parts = urlsplit(url)
    return [s for s in (parts.username, parts.password) if s]


def join_url(base: str, path: str) -> str:
    """`base` may carry a path prefix (http://127.0.0.1:8765/oscars): keep it."""
    return base.rstrip("/") + "/" + path.lstrip("/")


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


class UpstreamHttp:
    """GETs with retries against one upstream. `limiter` is any object with
    pyrate-limiter's `try_acquire(name, blocking=True)`; None means unlimited."""

    def __init__(
        self,
        *,
        name: str,
        timeout: float = 30.0,
        deadline: float = 120.0,
        max_bytes: int = 20 * 1024 * 1024,
        max_attempts: int = 5,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        max_retry_after: float = 120.0,
        limiter: Any = None,
        user_agent: str = DEFAULT_USER_AGENT,
        render_proxy: str = "",
        secrets: Iterable[str] = (),
        session: requests.Session | None = None,
    ):
        self.name = name
        self.timeout = timeout
        self.deadline = max(deadline, timeout)
        self.max_bytes = max_bytes
        self.max_attempts = max(1, max_attempts)
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self.render_proxy = render_proxy
        self.secrets = [s for s in secrets if s]
        self.limiter = limiter
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
            # requests re-reads the whole environment and ~/.netrc on every request of
            # a session that trusts it (0.4 ms of CPU each); only where there is
            # something to read does the session look.
            session.trust_env = environment_configures_requests()
        return session

    # -- secret hygiene --------------------------------------------------------------
    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***").replace(quote(secret, safe=""), "***")
        return text

    def display_url(self, url: str, params: dict[str, Any] | None = None) -> str:
        shown = {k: v for k, v in (params or {}).items() if str(v) not in self.secrets}
        return self.redact(strip_credentials(url) + ("?" + urlencode(shown) if shown else ""))

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
            response = self._get(url, params, headers, shown)
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

    def _get(
        self, url: str, params: dict | None, headers: dict | None, shown: str
    ) -> requests.Response:
        target, target_params = self._target(url, params)
        started = time.monotonic()
        try:
            response = self.session.get(
                target, params=target_params, headers=headers, timeout=self.timeout, stream=True
            )
            try:
                response._content = self._read_body(response, shown, started)
            finally:
                response.close()
        except (requests.Timeout, urllib3.exceptions.TimeoutError):
            raise TransientUpstreamError(
                f"{self.name}: no response from {shown} within {self.timeout:g}s", url=shown
            ) from None
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            # requests' messages repeat the full URL, query string and key included.
            raise TransientUpstreamError(
                f"{self.name}: cannot reach {shown}: {self.redact(type(exc).__name__)}",
                url=shown,
            ) from None
        return response

    def _read_body(self, response: requests.Response, shown: str, started: float) -> bytes:
        """The whole body, within the size cap and the total deadline."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big(shown, int(declared))
        chunks: list[bytes] = []
        size = 0
        # read1 returns what one socket read brings, so a server that drips a byte at a
        # time meets the deadline instead of holding a read open for ever.
        while chunk := response.raw.read1(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_big(shown, size)
            if time.monotonic() - started > self.deadline:
                raise TransientUpstreamError(
                    f"{self.name}: {shown} did not finish sending within {self.deadline:g}s "
                    f"({size} bytes so far)",
                    url=shown,
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, shown: str, size: int) -> PermanentUpstreamError:
        return PermanentUpstreamError(
            f"{self.name}: the response from {shown} is larger than the "
            f"{self.max_bytes // 1024} KiB this upstream's responses may have ({size} bytes)",
            url=shown,
        )

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
    """The JSON body; a truncated or invalid body is transient (the next try may be whole),
    one nested too deeply to decode is not (asking again gives the same body)."""
    try:
        return response.json()
    except RecursionError:
        raise PermanentUpstreamError(
            f"JSON from {shown_url or 'upstream'} is nested too deeply to be a record",
            url=shown_url or "",
            status=response.status_code,
        ) from None
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


def fetch_html(http: UpstreamHttp, url: str, *, site: str) -> FetchedPage:
    """GET an HTML page; 4xx are permanent (with a hint for bot walls), 5xx transient."""
    shown = http.display_url(url)

    def parse(response: requests.Response) -> FetchedPage:
        raise_for_transient_status(response, shown)
        status = response.status_code
        if status in (401, 403):
            raise PermanentUpstreamError(
                f"{site} refused {shown} with HTTP {status}; the site blocks plain scripted "
                "clients at times: set CINEGRAPH_RENDER_PROXY to a rendering proxy",
                url=shown,
                status=status,
            )
        if status == 404:
            raise PermanentUpstreamError(
                f"{site} has no page at {shown} (HTTP 404)", url=shown, status=status
            )
        if status >= 400:
            raise PermanentUpstreamError(f"HTTP {status} from {shown}", url=shown, status=status)
        # requests assumes ISO-8859-1 for text/html without a charset; these sites send UTF-8.
        declared = "charset" in response.headers.get("Content-Type", "").lower()
        encoding = (response.encoding if declared else None) or "utf-8"
        try:
            body = response.content.decode(encoding, errors="replace")
        except LookupError:  # a charset Python does not know
            body = response.content.decode("utf-8", errors="replace")
        return FetchedPage(
            shown, body, datetime.now(timezone.utc), response.headers.get("Content-Type")
        )

    return http.fetch(url, parse)
