"""Curated overrides: nominations pinned by hand to their IMDb ids.

The matcher never invents a match; a few real nominations still need a human (a
nomination IMDb files oddly, a page with a misprint). Those are pinned in
`overrides.csv` next to this module, versioned and reviewed like code, the way
hand-curated award datasets keep their corrections beside the data.

The file is CSV with a header; lines starting with `#` are comments. Columns:

- `ceremony_year`: the oscars.org URL year (1929 is the 1st ceremony).
- `category`: the category as oscars.org prints it ("Best Picture").
- `nominee`: the nomination as the oscars.org page prints it: the film slot, or the
  entities slot (all items, joined), or the film slot followed by the entities slot
  ("The Red Shoes | J. Arthur Rank-Archers"). It is compared after `text.fold` (case,
  accents and punctuation do not matter) with each of the three texts of every
  nomination of the category, and must single out one nomination: where the film
  slot repeats in the category (two supporting actors from one film) give both slots.
- `imdb_title_ids`: `|`-separated IMDb title ids (`tt` + digits), may be empty.
- `imdb_name_ids`: `|`-separated IMDb name ids (`nm` + digits), may be empty.
- `no_film`: `true` or `false` (empty is false): the nomination has no film (a studio
  department, a company); it may still pin name ids, never title ids.
- `note`: why the pin exists (required; it is recorded with the nomination).

A row must pin something: title ids, name ids or `no_film=true`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from cinegraph_assets.ceremonies.model import OscarsNomination
from cinegraph_assets.text import fold

COLUMNS = (
    "ceremony_year",
    "category",
    "nominee",
    "imdb_title_ids",
    "imdb_name_ids",
    "no_film",
    "note",
)
_TITLE_ID = re.compile(r"tt\d{7,}")
_NAME_ID = re.compile(r"nm\d{7,}")
_BOOLEAN = {"": False, "false": False, "true": True}


class OverridesError(ValueError):
    """The overrides file is malformed. The message names the file and the line."""


@dataclass(frozen=True)
class Override:
    ceremony_year: int
    category: str
    nominee: str
    imdb_title_ids: tuple[str, ...]
    imdb_name_ids: tuple[str, ...]
    no_film: bool
    note: str
    source: str  # "overrides.csv line 12"

    def applies_to(self, o: OscarsNomination) -> bool:
        """Whether this row pins the nomination (its ceremony is the caller's business)."""
        if fold(o.category) != fold(self.category):
            return False
        entities = " ".join(o.entities)
        printed = {fold(o.film_slot), fold(entities), fold(f"{o.film_slot} {entities}")}
        return fold(self.nominee) in printed - {""}

    def describe(self) -> str:
        return f"{self.source}: {self.note}"


def _ids(value: str, pattern: re.Pattern[str], what: str, where: str) -> tuple[str, ...]:
    ids = tuple(v.strip() for v in value.split("|") if v.strip())
    bad = [i for i in ids if not pattern.fullmatch(i)]
    if bad:
        raise OverridesError(f"{where}: {bad[0]!r} is not an IMDb {what} id")
    return ids


def _row(values: dict[str, str], where: str) -> Override:
    year = values["ceremony_year"].strip()
    if not year.isdigit() or int(year) < 1929:
        raise OverridesError(f"{where}: ceremony_year {year!r} is not an oscars.org URL year")
    for column in ("category", "nominee", "note"):
        if not fold(values[column]):
            raise OverridesError(f"{where}: {column} is empty")
    no_film = values["no_film"].strip().lower()
    if no_film not in _BOOLEAN:
        raise OverridesError(f"{where}: no_film {values['no_film']!r} is not true or false")
    override = Override(
        ceremony_year=int(year),
        category=values["category"].strip(),
        nominee=values["nominee"].strip(),
        imdb_title_ids=_ids(values["imdb_title_ids"], _TITLE_ID, "title (tt...)", where),
        imdb_name_ids=_ids(values["imdb_name_ids"], _NAME_ID, "name (nm...)", where),
        no_film=_BOOLEAN[no_film],
        note=values["note"].strip(),
        source=where,
    )
    if not (override.imdb_title_ids or override.imdb_name_ids or override.no_film):
        raise OverridesError(f"{where}: the row pins nothing (no ids and no_film is false)")
    if override.no_film and override.imdb_title_ids:
        raise OverridesError(f"{where}: no_film is true but the row pins title ids")
    return override


def _header(row: list[str], name: str, line: int) -> list[str]:
    header = [c.strip() for c in row]
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise OverridesError(
            f"{name} line {line}: unknown column {unknown[0]!r} (columns: {', '.join(COLUMNS)})"
        )
    missing = [c for c in COLUMNS if c not in header]
    if missing or len(set(header)) != len(header):
        problem = f"missing column {missing[0]!r}" if missing else "a column appears twice"
        raise OverridesError(f"{name} line {line}: {problem} (columns: {', '.join(COLUMNS)})")
    return header


def parse_overrides(text: str, *, name: str = "overrides.csv") -> tuple[Override, ...]:
    """All rows of an overrides file's text; `name` names the file in messages."""
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    out: list[Override] = []
    seen: dict[tuple[int, str, str], str] = {}
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = _header(row, name, line)
            continue
        where = f"{name} line {line}"
        if len(row) != len(header):
            raise OverridesError(f"{where}: {len(row)} fields, the header has {len(header)}")
        override = _row(dict(zip(header, row, strict=True)), where)
        key = (override.ceremony_year, fold(override.category), fold(override.nominee))
        if key in seen:
            raise OverridesError(f"{where}: pins the same nomination as {seen[key]}")
        seen[key] = where
        out.append(override)
    if header is None:
        raise OverridesError(f"{name}: no header line (columns: {', '.join(COLUMNS)})")
    return tuple(out)


def load_overrides(path: Path | str | None = None) -> tuple[Override, ...]:
    """The rows of an overrides file; by default the one shipped with the package."""
    if path is None:
        text = resources.files(__package__).joinpath("overrides.csv").read_text("utf-8")
        return parse_overrides(text, name="overrides.csv")
    path = Path(path)
    return parse_overrides(path.read_text("utf-8"), name=str(path))


@lru_cache(maxsize=1)
def _packaged() -> tuple[Override, ...]:
    return load_overrides()


def overrides_for(year: int, path: Path | str | None = None) -> tuple[Override, ...]:
    """The overrides of one ceremony (oscars.org URL year), for match_ceremony."""
    rows = _packaged() if path is None else load_overrides(path)
    return tuple(o for o in rows if o.ceremony_year == year)
