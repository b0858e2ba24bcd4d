"""The award bodies imported from IMDb event pages: configuration, not code.

`bodies.toml` beside this module lists them (CINEGRAPH_AWARD_BODIES_FILE names another
file). It is validated when the code location loads: a bad entry fails the load with
the file, the entry and the field, so a typo never turns into a silently missing body.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FILE = Path(__file__).with_name("bodies.toml")

# The asset key is `<key>_nominations`: Dagster names allow [A-Za-z0-9_].
_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_EVENT = re.compile(r"^ev\d{7}$")
# The Academy keeps its own two-source import; its key and event are taken.
RESERVED_KEYS = {"oscars", "academy"}
ACADEMY_EVENT_ID = "ev0000003"
_FIELDS = {"key", "name", "imdb_event_id", "first_edition", "month", "enabled", "television"}


class RegistryError(ValueError):
    pass


@dataclass(frozen=True)
class AwardBody:
    key: str
    name: str
    imdb_event_id: str
    first_edition: int
    month: int
    enabled: bool = True
    television: bool = False

    @property
    def asset_name(self) -> str:
        return f"{self.key}_nominations"

    @property
    def partitions_name(self) -> str:
        return f"{self.key}_editions"


def _body(entry: object, where: str) -> AwardBody:
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: not a table")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    missing = {"key", "name", "imdb_event_id", "first_edition", "month"} - set(entry)
    if missing:
        raise RegistryError(f"{where}: missing field(s) {', '.join(sorted(missing))}")

    def typed(name: str, kind: type):
        value = entry[name]
        if type(value) is not kind:
            raise RegistryError(f"{where}: {name} = {value!r} is not a {kind.__name__}")
        return value

    key, event = typed("key", str), typed("imdb_event_id", str)
    if not _KEY.match(key) or key in RESERVED_KEYS:
        raise RegistryError(
            f"{where}: key {key!r} must be 2-40 of a-z, 0-9, _ (starting with a letter) "
            f"and not one of {sorted(RESERVED_KEYS)}"
        )
    if not _EVENT.match(event) or event == ACADEMY_EVENT_ID:
        raise RegistryError(
            f"{where}: imdb_event_id {event!r} is not an IMDb event id like 'ev0000147' "
            f"(the Academy's {ACADEMY_EVENT_ID} has its own import)"
        )
    name = typed("name", str).strip()
    if not name:
        raise RegistryError(f"{where}: name is empty")
    first, month = typed("first_edition", int), typed("month", int)
    if not 1880 <= first <= 2200:
        raise RegistryError(f"{where}: first_edition {first} is not a year")
    if not 1 <= month <= 12:
        raise RegistryError(f"{where}: month {month} is not 1..12")
    return AwardBody(
        key=key,
        name=name,
        imdb_event_id=event,
        first_edition=first,
        month=month,
        enabled=typed("enabled", bool) if "enabled" in entry else True,
        television=typed("television", bool) if "television" in entry else False,
    )


def parse_registry(text: str, *, source: str = "bodies.toml") -> tuple[AwardBody, ...]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{source}: not valid TOML: {exc}") from None
    if set(data) - {"body"}:
        raise RegistryError(f"{source}: only [[body]] entries are allowed")
    entries = data.get("body", [])
    if not isinstance(entries, list):
        raise RegistryError(f"{source}: `body` must be [[body]] entries")
    bodies = [_body(e, f"{source}: body {i + 1}") for i, e in enumerate(entries)]
    for attr in ("key", "imdb_event_id"):
        seen: set[str] = set()
        for body in bodies:
            value = getattr(body, attr)
            if value in seen:
                raise RegistryError(f"{source}: two bodies have {attr} {value!r}")
            seen.add(value)
    return tuple(bodies)


def load_bodies(path: str | Path | None = None) -> tuple[AwardBody, ...]:
    """The registry at path (default: bodies.toml beside this module)."""
    file = Path(path) if path else DEFAULT_FILE
    try:
        text = file.read_text("utf-8")
    except OSError as exc:
        raise RegistryError(f"cannot read the award-body registry {file}: {exc}") from None
    return parse_registry(text, source=str(file))
