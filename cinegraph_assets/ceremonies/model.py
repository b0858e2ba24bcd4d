"""Plain data passed between the parsers, the matcher and the database code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class WarningKind(StrEnum):
    """Odd but plausible content of a page: reported, never a reason to refuse it."""

    EMPTY_CATEGORY = "empty_category"  # a category listed with no nominations
    NOMINATION_WITHOUT_ENTITIES = "nomination_without_entities"  # no title, name or company
    UNKNOWN_AWARD = "unknown_award"  # an award name the Academy's categories do not know
    WINNERLESS_CATEGORY = "winnerless_category"  # an awarded competitive category, no winner
    NOMINATION_TOTAL_MISMATCH = "nomination_total_mismatch"  # `total` disagrees with edges
    PAGINATED_CATEGORY = "paginated_category"  # more nominations on a page not fetched


@dataclass(frozen=True)
class PageWarning:
    """One odd thing a page holds: `where` names the category (and nomination), the
    message says what, with the page's own location of it."""

    kind: str  # a WarningKind
    where: str
    message: str


@dataclass(frozen=True)
class OscarsNomination:
    """One honoree block of an oscars.org ceremony page, with the slots interpreted."""

    category: str
    position: int
    won: bool
    film_slot: str  # the film slot as printed (a country or song title in some categories)
    entities: tuple[str, ...]  # the entity items as printed
    films: tuple[str, ...]  # film title(s)
    statement: str  # nominee statement as printed (people, roles)
    people: tuple[str, ...]  # names read from the statement
    song_title: str | None = None
    country: str | None = None
    placeholder: bool = False
    nomination_id: int | None = None  # set when read back from the database


@dataclass(frozen=True)
class OscarsCategory:
    name: str
    term_id: str | None
    nominations: tuple[OscarsNomination, ...]


@dataclass(frozen=True)
class OscarsCeremony:
    year: int
    ceremony_number: int
    name: str
    date: date | None
    date_text: str | None
    location: str | None
    honoring: str | None
    awarded: bool
    categories: tuple[OscarsCategory, ...]
    warnings: tuple[PageWarning, ...] = ()

    @property
    def nominations(self) -> list[OscarsNomination]:
        return [n for c in self.categories for n in c.nominations]


@dataclass(frozen=True)
class ImdbTitle:
    id: str
    title: str
    original_title: str | None = None
    title_type: str | None = None  # IMDb's titleType.id: movie, short, tvSeries, ...


@dataclass(frozen=True)
class ImdbPerson:
    id: str
    name: str


@dataclass(frozen=True)
class ImdbNomination:
    award: str  # "Oscar", "Honorary Award", ...
    award_id: str | None
    category: str  # the category text, or the award text where IMDb gives none
    index: int  # position in IMDb's list, for stable identities
    is_winner: bool
    titles: tuple[ImdbTitle, ...]
    people: tuple[ImdbPerson, ...]
    companies: tuple[str, ...] = ()
    notes: str | None = None
    song_title: str | None = None

    @property
    def is_oscar(self) -> bool:
        return self.award.strip().lower() == "oscar"


@dataclass(frozen=True)
class ImdbEdition:
    edition_id: str | None
    year: int | None
    instance: int | None
    event_name: str | None
    date: date | None
    location: str | None
    nominations: tuple[ImdbNomination, ...]
    history: tuple[tuple[int, int, str], ...] = field(default=())  # (year, instance, id)
    paginated_categories: tuple[str, ...] = field(default=())
    event_id: str | None = None  # the IMDb event the page says it is (ev0000003)
    warnings: tuple[PageWarning, ...] = field(default=())

    @property
    def awarded(self) -> bool:
        """Whether any nomination is a winner (a line-up before its prizes has none)."""
        return any(n.is_winner for n in self.nominations)
