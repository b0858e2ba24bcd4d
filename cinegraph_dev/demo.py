"""The quickstart: the real pipeline on sample data, no keys, no network.

    python -m cinegraph_dev.demo            # UI on http://127.0.0.1:3000, Ctrl-C stops
    python -m cinegraph_dev.demo --exit-when-done

Starts the bundled sample upstream (recorded-format oscars.org/IMDb pages and TMDb/OMDb
answers for the ceremonies of 2023-2026, and the IMDb pages of two Cannes editions and one
Golden Globes edition), the Dagster webserver and daemon on a local instance
($DAGSTER_HOME, default ./.dagster_home) with the embedded SQLite database (./data), and
launches a backfill of the chosen ceremony years, then of one Cannes edition, from the
webserver's GraphQL API as the UI would; the movie sensor then fans out to the movies.
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
# The award-body editions the sample upstream serves; the other bodies are disabled in
# the demo's registry (their assets stay visible, the edition sensor leaves them alone).
SAMPLE_EDITIONS = {"cannes": ["2025", "2026"], "golden_globes": ["2026"]}
LOCATION = "cinegraph_assets_sample_data"


def _demo_registry(home: Path) -> Path:
    """The default registry with only the sample's bodies enabled."""
    from cinegraph_assets.awards.registry import load_bodies

    lines = ["# Written by bin/demo: the default registry, sample bodies enabled.\n"]
    for body in load_bodies():
        lines.append(
            f'[[body]]\nkey = "{body.key}"\nname = "{body.name}"\n'
            f'imdb_event_id = "{body.imdb_event_id}"\nfirst_edition = {body.first_edition}\n'
            f"month = {body.month}\nenabled = {str(body.key in SAMPLE_EDITIONS).lower()}\n"
            f"television = {str(body.television).lower()}\n"
        )
    path = home / "award_bodies.toml"
    path.write_text("\n".join(lines))
    return path


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


def _summary(editions: set[tuple[str, str]]) -> dict[str, int]:
    """Totals of the status rows of the (body, edition)s launched."""
    from cinegraph_assets.db import DatabaseResource
    from cinegraph_assets.status import status_rows

    rows = [
        r
        for r in status_rows(DatabaseResource(data_dir=os.environ.get("CINEGRAPH_DATA_DIR", "")))
        if (r["body"], r["edition"]) in editions
    ]
    return {
        "editions": len(rows),
        **{
            k: sum(r[k] for r in rows)
            for k in ("nominations", "winners", "films", "tmdb_done", "omdb_done", "failed")
        },
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
        help="stop once the years, the Cannes edition and their movies are imported",
    )
    parser.add_argument(
        "--edition",
        default="2025",
        choices=SAMPLE_EDITIONS["cannes"],
        help="the Cannes edition backfilled after the years",
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
        "CINEGRAPH_EDITION_SENSOR_INTERVAL_SECONDS": "60",
        "CINEGRAPH_AWARD_BODIES_FILE": str(_demo_registry(home)),
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
        # The edition sensor registers these too (from IMDb's list of editions); adding
        # them here lets the backfill start at once.
        for body, editions in SAMPLE_EDITIONS.items():
            for edition in editions:
                stack.add_partition(f"{body}_editions", edition, LOCATION)
        backfill = stack.launch_backfill(["scraped_ceremony", "imdb_enhanced_nominees"], args.years)
        cannes = stack.launch_backfill(["cannes_nominations"], [args.edition])
        print(
            f"Dagster UI: {stack.url}  (backfill {backfill} of {', '.join(args.years)}, then "
            f"{cannes} of Cannes {args.edition}; the movie sensor adds the films as they arrive)"
        )
        if args.exit_when_done:
            launched = {("oscars", _oscars_edition(y)) for y in args.years}
            return _wait_until_done(launched | {("cannes", args.edition)}, args.timeout)
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


def _oscars_edition(year: str) -> str:
    from cinegraph_assets.awards.editions import Edition
    from cinegraph_assets.ceremonies.partitions import imdb_edition

    return Edition(*imdb_edition(int(year))).key


def _wait_until_done(editions: set[tuple[str, str]], timeout: float) -> int:
    started = time.time()
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        time.sleep(10)
        try:
            summary = _summary(editions)
        except Exception as exc:  # the schema may not exist before the first run
            print(f"waiting ({type(exc).__name__})")
            continue
        if summary != last:
            print(summary, flush=True)
            last = summary
        films = summary["films"]
        if (
            summary["editions"] == len(editions)
            and films
            and summary["tmdb_done"] + summary["failed"] >= films
            and summary["omdb_done"] + summary["failed"] >= films
        ):
            print("done:", summary)
            return _wait_for_the_dataset(started, deadline) if summary["failed"] == 0 else 1
    print("timed out", last, file=sys.stderr)
    return 2


def _wait_for_the_dataset(since: float, deadline: float) -> int:
    """The automation sensor exports the datasets once the imports have settled."""
    folder = Path(os.environ["CINEGRAPH_DATA_DIR"]) / "exports"
    files = [folder / f"{name}.parquet" for name in ("oscar_nominations", "award_nominations")]
    while time.monotonic() < deadline:
        if all(f.exists() and f.stat().st_mtime >= since for f in files):
            for f in files:
                print(f"dataset: {f} and {f.with_suffix('.csv')}")
            return 0
        time.sleep(5)
    print(f"timed out waiting for {', '.join(map(str, files))}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
