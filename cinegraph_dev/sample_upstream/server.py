"""HTTP server for recorded-format upstream data.

Each upstream is mounted under its own path prefix, so base URLs with a prefix are
exercised too: http://HOST:PORT/oscars, /imdb, /tmdb, /omdb. Files live under one or
more data roots (later roots override earlier ones) laid out like the real URLs:

    oscars.org/oscars/ceremonies/2024.html      GET /oscars/oscars/ceremonies/2024
    imdb.com/event/ev0000003/2024/1.html        GET /imdb/event/ev0000003/2024/1/
                                                GET /imdb/event/ev0000003/ (the newest)
    tmdb/3/find/tt15398776.json                 GET /tmdb/3/find/tt15398776?external_source=imdb_id
    tmdb/3/movie/872585.json                    GET /tmdb/3/movie/872585?append_to_response=...
                                                and GET /tmdb/3/movie/tt15398776?... (TMDb
                                                resolves an IMDb id on its movie endpoint:
                                                the find answer's first movie, else 404)
    omdb/tt15398776.json                        GET /omdb/?i=tt15398776&plot=full&apikey=...

`/render?url=<target>` stands in for a rendering proxy (CINEGRAPH_RENDER_PROXY).

A `status.json` in a root maps file paths (as above) to HTTP statuses. Tests can script answers
(`scripted`) for a path pattern: each matching request takes the next one.

With `synthetic` (a SyntheticHistory) the four upstreams answer from the generator instead of
the data roots: N ceremonies of realistic size for a full-history benchmark, and the IMDb
event pages of every award body of the registry (the root /event/<ev>/ answers with the
latest edition, as IMDb does). `tmdb_rate` puts a
token bucket in front of TMDb that answers 429 as TMDb does. `GET /_stats` (and `stats()`)
counts the requests per upstream and the 429s, for a benchmark in another process.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cinegraph_dev.sample_upstream.synthetic import SyntheticHistory

DATA = Path(__file__).parent / "data"
UPSTREAMS = ("oscars", "imdb", "tmdb", "omdb")
NOT_FOUND_PAGE = (
    "<html><head><title>404 Not Found</title></head><body><h1>Page Not Found</h1></body></html>"
)

TMDB_UNAUTHORIZED = {
    "success": False,
    "status_code": 7,
    "status_message": "Invalid API key: You must be granted a valid key.",
}
TMDB_NOT_FOUND = {
    "success": False,
    "status_code": 34,
    "status_message": "The resource you requested could not be found.",
}


# What the real sites' addresses are called here, for the /render proxy stand-in.
REAL_HOSTS = {
    "www.oscars.org": "/oscars",
    "www.imdb.com": "/imdb",
    "api.themoviedb.org": "/tmdb",
    "www.omdbapi.com": "/omdb",
}


@dataclass
class Scripted:
    status: int
    body: bytes | str | dict = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (timeouts)
    drip: float = 0.0  # seconds between bytes of the body (a server that drips)
    truncate: bool = False  # send half the body under the full Content-Length, then hang up

    def encoded(self) -> bytes:
        if isinstance(self.body, dict):
            return json.dumps(self.body).encode()
        return self.body.encode() if isinstance(self.body, str) else self.body


def scripted(status: int, body: bytes | str | dict = b"", **headers: str) -> Scripted:
    return Scripted(status, body, {k.replace("_", "-"): v for k, v in headers.items()})


class Faults:
    """Answers a share of upstream requests with a fault instead, the way real upstreams
    misbehave: 429 with Retry-After, 500/502/503, a slow answer, a body cut short.
    Seeded: the same seed and request order give the same faults."""

    KINDS = ("429", "5xx", "slow", "truncated")

    def __init__(self, rate: float = 0.05, seed: int = 7, kinds=KINDS, slow_seconds=2.0):
        self.rate, self.kinds, self.slow_seconds = rate, tuple(kinds), slow_seconds
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.injected: dict[str, int] = dict.fromkeys(self.kinds, 0)
        self.enabled = True

    def pick(self) -> str | None:
        with self._lock:
            if not self.enabled or self._rng.random() >= self.rate:
                return None
            kind = self._rng.choice(self.kinds)
            self.injected[kind] += 1
            return kind

    def apply(self, kind: str, answer_for) -> Scripted:
        if kind == "429":
            return Scripted(429, {"status_code": 25, "status_message": "slow down"},
                            {"Retry-After": "1"})  # fmt: skip
        if kind == "5xx":
            status = self._rng.choice((500, 502, 503))
            return Scripted(status, "<html><body>upstream error</body></html>")
        answer = answer_for()
        if kind == "slow":
            return replace(answer, delay=answer.delay + self.slow_seconds)
        return replace(answer, truncate=True)


class TokenBucket:
    """`rate` requests per second with bursts up to `capacity` (default: one second's worth)."""

    def __init__(self, rate: float, capacity: float | None = None):
        self.rate = rate
        self.capacity = capacity or rate
        self._tokens = self.capacity
        self._at = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> float:
        """0 when a token was taken, else the seconds until the next one."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.capacity, self._tokens + (now - self._at) * self.rate)
            self._at = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.rate


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Benchmarks open 8-16 connections at once; with the default backlog of 5 some would
    # wait for a SYN retry (a second or more) instead of the configured latency.
    request_queue_size = 128


class SampleUpstream:
    """The four upstreams on one local port.

    roots: data folders (later override earlier); synthetic: serve a SyntheticHistory
    instead; latency: seconds added to every request, each on its own (the server is
    threaded and sleeps holding no lock); tmdb_key / omdb_key: the keys the stand-ins
    accept (None: any); tmdb_rate: TMDb requests per second before 429 (None: no cap).
    """

    def __init__(
        self,
        roots: Iterable[Path | str] = (DATA,),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        tmdb_key: str | None = None,
        omdb_key: str | None = None,
        synthetic: SyntheticHistory | None = None,
        tmdb_rate: float | None = None,
        faults: Faults | None = None,
    ):
        self.roots = [Path(r) for r in roots]
        self.latency = latency
        self.tmdb_key = tmdb_key
        self.omdb_key = omdb_key
        self.synthetic = synthetic
        self.tmdb_rate = tmdb_rate
        self.faults = faults
        self.requests: list[str] = []
        self._scripts: list[tuple[re.Pattern, deque[Scripted]]] = []
        self._lock = threading.Lock()
        self._status = self._load_status()
        self._bucket = TokenBucket(tmdb_rate) if tmdb_rate else None
        self._counts = dict.fromkeys(UPSTREAMS, 0)
        self._tmdb_429 = 0
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in two writes: with Nagle's algorithm the body
            # would wait for the client's delayed ACK (40 ms), which real servers avoid.
            disable_nagle_algorithm = True

            def do_GET(self):  # noqa: N802 (http.server naming)
                upstream._handle(self)

            def log_message(self, *_args):
                pass

        self.httpd = _Server((host, port), Handler)
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def base_urls(self) -> dict[str, str]:
        """Base URLs to configure the clients with (CINEGRAPH_*_BASE_URL)."""
        return {name: f"{self.url}/{name}" for name in ("oscars", "imdb", "tmdb", "omdb")}

    def env(self) -> dict[str, str]:
        urls = self.base_urls()
        return {
            "CINEGRAPH_OSCARS_BASE_URL": urls["oscars"],
            "CINEGRAPH_IMDB_BASE_URL": urls["imdb"],
            "CINEGRAPH_TMDB_BASE_URL": urls["tmdb"],
            "CINEGRAPH_OMDB_BASE_URL": urls["omdb"],
        }

    def start(self) -> SampleUpstream:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SampleUpstream:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    # -- test controls ---------------------------------------------------------------
    def script(self, path_pattern: str, *answers: Scripted) -> None:
        """The next len(answers) requests whose path matches get these answers."""
        with self._lock:
            self._scripts.append((re.compile(path_pattern), deque(answers)))

    def count(self, pattern: str) -> int:
        rx = re.compile(pattern)
        with self._lock:
            return sum(1 for r in self.requests if rx.search(r))

    def stats(self) -> dict:
        """Requests received per upstream and TMDb 429s answered (also GET /_stats)."""
        with self._lock:
            stats = {"requests": dict(self._counts), "tmdb_429": self._tmdb_429}
        if self.faults:
            stats["faults"] = dict(self.faults.injected)
        return stats

    # -- serving ---------------------------------------------------------------------
    def _load_status(self) -> dict[str, int]:
        status: dict[str, int] = {}
        for root in self.roots:
            f = root / "status.json"
            if f.exists():
                status.update(json.loads(f.read_text()))
        return status

    def _file(self, relative: str) -> Path | None:
        for root in reversed(self.roots):
            candidate = root / relative
            if candidate.is_file():
                return candidate
        return None

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        split = urlsplit(h.path)
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        if split.path == "/_stats":  # the benchmark's view, not a request to an upstream
            self._send(h, Scripted(200, self.stats()))
            return
        if split.path == "/_publish" and self.synthetic:
            # oscars.org publishes the next ceremony: the same history, one year longer;
            # or time passes (`today`): festivals held since then get their winners.
            old = self.synthetic
            ceremonies = int(query.get("ceremonies", old.ceremonies))
            today = date.fromisoformat(query["today"]) if "today" in query else old.bodies.today
            self.synthetic = SyntheticHistory(
                ceremonies, seed=old.seed, first_year=old.first_year, bodies=old.bodies.bodies,
                today=today,
            )  # fmt: skip
            self._send(h, Scripted(200, {"ceremonies": ceremonies, "today": today.isoformat()}))
            return
        upstream = self._upstream(split.path, query)
        with self._lock:
            self.requests.append(h.path)
            if upstream:
                self._counts[upstream] += 1
            answer = None
            for pattern, answers in self._scripts:
                if answers and pattern.search(h.path):
                    answer = answers.popleft()
                    break
        if answer is None and upstream == "tmdb" and self._bucket is not None:
            wait = self._bucket.take()
            if wait:
                with self._lock:
                    self._tmdb_429 += 1
                answer = self._rate_limited(wait)
        if self.latency:
            time.sleep(self.latency)
        route = lambda: self._route(split.path, query, h.headers.get("Authorization", ""))  # noqa: E731
        fault = self.faults.pick() if answer is None and upstream and self.faults else None
        if fault:
            answer = self.faults.apply(fault, route)
        if answer is None:
            answer = route()
        if answer.delay:
            time.sleep(answer.delay)
        self._send(h, answer)

    def _rate_limited(self, wait: float) -> Scripted:
        # TMDb's answer over its cap: code 25, Retry-After in whole seconds.
        limit = f"{self.tmdb_rate:g}"
        message = f"Your request count (#) is over the allowed limit of ({limit})."
        body = {"success": False, "status_code": 25, "status_message": message}
        return Scripted(429, body, {"Retry-After": str(max(1, math.ceil(wait)))})

    @staticmethod
    def _upstream(path: str, query: dict[str, str]) -> str | None:
        if path == "/render" and query.get("url"):
            path = REAL_HOSTS.get(urlsplit(query["url"]).hostname or "", "")
        name = path.strip("/").split("/")[0]
        return name if name in UPSTREAMS else None

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, answer: Scripted) -> None:
        body = answer.encoded()
        try:
            h.send_response(answer.status)
            content_type = answer.headers.get("Content-Type") or (
                "application/json; charset=utf-8"
                if body[:1] in (b"{", b"[")
                else "text/html; charset=utf-8"
            )
            h.send_header("Content-Type", content_type)
            for k, v in answer.headers.items():
                if k.lower() != "content-type":
                    h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if answer.truncate:
                h.wfile.write(body[: len(body) // 2])
                h.wfile.flush()
                h.close_connection = True
                h.connection.shutdown(socket.SHUT_RDWR)
                return
            if not answer.drip:
                h.wfile.write(body)
            for k in range(len(body) if answer.drip else 0):
                h.wfile.write(body[k : k + 1])
                h.wfile.flush()
                time.sleep(answer.drip)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _serve(self, relative: str) -> Scripted:
        f = self._file(relative)
        status = self._status.get(relative, 200)
        if f is None:
            return Scripted(404, NOT_FOUND_PAGE)
        return Scripted(status, f.read_bytes())

    def _newest_edition(self, event: str) -> str | None:
        """The newest imdb.com/event/<ev>/<year>/<instance>.html of any root."""
        editions = {
            (int(f.parent.name), int(f.stem))
            for root in self.roots
            for f in (root / "imdb.com" / "event" / event).glob("*/*.html")
            if f.parent.name.isdigit() and f.stem.isdigit()
        }
        if not editions:
            return None
        year, instance = max(editions)
        return f"imdb.com/event/{event}/{year}/{instance}.html"

    @staticmethod
    def _generated(body: str | None, missing: Scripted) -> Scripted:
        return Scripted(200, body) if body is not None else missing

    def _tmdb_movie_by_imdb_id(self, imdb_id: str) -> Scripted:
        """GET /3/movie/{imdb_id} as TMDb answers it: the film the IMDb id resolves to
        (its find answer's first movie result), else 404 (an unknown id, a series)."""
        find = self._file(f"tmdb/3/find/{imdb_id}.json")
        movies = json.loads(find.read_bytes()).get("movie_results") if find else None
        if not movies:
            return Scripted(404, TMDB_NOT_FOUND)
        found = self._serve(f"tmdb/3/movie/{movies[0]['id']}.json")
        return found if found.status != 404 else Scripted(404, TMDB_NOT_FOUND)

    def _route(self, path: str, query: dict[str, str], authorization: str) -> Scripted:
        if path == "/render" and query.get("url"):
            # A stand-in for a rendering proxy: fetch the target from this server.
            target = urlsplit(query["url"])
            inner = {k: v[0] for k, v in parse_qs(target.query).items()}
            prefix = REAL_HOSTS.get(target.hostname or "", "")
            return self._route(prefix + target.path, inner, authorization)
        synthetic = self.synthetic
        if m := re.fullmatch(r"/oscars(/oscars/ceremonies/(\d{4}))/?", path):
            if synthetic:
                page = synthetic.oscars_page(int(m.group(2)))
                return self._generated(page, Scripted(404, NOT_FOUND_PAGE))
            return self._serve(f"oscars.org{m.group(1)}.html")
        if m := re.fullmatch(r"/imdb/event/(ev\d+)/(\d{4})/(\d+)/?", path):
            if synthetic:
                event, year, instance = m.group(1), int(m.group(2)), int(m.group(3))
                page = synthetic.event_page(event, year, instance)
                return self._generated(page, Scripted(404, NOT_FOUND_PAGE))
            return self._serve(f"imdb.com/event/{m.group(1)}/{m.group(2)}/{m.group(3)}.html")
        if m := re.fullmatch(r"/imdb/event/(ev\d+)/?", path):
            if synthetic:
                page = synthetic.event_root(m.group(1))
                return self._generated(page, Scripted(404, NOT_FOUND_PAGE))
            newest = self._newest_edition(m.group(1))
            return self._serve(newest) if newest else Scripted(404, NOT_FOUND_PAGE)
        if m := re.fullmatch(r"/tmdb(/3/(find|movie)/(\w+))", path):
            key = query.get("api_key") or authorization.removeprefix("Bearer ").strip()
            if self.tmdb_key is not None and key != self.tmdb_key:
                return Scripted(401, TMDB_UNAUTHORIZED)
            kind, ident = m.group(2), m.group(3)
            if synthetic:
                if kind == "find":
                    body = synthetic.tmdb_find(ident)
                elif ident.isdigit():
                    body = synthetic.tmdb_movie(int(ident))
                else:
                    body = synthetic.tmdb_movie_by_imdb_id(ident)
                return self._generated(body, Scripted(404, TMDB_NOT_FOUND))
            if kind == "movie" and not ident.isdigit():
                return self._tmdb_movie_by_imdb_id(ident)
            found = self._serve(f"tmdb{m.group(1)}.json")
            return found if found.status != 404 else Scripted(404, TMDB_NOT_FOUND)
        if re.fullmatch(r"/omdb/?", path):
            if self.omdb_key is not None and query.get("apikey") != self.omdb_key:
                if not query.get("apikey"):
                    return Scripted(401, {"Response": "False", "Error": "No API key provided."})
                return Scripted(401, {"Response": "False", "Error": "Invalid API key!"})
            imdb_id = query.get("i", "")
            if not re.fullmatch(r"tt\d+", imdb_id):
                return Scripted(200, {"Response": "False", "Error": "Incorrect IMDb ID."})
            if synthetic:
                return Scripted(200, synthetic.omdb(imdb_id))
            found = self._serve(f"omdb/{imdb_id}.json")
            if found.status == 404:
                return Scripted(200, {"Response": "False", "Error": "Movie not found!"})
            return found
        return Scripted(404, "<html><body><h1>Page Not Found</h1></body></html>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--root", action="append", help="extra data root (overrides)")
    parser.add_argument(
        "--synthetic",
        type=int,
        metavar="N",
        help="serve N generated ceremonies from --first-year on (98: the full history) "
        "instead of data",
    )
    parser.add_argument("--first-year", type=int, default=1929, help="of --synthetic")
    parser.add_argument("--seed", type=int, default=1929, help="seed of --synthetic")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        help="the synthetic world's date (YYYY-MM-DD): editions ending later list no winners",
    )
    parser.add_argument(
        "--tmdb-rate", type=float, help="TMDb requests per second before HTTP 429 (default: none)"
    )
    args = parser.parse_args()
    roots = [DATA, *(args.root or [])]
    synthetic = (
        SyntheticHistory(
            args.synthetic, seed=args.seed, first_year=args.first_year, today=args.today
        )
        if args.synthetic
        else None
    )
    server = SampleUpstream(
        roots,
        host=args.host,
        port=args.port,
        latency=args.latency,
        synthetic=synthetic,
        tmdb_rate=args.tmdb_rate,
    )
    print(
        f"sample upstream on {server.url}: "
        + ", ".join(f"{k}={v}" for k, v in server.env().items()),
        flush=True,
    )
    server.httpd.serve_forever()


if __name__ == "__main__":
    main()
