"""One place for each thing: settings read once, documented, and the code location
independent of the development tooling beside it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import EnvVar

from cinegraph_assets.db.engine import default_sqlite_url
from cinegraph_assets.resources import build_resources
from cinegraph_assets.settings import SECRETS, Settings

ROOT = Path(__file__).resolve().parents[1]
# Variables the README documents that are not settings of the code location: the
# Dagster instance and workspace files read them, or only the tests do.
NOT_SETTINGS = {
    "DAGSTER_HOME",
    "DAGSTER_PG_HOST",
    "DAGSTER_PG_PORT",
    "DAGSTER_PG_USER",
    "DAGSTER_PG_PASSWORD",
    "DAGSTER_PG_DB",
    "DAGSTER_CODE_SERVER_HOST",
    "DAGSTER_CODE_SERVER_PORT",
    "CINEGRAPH_CELERY_BROKER_URL",
    "CINEGRAPH_CELERY_BACKEND_URL",
    "CINEGRAPH_TEST_PG_URL",
    "CI",
}


def _readme_variables() -> set[str]:
    section = (ROOT / "README.md").read_text().split("## Configuration", 1)[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_every_setting_is_documented_and_every_documented_variable_exists():
    code = set(Settings.variables()) | set(SECRETS)
    documented = _readme_variables()
    assert code - documented == set(), "settings missing from README Configuration"
    assert documented - code - NOT_SETTINGS == set(), "README documents unknown variables"


def test_settings_are_typed_and_bad_values_say_which_variable():
    settings = Settings.from_env(
        {"CINEGRAPH_MOVIE_BATCH_SIZE": "40", "CINEGRAPH_SAMPLE_DATA": "1",
         "CINEGRAPH_TMDB_RATE_LIMIT": "12.5", "CINEGRAPH_DATABASE_URL": "postgresql://x/y"}
    )  # fmt: skip
    assert settings.movie_batch_size == 40 and settings.sample_data is True
    assert settings.tmdb_rate_limit == 12.5 and settings.database_kind == "postgres"
    assert Settings.from_env({}).database_kind == "sqlite"
    with pytest.raises(ValueError, match="CINEGRAPH_YEAR_BATCH_SIZE='ten' is not a valid int"):
        Settings.from_env({"CINEGRAPH_YEAR_BATCH_SIZE": "ten"})


def test_the_code_location_resources_read_secrets_through_envvar(monkeypatch, tmp_path):
    """What build_resources gives the code location: each secret an EnvVar (its value
    stays out of run config), one request budget in the data database for every
    client, and the retry settings of each kind of upstream."""
    monkeypatch.setenv("TMDB_API_KEY", "real-key")
    for name in ("OMDB_API_KEY", "CINEGRAPH_DATABASE_URL", "CINEGRAPH_RENDER_PROXY"):
        monkeypatch.delenv(name, raising=False)
    env = {"CINEGRAPH_DATA_DIR": str(tmp_path), "CINEGRAPH_PAGE_MAX_ATTEMPTS": "7"}
    res = build_resources(Settings.from_env(env))
    oscars, imdb, tmdb, omdb = res["oscars"], res["imdb"], res["tmdb"], res["omdb"]
    assert isinstance(tmdb.api_key, EnvVar) and tmdb.api_key == "TMDB_API_KEY"
    assert omdb.api_key == "" and oscars.render_proxy == ""
    budgets = {c.budget_url for c in (oscars, imdb, tmdb, omdb)}
    assert budgets == {default_sqlite_url(str(tmp_path))}
    assert (oscars.max_attempts, imdb.max_attempts, tmdb.max_attempts, omdb.max_attempts) == (
        7, 7, 5, 5,
    )  # fmt: skip
    assert (imdb.backoff_seconds, omdb.backoff_seconds, tmdb.timeout_seconds) == (2.0, 1.0, 30.0)


def test_only_the_settings_module_reads_the_environment():
    readers = []
    for path in (ROOT / "cinegraph_assets").rglob("*.py"):
        if path.name in ("settings.py", "resources.py", "checksum.py"):
            continue  # resources: the secrets through EnvVar; checksum: a command line tool
        if re.search(r"os\.environ|os\.getenv", path.read_text()):
            readers.append(str(path.relative_to(ROOT)))
    assert readers == []


def test_the_code_location_imports_nothing_of_the_development_package():
    probe = (
        "import sys, cinegraph_assets.definitions; "
        "print(sorted(m for m in sys.modules if m.startswith('cinegraph_dev')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT)  # fmt: skip
    assert out.stdout.strip() == "[]"


def test_no_function_of_the_code_location_is_longer_than_60_lines():
    long = []
    for path in (ROOT / "cinegraph_assets").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})")
    assert long == []


def test_the_readme_checks_table_lists_every_check_as_it_is():
    """Each row of README "Checks" is a check of the code location (its name, its asset,
    whether it blocks), and every check has its row. An asset written with a
    placeholder (`<key>_nominations`) stands for every asset of that form."""
    from cinegraph_assets.definitions import defs

    section = (ROOT / "README.md").read_text().split("### Checks", 1)[1].split("\n### ")[0]
    found = re.findall(r"^\| `(\w+)` \| `([\w<>]+)` \| ([^|]+) \|", section, re.M)
    # Asset names are word characters: a placeholder becomes \w+, the rest is literal.
    rows = [
        (check, re.compile(re.sub(r"<\w+>", r"\\w+", asset)), "blocking" in severity)
        for check, asset, severity in found
    ]
    graph = defs.get_repository_def().asset_graph
    specs = {
        (spec.name, spec.asset_key.to_user_string(), spec.blocking)
        for a in graph.assets_defs
        for spec in a.check_specs
    }

    def documents(row, spec) -> bool:
        return row[0] == spec[0] and bool(row[1].fullmatch(spec[1])) and row[2] == spec[2]

    assert [s for s in sorted(specs) if not any(documents(r, s) for r in rows)] == []
    assert [r[0] for r in rows if not any(documents(r, s) for s in specs)] == []
