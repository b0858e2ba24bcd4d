"""The quickstart: the real pipeline on sample data, no keys, no network.

    python -m cinegraph_dev.demo            # UI on http://127.0.0.1:3000, Ctrl-C stops
    python -m cinegraph_dev.demo --exit-when-done

Starts the bundled sample upstream (recorded-format oscars.org/IMDb pages and TMDb/OMDb
answers for the ceremonies of 2023-2026), the Dagster webserver and daemon on a local
instance ($DAGSTER_HOME, default ./.dagster_home) with the embedded SQLite database
(./data), and launches a backfill of the chosen ceremony years from the webserver's
GraphQL API as the UI would; the movie sensor then fans out to the movies.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import warnings
from pathlib import Path

from dagster import BetaWarning, PreviewWarning

from cinegraph_dev.local_stack import DagsterStack
from cinegraph_dev.sample_upstream import SampleUpstream

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_YEARS = ["2023", "2024", "2025", "2026"]
LOCATION = "cinegraph_assets_sample_data"


def _prepare_home(home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    template = ROOT / "deploy" / "dagster.local.yaml"
    if not config.exists() and template.exists():
        shutil.copy(template, config)
    workspace = home / "workspace.yaml"
    workspace.write_text(
        "load_from:\n  - python_module:\n      module_name: cinegraph_assets.definitions\n"
        f"      attribute: defs\n      working_directory: {ROOT}\n"
        f"      location_name: {LOCATION}\n"
    )
    return workspace


def _summary(years: list[str]) -> dict[str, int]:
    from cinegraph_assets.db import DatabaseResource
    from cinegraph_assets.status import status_rows

    rows = [
        r
        for r in status_rows(DatabaseResource(data_dir=os.environ.get("CINEGRAPH_DATA_DIR", "")))
        if str(r["year"]) in years
    ]
    return {
        k: sum(r[k] for r in rows)
        for k in ("nominations", "winners", "films", "tmdb_done", "omdb_done", "failed")
    }


def main() -> int:
    # Deliberate uses of beta/preview Dagster features; the UI shows them anyway.
    warnings.filterwarnings("ignore", category=BetaWarning)
    warnings.filterwarnings("ignore", category=PreviewWarning)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", nargs="+", default=["2026"], choices=SAMPLE_YEARS)
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument(
        "--exit-when-done",
        action="store_true",
        help="stop once the years and their movies are imported",
    )
    parser.add_argument("--timeout", type=float, default=1200)
    args = parser.parse_args()

    home = Path(os.environ.get("DAGSTER_HOME") or ROOT / ".dagster_home").resolve()
    workspace = _prepare_home(home)
    upstream = SampleUpstream().start()
    env = {
        **os.environ,
        **upstream.env(),
        "DAGSTER_HOME": str(home),
        "CINEGRAPH_SAMPLE_DATA": "1",
        "CINEGRAPH_DATA_DIR": os.environ.get("CINEGRAPH_DATA_DIR") or str(ROOT / "data"),
        "TMDB_API_KEY": os.environ.get("TMDB_API_KEY") or "sample-tmdb-key",
        "OMDB_API_KEY": os.environ.get("OMDB_API_KEY") or "sample-omdb-key",
        "CINEGRAPH_MOVIE_SENSOR_INTERVAL_SECONDS": "10",
    }
    os.environ.update({k: env[k] for k in ("DAGSTER_HOME", "CINEGRAPH_DATA_DIR")})
    stack = DagsterStack(
        workspace=workspace, env=env, log_dir=home / "process-logs", port=args.port, cwd=ROOT
    )
    print(f"sample upstream on {upstream.url} (SAMPLE DATA, ceremonies {', '.join(SAMPLE_YEARS)})")
    try:
        stack.start()
        stack.wait_ready()
        for year in SAMPLE_YEARS:
            stack.add_partition("ceremony_years", year, LOCATION)
        backfill = stack.launch_backfill(["scraped_ceremony", "imdb_enhanced_nominees"], args.years)
        print(
            f"Dagster UI: {stack.url}  (backfill {backfill} of {', '.join(args.years)}; the "
            "movie sensor adds the films as they arrive)"
        )
        if args.exit_when_done:
            return _wait_until_done(args.years, args.timeout)
        print("Ctrl-C stops everything.")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        survivors = stack.stop()
        upstream.stop()
        if survivors:
            print(f"warning: processes still running: {survivors}", file=sys.stderr)


def _wait_until_done(years: list[str], timeout: float) -> int:
    started = time.time()
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        time.sleep(10)
        try:
            summary = _summary(years)
        except Exception as exc:  # the schema may not exist before the first run
            print(f"waiting ({type(exc).__name__})")
            continue
        if summary != last:
            print(summary, flush=True)
            last = summary
        films = summary["films"]
        if (
            films
            and summary["tmdb_done"] + summary["failed"] >= films
            and summary["omdb_done"] + summary["failed"] >= films
        ):
            print("done:", summary)
            return _wait_for_the_dataset(started, deadline) if summary["failed"] == 0 else 1
    print("timed out", last, file=sys.stderr)
    return 2


def _wait_for_the_dataset(since: float, deadline: float) -> int:
    """The automation sensor exports the dataset once the imports have settled."""
    parquet = Path(os.environ["CINEGRAPH_DATA_DIR"]) / "exports" / "oscar_nominations.parquet"
    while time.monotonic() < deadline:
        if parquet.exists() and parquet.stat().st_mtime >= since:
            print(f"dataset: {parquet} and {parquet.with_suffix('.csv')}")
            return 0
        time.sleep(5)
    print(f"timed out waiting for {parquet}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
