"""The shared HTTP layer: retries, Retry-After, timeouts, rendering proxy, secrets."""

from __future__ import annotations

import os

import pytest
import requests

from cinegraph_assets.ceremonies.oscars_client import OscarsClient
from cinegraph_assets.http import (
    PermanentUpstreamError,
    TransientUpstreamError,
    UpstreamHttp,
    decode_json,
    parse_retry_after,
    retry_reporting,
)
from cinegraph_assets.rate_limits import limiter
from cinegraph_assets.tmdb.client import TmdbClient
from cinegraph_dev.local_stack import free_port
from cinegraph_dev.sample_upstream import scripted
from cinegraph_dev.sample_upstream.server import Scripted


def _json(response: requests.Response):
    return decode_json(response, response.url)


def test_retry_after_is_honoured_but_capped():
    http = UpstreamHttp(name="t", backoff_initial=0.01, max_retry_after=5)

    class State:
        attempt_number = 1

        class outcome:
            @staticmethod
            def exception():
                return TransientUpstreamError("429", url="u", retry_after=3)

    assert http._wait(State) >= 3
    State.outcome.exception = staticmethod(
        lambda: TransientUpstreamError("429", url="u", retry_after=999)
    )
    assert http._wait(State) == 5
    assert parse_retry_after("2") == 2 and parse_retry_after(None) is None


def test_transient_failures_are_retried_and_reported(upstream):
    upstream.script(r"/tmdb/3/find/", scripted(500, "x"), scripted(200, "{trunc"))
    http = UpstreamHttp(name="t", backoff_initial=0.01, max_attempts=3)
    seen = []
    with retry_reporting(seen.append) as retries:
        data = http.fetch(
            upstream.url + "/tmdb/3/find/tt15398776",
            _json,
            params={"api_key": "test-tmdb-key", "external_source": "imdb_id"},
        )
    assert data["movie_results"][0]["id"] == 872585
    assert retries() == 2 and len(seen) == 2 and "attempt 1 of 3" in seen[0]


def test_timeouts_are_transient(upstream):
    upstream.script(r"/oscars/", *[Scripted(200, "late", delay=1.0)] * 2)
    http = UpstreamHttp(name="t", timeout=0.2, backoff_initial=0.01, max_attempts=2)
    with pytest.raises(TransientUpstreamError, match="no response .* within 0.2s"):
        http.fetch(upstream.url + "/oscars/oscars/ceremonies/2024", lambda r: r.text)


def test_secrets_never_reach_error_messages():
    secret = "sekrit-0123456789"
    client = TmdbClient(
        base_url=f"http://127.0.0.1:{free_port()}",
        api_key=secret,
        max_attempts=2,
        backoff_seconds=0.01,
    )
    with pytest.raises(TransientUpstreamError) as err:
        client.find_movie("tt15398776")
    text = str(err.value) + repr(err.value) + str(err.value.url)
    assert "cannot reach" in text and secret not in text
    assert err.value.__cause__ is None and err.value.__suppress_context__


def test_invalid_key_is_permanent(upstream):
    client = TmdbClient(
        base_url=upstream.base_urls()["tmdb"], api_key="wrong", backoff_seconds=0.01
    )
    with pytest.raises(PermanentUpstreamError, match="TMDb rejected the API key"):
        client.find_movie("tt15398776")
    assert upstream.count("/tmdb/") == 1


def test_a_rendering_proxy_is_asked_for_the_real_address(upstream):
    client = OscarsClient(render_proxy=upstream.url + "/render?url={url}")
    page = client.fetch_page(client.ceremony_url(2024))
    assert "The 96th Academy Awards" in page.body
    assert page.url == "https://www.oscars.org/oscars/ceremonies/2024"
    assert upstream.requests == [
        "/render?url=https%3A%2F%2Fwww.oscars.org%2Foscars%2Fceremonies%2F2024"
    ]


def test_one_rate_limiter_per_upstream_and_budget():
    assert limiter("tmdb", 40) is limiter("tmdb", 40)
    assert limiter("tmdb", 40) is not limiter("omdb", 40)
    assert limiter("tmdb", 0) is None


def test_a_response_over_the_size_cap_is_refused(upstream):
    upstream.script(r"/oscars/", scripted(200, "x" * 300_000))
    http = UpstreamHttp(name="t", max_bytes=100_000, backoff_initial=0.01, max_attempts=3)
    with pytest.raises(PermanentUpstreamError, match="larger than the 97 KiB"):
        http.fetch(upstream.url + "/oscars/oscars/ceremonies/2024", lambda r: r.text)
    assert upstream.count("/oscars/") == 1  # not retried


def test_a_slow_drip_meets_the_total_deadline(upstream):
    upstream.script(r"/oscars/", *[Scripted(200, "x" * 50, drip=0.2)] * 2)
    http = UpstreamHttp(name="t", timeout=1.0, deadline=1.0, backoff_initial=0.01, max_attempts=2)
    with pytest.raises(TransientUpstreamError, match="did not finish sending within 1s"):
        http.fetch(upstream.url + "/oscars/oscars/ceremonies/2024", lambda r: r.text)


def test_credentials_in_a_base_url_are_never_stored_or_shown(upstream):
    base = upstream.base_urls()["oscars"].replace("http://", "http://scraper:pa55word@")
    client = OscarsClient(base_url=base, backoff_seconds=0.01)
    url = client.ceremony_url(2024)
    page = client.fetch_page(url)
    assert "pa55word" not in url and "pa55word" not in page.url and "scraper" not in page.url
    assert "The 96th Academy Awards" in page.body
    missing = client.ceremony_url(1900)
    with pytest.raises(PermanentUpstreamError) as err:
        client.fetch_page(missing)
    assert "pa55word" not in str(err.value) + err.value.url


def test_proxies_from_the_environment_are_used_and_a_plain_one_is_not_read(
    upstream, monkeypatch, tmp_path
):
    for name in [k for k in os.environ if k.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NETRC"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc
    # Nothing to read: the session does not look at the environment on every request.
    assert UpstreamHttp(name="plain").session.trust_env is False
    # A proxy in the environment: requests go through it, as requests always did.
    monkeypatch.setenv("HTTP_PROXY", upstream.url)
    http = UpstreamHttp(name="proxied", max_attempts=1)
    assert http.session.trust_env is True
    with pytest.raises((PermanentUpstreamError, TransientUpstreamError)):
        http.fetch("http://films.invalid/title/tt0000001", decode_json)
    assert upstream.requests == ["http://films.invalid/title/tt0000001"]
