"""A synthetic full Academy Awards history for the sample upstream.

The recorded sample data covers four ceremonies. A full-history benchmark needs all of
them (98 ceremonies: oscars.org URL years 1929..2026, about 5,300 films and a quarter
of a million credits) at realistic size and shape, which cannot be recorded and shipped.
`SyntheticHistory` generates them instead:

- oscars.org ceremony pages, with the real markup, slot conventions (acting, the
  International Feature swap, Original Song's "from <Film>; ...") and year list;
- IMDb event pages whose `__NEXT_DATA__` lists the same nominations under IMDb's
  category names, with tt/nm ids, notes, IMDb-only awards and IMDb's edition numbering;
- TMDb find and movie details (credits, external_ids, release_dates appended; by TMDb
  id or by IMDb id) and OMDb records for every film, a few of them missing as on the
  real services.

The sources agree with one another the way the real ones do: every IMDb-named nominee is
among the film's TMDb credits under the same name, and the people of all films come from
one pool with skewed popularity and era-bound careers, so the same people recur and the
collaboration graph has a realistic shape. Category names follow each era, so the
pipeline's classifier and matcher see what they would see on the real sites.

Output depends only on (seed, first_year, ceremonies): every random choice comes from a
`random.Random` seeded with a string that names what it decides (string seeds are hashed
with SHA-512, unlike the salted `hash()`), so a seed gives byte-identical bodies in every
process. A ceremony's content does not depend on how many ceremonies there are (only the
year lists do). Nothing is generated before it is asked for, and everything is cached.

Every award body of the registry is served beside the Academy (`event_page`, `event_root`;
see synthetic_bodies.py): its films are films of this history, so TMDb and OMDb answer
for them here too, and its series answer TMDb's find under `tv_results`.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from itertools import accumulate

FOREVER = 9999
# The films exist from the 1st ceremony to the one after the last edition of any body
# (a festival of 2026 shows films of the 2027 ceremony), whichever ceremonies are
# published: TMDb and OMDb know a film before oscars.org lists it.
WORLD_LAST_CEREMONY = 2027

# IMDb files the first ceremonies under other years (no 1933, two in 1930). Stated here
# as a fact about IMDb rather than imported from the pipeline, so that a mistake in the
# pipeline's own mapping cannot hide behind its stand-in.
IMDB_EDITIONS = {
    1929: (1929, 1),
    1930: (1930, 1),
    1931: (1930, 2),
    1932: (1931, 1),
    1933: (1932, 1),
    1934: (1934, 1),
}


def imdb_edition(year: int) -> tuple[int, int]:
    """(IMDb year, instance within that year) of the oscars.org ceremony year."""
    return IMDB_EDITIONS.get(year, (year, 1))


# -- categories --------------------------------------------------------------------


@dataclass(frozen=True)
class _Category:
    key: str
    role: str  # whose names the nominations carry, see SyntheticHistory._nominees
    pool: str  # "main": the year's feature films; otherwise a kind of film of its own
    eras: tuple[tuple[int, int, str, str], ...]  # first year, last year, oscars.org, IMDb

    def names(self, year: int) -> tuple[str, str] | None:
        return next(((o, i) for first, last, o, i in self.eras if first <= year <= last), None)


# Category key: (role, pool). The role says whose names its nominations carry (see
# SyntheticHistory._nominees), the pool which films it picks from ("main": the year's
# feature films; otherwise films of that kind of its own). In generation order: the
# categories with films of their own first, so an International Feature nominee exists
# before the main categories may pick it too.
_ROLES = {
    "international": ("none", "international"),
    "documentary": ("filmmakers", "documentary"),
    "documentary_short": ("filmmakers", "documentary_short"),
    "animated": ("filmmakers", "animated"),
    "animated_short": ("filmmakers", "animated_short"),
    "live_short": ("filmmakers", "live_short"),
    "novelty_short": ("filmmakers", "live_short"),
    "picture": ("producers", "main"),
    "unique": ("producers", "main"),
    "actor": ("lead_male", "main"),
    "actress": ("lead_female", "main"),
    "supporting_actor": ("supporting_male", "main"),
    "supporting_actress": ("supporting_female", "main"),
    "directing_comedy": ("director", "main"),
    "directing": ("director", "main"),
    "writing_adapted": ("writers", "main"),
    "writing_story": ("writers", "main"),
    "writing_original": ("writers", "main"),
    "title_writing": ("writers", "main"),
    "cinematography": ("cinematographer", "main"),
    "cinematography_bw": ("cinematographer", "main"),
    "cinematography_color": ("cinematographer", "main"),
    "editing": ("editor", "main"),
    "art": ("art", "main"),
    "art_bw": ("art", "main"),
    "art_color": ("art", "main"),
    "casting": ("casting", "main"),
    "costume": ("costume", "main"),
    "costume_bw": ("costume", "main"),
    "costume_color": ("costume", "main"),
    "sound": ("sound", "main"),
    "sound_editing": ("sound_editor", "main"),
    "makeup": ("makeup", "main"),
    "score": ("composer", "main"),
    "score_musical": ("composer", "main"),
    "song": ("songwriters", "main"),
    "effects": ("effects", "main"),
}
# The names of each category by era (oscars.org URL years): oscars.org | IMDb.
_ERAS = """
international        1957-2019 Foreign Language Film | Best Foreign Language Film
international        2020-     International Feature Film | Best International Feature Film
documentary          1943-2023 Documentary (Feature) | Best Documentary, Features
documentary          2024-     Documentary Feature Film | Best Documentary Feature
documentary_short    1943-2023 Documentary (Short Subject) | Best Documentary, Short Subjects
documentary_short    2024-     Documentary Short Film | Best Documentary Short Film
animated             2002-     Animated Feature Film | Best Animated Feature Film
animated_short       1933-1974 Short Subject (Cartoon) | Best Short Subject, Cartoons
animated_short       1975-2013 Short Film (Animated) | Best Short Film, Animated
animated_short       2014-     Animated Short Film | Best Animated Short Film
live_short           1933-1936 Short Subject (Comedy) | Best Short Subject, Comedy
live_short           1937-1957 Short Subject (One-Reel) | Best Short Subject, One-reel
live_short           1958-1974 Short Subject (Live Action) | Best Short Subject, Live Action Subjects
live_short           1975-2013 Short Film (Live Action) | Best Short Film, Live Action
live_short           2014-     Live Action Short Film | Best Live Action Short Film
novelty_short        1933-1936 Short Subject (Novelty) | Best Short Subject, Novelty
novelty_short        1937-1957 Short Subject (Two-Reel) | Best Short Subject, Two-reel
picture              1929-1929 Outstanding Picture | Best Picture, Production
picture              1930-1941 Outstanding Production | Best Picture
picture              1942-1944 Outstanding Motion Picture | Best Picture
picture              1945-1962 Best Motion Picture | Best Picture
picture              1963-2003 Best Picture | Best Picture
picture              2004-     Best Picture | Best Motion Picture of the Year
unique               1929-1929 Unique and Artistic Picture | Best Picture, Unique and Artistic Production
actor                1929-1976 Actor | Best Actor in a Leading Role
actor                1977-2003 Actor in a Leading Role | Best Actor in a Leading Role
actor                2004-     Actor in a Leading Role | Best Performance by an Actor in a Leading Role
actress              1929-1976 Actress | Best Actress in a Leading Role
actress              1977-2003 Actress in a Leading Role | Best Actress in a Leading Role
actress              2004-     Actress in a Leading Role | Best Performance by an Actress in a Leading Role
supporting_actor     1937-2003 Actor in a Supporting Role | Best Actor in a Supporting Role
supporting_actor     2004-     Actor in a Supporting Role | Best Performance by an Actor in a Supporting Role
supporting_actress   1937-2003 Actress in a Supporting Role | Best Actress in a Supporting Role
supporting_actress   2004-     Actress in a Supporting Role | Best Performance by an Actress in a Supporting Role
directing_comedy     1929-1929 Directing (Comedy Picture) | Best Director, Comedy Picture
directing            1929-1929 Directing (Dramatic Picture) | Best Director, Dramatic Picture
directing            1930-2003 Directing | Best Director
directing            2004-     Directing | Best Achievement in Directing
writing_adapted      1929-1929 Writing (Adaptation) | Best Writing, Adaptation
writing_adapted      1930-1931 Writing | Best Writing, Achievement
writing_adapted      1932-1935 Writing (Adaptation) | Best Writing, Adaptation
writing_adapted      1936-1956 Writing (Screenplay) | Best Writing, Screenplay
writing_adapted      1957-1976 Writing (Screenplay Based on Material from Another Medium) | Best Writing, Screenplay Based on Material from Another Medium
writing_adapted      1977-2003 Writing (Screenplay Based on Material Previously Produced or Published) | Best Writing, Screenplay Based on Material Previously Produced or Published
writing_adapted      2004-     Writing (Adapted Screenplay) | Best Adapted Screenplay
writing_story        1929-1929 Writing (Original Story) | Best Writing, Original Story
writing_story        1932-1940 Writing (Original Story) | Best Writing, Original Story
writing_story        1941-1956 Writing (Motion Picture Story) | Best Writing, Motion Picture Story
writing_original     1941-1956 Writing (Original Screenplay) | Best Writing, Original Screenplay
writing_original     1957-1976 Writing (Story and Screenplay Written Directly for the Screen) | Best Writing, Story and Screenplay Written Directly for the Screen
writing_original     1977-2003 Writing (Screenplay Written Directly for the Screen) | Best Writing, Screenplay Written Directly for the Screen
writing_original     2004-     Writing (Original Screenplay) | Best Original Screenplay
title_writing        1929-1929 Writing (Title Writing) | Best Writing, Title Writing
cinematography       1929-1939 Cinematography | Best Cinematography
cinematography       1968-2003 Cinematography | Best Cinematography
cinematography       2004-     Cinematography | Best Achievement in Cinematography
cinematography_bw    1940-1967 Cinematography (Black-and-White) | Best Cinematography, Black-and-White
cinematography_color 1940-1967 Cinematography (Color) | Best Cinematography, Color
editing              1935-2003 Film Editing | Best Film Editing
editing              2004-     Film Editing | Best Achievement in Film Editing
art                  1929-1940 Art Direction | Best Art Direction
art                  1968-2012 Art Direction | Best Art Direction-Set Decoration
art                  2013-     Production Design | Best Achievement in Production Design
art_bw               1941-1967 Art Direction (Black-and-White) | Best Art Direction-Interior Decoration, Black-and-White
art_color            1941-1967 Art Direction (Color) | Best Art Direction-Interior Decoration, Color
casting              2026-     Casting | Best Achievement in Casting
costume              1968-2003 Costume Design | Best Costume Design
costume              2004-     Costume Design | Best Achievement in Costume Design
costume_bw           1949-1967 Costume Design (Black-and-White) | Best Costume Design, Black-and-White
costume_color        1949-1967 Costume Design (Color) | Best Costume Design, Color
sound                1931-1957 Sound Recording | Best Sound, Recording
sound                1958-2002 Sound | Best Sound
sound                2003-2020 Sound Mixing | Best Sound Mixing
sound                2021-     Sound | Best Sound
sound_editing        1964-1967 Sound Effects | Best Effects, Sound Effects
sound_editing        1983-1999 Sound Effects Editing | Best Effects, Sound Effects Editing
sound_editing        2000-2020 Sound Editing | Best Sound Editing
makeup               1982-2012 Makeup | Best Makeup
makeup               2013-     Makeup and Hairstyling | Best Achievement in Makeup and Hairstyling
score                1935-1956 Music (Scoring) | Best Music, Scoring
score                1957-1984 Music (Original Dramatic Score) | Best Music, Original Dramatic Score
score                1985-2003 Music (Original Score) | Best Music, Original Score
score                2004-     Music (Original Score) | Best Achievement in Music Written for Motion Pictures (Original Score)
score_musical        1942-1970 Music (Scoring of a Musical Picture) | Best Music, Scoring of a Musical Picture
score_musical        1971-1985 Music (Adaptation Score) | Best Music, Adaptation Score
song                 1935-1968 Music (Song) | Best Music, Song
song                 1969-1975 Music (Song--Original for the Picture) | Best Music, Original Song
song                 1976-2003 Music (Original Song) | Best Music, Original Song
song                 2004-     Music (Original Song) | Best Achievement in Music Written for Motion Pictures (Original Song)
effects              1929-1929 Engineering Effects | Best Effects, Engineering Effects
effects              1940-1963 Special Effects | Best Effects, Special Effects
effects              1964-2003 Visual Effects | Best Effects, Visual Effects
effects              2004-     Visual Effects | Best Achievement in Visual Effects
"""  # noqa: E501


def _categories() -> tuple[_Category, ...]:
    eras: dict[str, list[tuple[int, int, str, str]]] = {}
    for line in _ERAS.strip().splitlines():
        key, years, names = line.split(maxsplit=2)
        first, last = years.split("-")
        oscars_name, imdb_name = names.split(" | ")
        eras.setdefault(key, []).append((int(first), int(last or FOREVER), oscars_name, imdb_name))
    return tuple(
        _Category(key, role, pool, tuple(eras[key])) for key, (role, pool) in _ROLES.items()
    )


CATEGORIES = _categories()

# The order the real pages list categories in (oscars.org: roughly alphabetical by
# name, Best Picture among the M's; IMDb: Best Picture, acting, directing, writing...).
_OSCARS_ORDER = (
    "actor supporting_actor actress supporting_actress animated cinematography "
    "cinematography_bw cinematography_color costume costume_bw costume_color directing_comedy "
    "directing documentary documentary_short editing international makeup score "
    "score_musical song picture unique art art_bw art_color animated_short live_short "
    "novelty_short sound sound_editing effects casting writing_adapted writing_story "
    "writing_original title_writing"
).split()
_IMDB_ORDER = (
    "picture unique actor actress supporting_actor supporting_actress directing_comedy "
    "directing writing_original writing_adapted writing_story title_writing cinematography "
    "cinematography_bw cinematography_color editing art art_bw art_color casting costume "
    "costume_bw costume_color sound sound_editing makeup score score_musical song effects "
    "documentary animated animated_short live_short novelty_short documentary_short "
    "international"
).split()

# data-term-id of the real oscars.org categories; other names get a stable number.
_TERM_IDS = {
    "Actor in a Leading Role": 1731,
    "Actor in a Supporting Role": 1736,
    "Actress in a Leading Role": 1741,
    "Actress in a Supporting Role": 1746,
    "Animated Feature Film": 1751,
    "Best Picture": 1756,
    "Cinematography": 1761,
    "Costume Design": 1766,
    "Directing": 1771,
    "Film Editing": 1786,
    "Makeup and Hairstyling": 1796,
    "Production Design": 1811,
    "Visual Effects": 1836,
    "Music (Original Score)": 2266,
    "Writing (Original Screenplay)": 2296,
    "Sound": 2411,
    "Music (Original Song)": 2511,
    "Writing (Adapted Screenplay)": 2596,
    "International Feature Film": 18621,
    "Documentary Feature Film": 19021,
    "Documentary Short Film": 19026,
    "Animated Short Film": 19081,
    "Live Action Short Film": 19086,
}

# How strongly a role's categories favour the year's most prominent films (weight
# 1 / (rank + 1) ** p): performances, directing and writing go to the leading films,
# the crafts less so, sound, effects, makeup and songs often to films nothing else names.
_PROMINENCE = {
    "producers": 0.0,
    "lead_male": 1.0,
    "lead_female": 1.0,
    "supporting_male": 0.9,
    "supporting_female": 0.9,
    "director": 1.2,
    "writers": 0.9,
    "cinematographer": 0.5,
    "editor": 0.6,
    "art": 0.5,
    "costume": 0.4,
    "casting": 0.8,
    "composer": 0.3,
    "sound": 0.2,
    "sound_editor": 0.15,
    "makeup": 0.1,
    "songwriters": 0.05,
    "effects": 0.05,
}
# Category groups no film is nominated twice in: a screenplay is adapted or original,
# a 1929 film a comedy or a drama, and the Unique and Artistic Picture nominees are
# not Best Picture's.
_EXCLUSIVE = {
    "writing_adapted": "writing",
    "writing_original": "writing",
    "directing_comedy": "directing",
    "directing": "directing",
    "picture": "picture",
    "unique": "picture",
}
_CARRY_ROLES = ("lead_male", "lead_female", "supporting_male", "supporting_female", "writers")
_CARRY_ROLES += ("cinematographer", "editor", "art", "costume", "composer", "director")


def _category_size(key: str, year: int, rng: random.Random) -> int:
    if key == "picture":
        if year <= 1933:
            return {1929: 3, 1930: 5, 1931: 5}.get(year, 8)
        if year <= 1944:
            return 12 if 1935 <= year <= 1937 else 10
        if year <= 2009:
            return 5
        return rng.randint(8, 10) if year <= 2021 else 10
    if year <= 1934 or key in ("unique", "title_writing"):
        return 3
    if key in ("animated_short", "live_short", "novelty_short"):
        return 3 if year < 1975 else 5
    if key in ("makeup", "animated"):
        return 3 if year < {"makeup": 2020, "animated": 2010}[key] else 5
    if key == "effects":
        return rng.randint(2, 5) if year < 1964 else (3 if year < 2010 else 5)
    if key == "sound_editing":
        return 3 if year < 2000 else 5
    if key == "song":
        return rng.randint(5, 9) if year < 1950 else 5
    return 5


def _main_pool_share(year: int) -> float:
    """Distinct films per main-category nomination: early ceremonies spread their
    nominations over more films than recent ones, where a few films collect most."""
    return 0.27 + 0.5 * max(0, 2000 - year) / 71


# -- people ------------------------------------------------------------------------

# TMDb department, pool size, share of women. One pool serves every film: people are
# drawn by department, so actors and crews recur across films.
_DEPARTMENTS = (
    ("Acting", 40000, 0.5),
    ("Directing", 4000, 0.2),
    ("Writing", 7000, 0.3),
    ("Production", 10000, 0.35),
    ("Camera", 2500, 0.1),
    ("Editing", 2500, 0.35),
    ("Sound", 8000, 0.15),
    ("Art", 5000, 0.4),
    ("Costume & Make-Up", 6000, 0.7),
    ("Visual Effects", 3500, 0.2),
    ("Crew", 2500, 0.25),
)
# Careers: a person's position in their department is the middle of their career on a
# 1900..2060 line, and a film draws from people within 20 years of its year, so people
# recur within an era but a 1930s star is not cast in 2020.
_CAREER_FROM, _CAREER_SPAN, _CAREER_HALF = 1900, 160, 20
# Popularity weight 1 / (0.03 + u), u uniform: 1 to 33, a Zipf-like tail where the most
# popular tenth of a department gets about 40% of its credits.
_FAME_OFFSET = 0.03

_JOB_DEPARTMENT = {
    "Director": "Directing",
    "Producer": "Production",
    "Executive Producer": "Production",
    "Casting": "Production",
    "Screenplay": "Writing",
    "Writer": "Writing",
    "Novel": "Writing",
    "Director of Photography": "Camera",
    "Editor": "Editing",
    "Original Music Composer": "Sound",
    "Songs": "Sound",
    "Sound Re-Recording Mixer": "Sound",
    "Production Sound Mixer": "Sound",
    "Supervising Sound Editor": "Sound",
    "Production Design": "Art",
    "Set Decoration": "Art",
    "Costume Design": "Costume & Make-Up",
    "Makeup Artist": "Costume & Make-Up",
    "Hairstylist": "Costume & Make-Up",
    "Visual Effects Supervisor": "Visual Effects",
    "Special Effects Supervisor": "Visual Effects",
    "Stunt Coordinator": "Crew",
}
# Crew of every film: (job, possible head counts). "Writer" replaces "Screenplay" on
# about half the films. The optional jobs at the end are dropped beyond 25 crew.
_CREW = (
    ("Director", (1,) * 11 + (2,)),
    ("Producer", (1, 2, 2, 3)),
    ("Screenplay", (1, 1, 2)),
    ("Director of Photography", (1,)),
    ("Editor", (1,)),
    ("Original Music Composer", (1,)),
    ("Songs", (1, 1, 2)),
    ("Production Design", (1,)),
    ("Set Decoration", (1,)),
    ("Costume Design", (1,)),
    ("Makeup Artist", (1, 1, 2)),
    ("Sound Re-Recording Mixer", (2,)),
    ("Supervising Sound Editor", (1,)),
    ("Visual Effects Supervisor", (1, 1, 2)),
    ("Casting", (1,)),
    ("Executive Producer", (0, 0, 1, 2)),
    ("Hairstylist", (0, 1)),
    ("Production Sound Mixer", (0, 1)),
    ("Special Effects Supervisor", (0, 0, 1)),
    ("Stunt Coordinator", (0, 0, 1)),
    ("Novel", (0, 0, 1)),
)
_MAX_CREW = 25

# No first name is a prefix, a nickname or a near spelling of another, and no two surnames
# are near spellings: two people of one film must not read as one to the pipeline's
# name comparison.
_FEMALE = """Abigail Adele Agnes Alice Alma Amelia Andrea Angela Antonia Audrey Beatrice Belinda
Bernadette Blanche Bridget Camille Carmen Caroline Cecilia Celeste Charlotte Clara Claudia
Colette Constance Cordelia Cynthia Daphne Deborah Delphine Diana Dolores Dorothy Edith Eleanor
Elena Eloise Elsa Emilia Esther Eugenia Evelyn Fatima Felicity Fiona Florence Gabrielle Georgia
Geraldine Gloria Greta Gwendolyn Harriet Hazel Henrietta Hilda Ingrid Irene Isabel Ivy
Jacqueline Janet Jasmine Josephine Judith Julia Katherine Lavinia Leonora Lillian Louisa Lucia
Lydia Mabel Madeleine Margaret Matilda Maureen Mildred Miriam Monica Nadia Naomi Natalia Nora
Octavia Olivia Opal Pauline Penelope Priscilla Rachel Rebecca Regina Rosalind Ruth Sabrina Selma
Sophia Stella Susanna Sylvia Tabitha Teresa Ursula Valerie Vera Veronica Viola Violet Vivian
Wanda Wilhelmina Winifred Yolanda Zelda Yuki Mei Priya Ananya Amara Ngozi Astrid Margit
Agnieszka Zofia Svetlana Francesca Giulia Pilar Ines Ximena Hana Leila Soraya Chiara Renata
Dagny""".split()
_MALE = """Aaron Abraham Adrian Albert Alfred Ambrose Angus Archibald Arnold Arthur August Barnaby
Basil Benedict Bernard Boris Bruno Byron Calvin Cedric Clarence Claude Clement Clifford Conrad
Cornelius Cyril Dante Declan Desmond Dmitri Douglas Duncan Edgar Edmund Elias Elliot Ernest Ezra
Felix Ferdinand Franklin Gareth Gerard Gideon Gilbert Gordon Graham Gustav Hector Herbert Horace
Howard Hugo Ignatius Isaac Jasper Jerome Joaquin Jonas Kenneth Kurt Lambert Leonard Lionel
Luther Malcolm Marcus Martin Maurice Maxwell Milton Mortimer Nathaniel Neville Nigel Oliver Omar
Orson Oscar Otto Patrick Percival Philip Quentin Rafael Raymond Roderick Roland Rufus Rupert
Sebastian Sidney Silas Simon Solomon Stanley Stuart Sylvester Terence Theodore Tobias Travis
Ulysses Vernon Victor Vincent Walter Warren Wesley Winston Xavier Yusuf Zachary Hiroshi Kenji
Akira Mateo Diego Rajesh Arjun Kwame Kofi Olusegun Lars Henrik Sven Pierre Jacques Giorgio Paolo
Stefan Wojciech Miklos Tadeusz Anselm Casimir Emeric Florian Lorenzo Matthias Niklas Osvaldo
Rainer Tomas Valentin Wendell Yannick""".split()
_SURNAMES = (
    """Adams Alvarez Anand Andersson Arden Ashworth Baker Banerjee Barrow Becker Bellamy
Bennett Bergman Blackwood Bose Brennan Brooks Bryant Burke Caldwell Campbell Carver Castillo
Chandler Chen Clarke Coleman Collins Cooper Cortez Crawford Dalton Davies Delgado Dixon Donovan
Doyle Drummond Dubois Duarte Eastwood Ellison Emerson Escobar Evans Falk Farrell Fischer
Fitzgerald Fleming Fontaine Forster Fowler Franco Fujimoto Gallagher Garcia Garland Gibson
Goldberg Gonzalez Graves Greene Gupta Haddad Hale Halvorsen Hamilton Hardy Harper Hartmann Hayes
Hendricks Hoffman Holloway Horvath Hughes Ibarra Ivanov Jackson Jaeger Jensen Jimenez Kaplan
Keller Kennedy Khan Kimura Kirby Klein Kowalski Kramer Landry Larsen Laurent Lawson Lehmann
Lindqvist Lombardi Lopez Lowell Lundgren MacLeod Maddox Mancini Marlowe Marsh Mason Matsuda Mayer
McAllister McBride McKenna Mendoza Mercer Molina Montgomery Moreau Morrison Murphy Nakamura
Navarro Nielsen Nolan Novak O'Brien O'Connell Okafor Oliveira Olsen Ortega Osborne Pacheco Palmer
Park Patel Pearson Perez Petrov Pham Pierce Porter Quinn Ramirez Reyes Richter Rinaldi Rivera
Robertson Rossi Russo Salazar Sanchez Santoro Sato Schneider Schultz Serrano Shapiro Sharma
Sinclair Singh Sokolov Sorensen Stanton Steiner Sullivan Suzuki Takahashi Tanaka Thornton Torres
Tran Turner Underwood Valdez Varga Vasquez Vogel Wagner Walsh Ward Watanabe Weber Whitaker
Whitfield Wolfe Yamamoto Yates Zimmerman Zhang Hüller Sénéchal Göransson Núñez Ström Åkerman Çelik
Dvořák Aalto Abernathy Achebe Albrecht Alcott Amari Arnaud Asher Aubert Avila Bach Baldwin
Ballard Barraza Bassett Beaumont Benoit Bertolini Bianchi Bishop Blanchard Bloom Bolton Bradford
Briggs Bruckner Buchanan Burgess Cabrera Calloway Cardenas Carlisle Carmichael Cassidy Chambers
Chevalier Chowdhury Cisneros Conti Corbett Costa Crane Cunningham Dahl Deaken Dempsey Devereux
Dietrich Dimitrov Draper Dunbar Durand Eckhart Edelstein Eriksen Esposito Fairbanks Falcone
Faulkner Ferreira Finch Flanagan Fletcher Foley Fournier Fraser Gaspard Gentry Giordano Goodwin
Granger Guerrero Gustafsson Halloran Hargrove Hawthorne Hensley Hobbs Holm Hopkins Hurst Iqbal
Ishikawa Jablonski Jovanovic Kahn Kavanagh Kessler Kinsella Kobayashi Koenig Lachance Lacroix
Langley Lazaro Leclerc Linden Lorenz Lucero Lyons Machado Magnusson Malone Marchetti Marquez
Matheson Medina Merriweather Mikkelsen Mills Moretti Nash Nakagawa Neumann Nguyen Norwood Oakley
Okonkwo Orlov Pagano Pascal Pemberton Pike Prescott Pryce Quiroga Radcliffe Ramsey Redmond
Ritter Rocha Rosales Rousseau Rowland Salinger Santana Saunders Sayles Sheridan Silva Slater
Soto Spencer Stavros Sterling Sutherland Tamura Tate Thibault Tolbert Toussaint Trevino Ueda
Urquhart Valentine Vance Vidal Volkov Wainwright Webb Westbrook Whitlock Winslow Wojcik Yilmaz
Yoshida Zamora Zoltan""".split()
    + [
        "van Dijk",
        "de la Cruz",
        "Van der Berg",
        "De Luca",
        "da Silva",
        "Le Roux",
        "del Río",
        "O'Hara",
    ]
)
_FIRST_NAMES = _FEMALE + _MALE
_INITIALS = "ABCDEFGHJKLMNPRSTW"


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


_FOLDED = {name: _fold(name) for name in (*_FEMALE, *_MALE, *_SURNAMES)}


@dataclass(frozen=True)
class _Person:
    index: int
    name: str
    gender: int  # TMDb: 1 female, 2 male
    department: str
    popularity: float
    profile_path: str | None
    # Two people of one film never share these, so a nominee's name picks out exactly
    # one of the film's credits (the pipeline links nominees to TMDb people by name).
    keys: tuple[tuple[str, str], ...]

    @property
    def tmdb_id(self) -> int:
        return 10_000 + self.index

    @property
    def imdb_id(self) -> str:
        # 7919 is prime to 10**7: a permutation, so distinct people get distinct ids.
        return f"nm{(self.index * 7919 + 104729) % 10_000_000:07d}"


# -- films -------------------------------------------------------------------------

_ADJECTIVES = """Silent Golden Broken Hidden Distant Crimson Quiet Wild Lonely Secret Endless
Burning Frozen Bitter Gentle Restless Fallen Savage Hollow Shining Lost Little Great Dark Bright
Long Winter Summer Midnight Northern Southern Eastern Western Blue Scarlet Iron Glass Paper
Velvet Stolen Sleeping Dancing Wandering Forgotten Painted Last First Seventh Narrow Open Heavy
Tender Proud Strange Private Public Perfect Empty Falling Rising Invisible Electric""".split()
_NOUNS = """River Road House Garden Harbor Mountain Letter Promise Journey Station Island Horizon
Mirror Shadow Storm Bridge Window Valley Kingdom Stranger Witness Widow Soldier Dancer Daughter
Queen King Heart Crown Fire Sea Sky Forest Desert City Country Return Affair Verdict Passage
Harvest Empire Circus Hotel Castle Frontier Voyage Lantern Orchard Tide Lighthouse Carousel
Compass Duel Exile Fortune Gambler Hunter Inheritance Jury Knight Legacy Masquerade Nocturne
Outlaw Pilgrim Rebel Sanctuary Tailor Tenant Verse Wager Waltz Weather Wolf Year Alibi Ballad
Canyon Doctrine Ember Fable Glacier Hymn Ledger Meadow Oath Parade Quarry Reckoning Signal
Thief Union Vigil""".split()
_PLACES = """Paris Vienna Casablanca Manhattan Chicago Texas Rome Berlin Tokyo Madrid London Dublin
Montana Alaska Cairo Havana Shanghai Budapest Lisbon Monterey Hollywood Broadway Brooklyn
Memphis Boston Sicily Provence Normandy Bavaria Yukon Sahara Bengal Tangier Marseille Oslo
Warsaw Prague Naples Athens Istanbul Seville Geneva Cornwall Arizona Nevada Oregon Kentucky
Dakota Tuscany Andalusia""".split()
_TITLE_SHAPES = (
    "The {adj} {noun}",
    "The {adj} {noun}",
    "{adj} {noun}",
    "The {noun} of {place}",
    "{noun} of {place}",
    "The {noun}",
    "{place}",
    "A {noun} for {first}",
    "{first}'s {noun}",
    "The {noun} and the {noun2}",
    "{noun} in {place}",
    "{adj} {place}",
    "Return to {place}",
    "Dear {first}",
    "{first} and {first2}",
    "The {adj} {noun}: {noun2} of {place}",
)
_SONG_SHAPES = (
    "{adj} {noun}",
    "The {noun} Song",
    "Love Is a {noun}",
    "Moon over {place}",
    "{first}, My {noun}",
    "Dancing in {place}",
    "When the {noun} Comes",
    "I'll Find My {noun}",
    "Song of the {adj} {noun}",
    "{adj} Heart",
    "Take Me to {place}",
)
_SYLLABLES = "ka lo mi ne ra su ti vo de la ri no sa te zu be go ma ni ko re da po li vi".split()
_CHARACTERS = ("Nurse", "Detective", "Bartender", "Reporter", "The Mayor", "Soldier", "Waiter")
_PLOT_ADJECTIVES = """young restless lonely ambitious retired stubborn gifted reluctant disgraced
penniless grieving idealistic""".split()
_ROLES_IN_PLOT = """widow soldier schoolteacher boxer journalist composer detective nurse farmer
pianist lawyer runaway sailor photographer priest dancer surgeon smuggler""".split()
_PLOT_VERBS = (
    "returns to",
    "flees to",
    "arrives in",
    "searches for a lost brother in",
    "takes a job in",
    "falls in love in",
    "confronts the past in",
    "builds a new life in",
    "uncovers a conspiracy in",
)
_CITATIONS = (
    "For a lifetime of memorable performances.",
    "In recognition of an extraordinary body of work.",
    "For a career of artistry, courage and craft.",
    "Whose films have delighted audiences for generations.",
    "For pioneering contributions to the art of motion pictures.",
)
_DEVICES = (
    "fluid-head camera dolly",
    "optical printer",
    "directional microphone boom",
    "film-cleaning system",
    "motion-control rig",
    "lightweight reflex camera",
    "digital compositing system",
    "laser subtitling process",
)

# (name as the Academy prints it, ISO 3166-1, original language, first year, last year)
_COUNTRIES = (
    ("Italy", "IT", "it", 1957, FOREVER),
    ("France", "FR", "fr", 1957, FOREVER),
    ("Japan", "JP", "ja", 1957, FOREVER),
    ("Spain", "ES", "es", 1957, FOREVER),
    ("Sweden", "SE", "sv", 1957, FOREVER),
    ("Denmark", "DK", "da", 1957, FOREVER),
    ("Norway", "NO", "no", 1957, FOREVER),
    ("Mexico", "MX", "es", 1957, FOREVER),
    ("Brazil", "BR", "pt", 1957, FOREVER),
    ("Argentina", "AR", "es", 1957, FOREVER),
    ("Poland", "PL", "pl", 1957, FOREVER),
    ("Hungary", "HU", "hu", 1957, FOREVER),
    ("Greece", "GR", "el", 1957, FOREVER),
    ("Israel", "IL", "he", 1957, FOREVER),
    ("India", "IN", "hi", 1957, FOREVER),
    ("Belgium", "BE", "fr", 1957, FOREVER),
    ("Netherlands", "NL", "nl", 1957, FOREVER),
    ("Switzerland", "CH", "de", 1957, FOREVER),
    ("Austria", "AT", "de", 1957, FOREVER),
    ("Finland", "FI", "fi", 1957, FOREVER),
    ("Portugal", "PT", "pt", 1957, FOREVER),
    ("Algeria", "DZ", "ar", 1963, FOREVER),
    ("Soviet Union", "SU", "ru", 1957, 1991),
    ("Czechoslovakia", "CS", "cs", 1957, 1992),
    ("Yugoslavia", "YU", "sr", 1957, 1991),
    ("West Germany", "DE", "de", 1957, 1990),
    ("Germany", "DE", "de", 1991, FOREVER),
    ("Russia", "RU", "ru", 1993, FOREVER),
    ("Czech Republic", "CZ", "cs", 1994, FOREVER),
    ("Iran", "IR", "fa", 1978, FOREVER),
    ("South Korea", "KR", "ko", 1990, FOREVER),
    ("Taiwan", "TW", "zh", 1990, FOREVER),
    ("China", "CN", "zh", 1990, FOREVER),
    ("Chile", "CL", "es", 1985, FOREVER),
    ("Colombia", "CO", "es", 1990, FOREVER),
    ("Senegal", "SN", "wo", 1990, FOREVER),
    ("Tunisia", "TN", "ar", 1990, FOREVER),
    ("Lebanon", "LB", "ar", 1990, FOREVER),
    ("Ukraine", "UA", "uk", 1994, FOREVER),
    ("Ireland", "IE", "ga", 2000, FOREVER),
    ("Bosnia and Herzegovina", "BA", "bs", 1994, FOREVER),
    ("North Macedonia", "MK", "mk", 2019, FOREVER),
    ("Palestine", "PS", "ar", 2003, FOREVER),
)
_LANGUAGES = {
    "en": "English",
    "it": "Italian",
    "fr": "French",
    "ja": "Japanese",
    "es": "Spanish",
    "sv": "Swedish",
    "da": "Danish",
    "no": "Norwegian",
    "pt": "Portuguese",
    "pl": "Polish",
    "hu": "Hungarian",
    "el": "Greek",
    "he": "Hebrew",
    "hi": "Hindi",
    "nl": "Dutch",
    "de": "German",
    "fi": "Finnish",
    "ar": "Arabic",
    "ru": "Russian",
    "cs": "Czech",
    "sr": "Serbian",
    "fa": "Persian",
    "ko": "Korean",
    "zh": "Mandarin",
    "wo": "Wolof",
    "uk": "Ukrainian",
    "ga": "Irish",
    "bs": "Bosnian",
    "mk": "Macedonian",
}
_GENRES = {
    18: "Drama",
    35: "Comedy",
    10749: "Romance",
    36: "History",
    10752: "War",
    53: "Thriller",
    80: "Crime",
    10402: "Music",
    37: "Western",
    12: "Adventure",
    878: "Science Fiction",
    14: "Fantasy",
    16: "Animation",
    99: "Documentary",
    10751: "Family",
    9648: "Mystery",
    28: "Action",
}
_COMPANIES = (
    "Paramount Pictures",
    "Metro-Goldwyn-Mayer",
    "Warner Bros. Pictures",
    "Columbia Pictures",
    "Universal Pictures",
    "20th Century Fox",
    "RKO Radio Pictures",
    "United Artists",
    "Walt Disney Productions",
    "Orion Pictures",
    "Miramax",
    "Focus Features",
    "Searchlight Pictures",
    "A24",
    "Working Title Films",
    "Film4 Productions",
    "Canal+",
    "Studio Ghibli",
    "Amblin Entertainment",
    "Plan B Entertainment",
    "Annapurna Pictures",
    "Neon",
)
_KINDS = {  # kind of film: runtime range, genre choices
    "feature": ((88, 185), (18, 35, 10749, 36, 10752, 53, 80, 10402, 37, 12, 878, 14, 28)),
    "international": ((85, 160), (18, 10749, 36, 35, 80)),
    "documentary": ((75, 135), (99,)),
    "documentary_short": ((12, 40), (99,)),
    "animated": ((78, 110), (16, 10751, 14, 12, 35)),
    "animated_short": ((5, 25), (16, 10751)),
    "live_short": ((10, 40), (18, 35)),
}
_MONTHS = """January February March April May June July August September October November
December""".split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_VENUES = (  # last year, venue
    (1929, "Hollywood Roosevelt Hotel"),
    (1943, "Ambassador Hotel"),
    (1946, "Grauman's Chinese Theatre"),
    (1948, "Shrine Auditorium"),
    (1960, "RKO Pantages Theatre"),
    (1968, "Santa Monica Civic Auditorium"),
    (2001, "Dorothy Chandler Pavilion"),
    (2012, "Kodak Theatre"),
    (2022, "Dolby Theatre"),
    (FOREVER, "Dolby Theatre at Ovation Hollywood"),
)


@dataclass(frozen=True)
class _Film:
    year: int  # the oscars.org year of the ceremony it was made for
    index: int  # its position among that ceremony's own films
    kind: str
    title: str
    original_title: str
    release: date
    country: str  # ISO 3166-1
    country_name: str  # as the Academy prints it (International Feature) or TMDb names it
    language: str  # ISO 639-1
    runtime: int
    genres: tuple[int, ...]
    color: bool
    in_tmdb: bool
    in_omdb: bool
    rating: float  # IMDb rating
    votes: int
    cast: tuple[tuple[int, str], ...]  # (person, character) in billing order
    crew: tuple[tuple[int, str], ...]  # (person, job)

    @property
    def imdb_id(self) -> str:
        # Grows with the year like real title ids, and decodes back (_film_of).
        return f"tt{(self.year - 1900) * 100_000 + 1_000 + self.index * 37:07d}"

    @property
    def tmdb_id(self) -> int:
        return (self.year - 1900) * 10_000 + self.index + 1

    def credited(self, *jobs: str) -> list[int]:
        return list(dict.fromkeys(p for p, job in self.crew if job in jobs))


@dataclass(frozen=True)
class _Nomination:
    film: _Film
    people: tuple[int, ...]
    won: bool
    statement: str  # what oscars.org prints in the entities slot
    song: str | None = None


@dataclass(frozen=True)
class _Award:
    category: _Category
    oscars_name: str
    imdb_name: str
    nominations: tuple[_Nomination, ...]


@dataclass(frozen=True)
class _Ceremony:
    year: int
    date: date
    venue: str
    awards: tuple[_Award, ...]
    films: tuple[_Film, ...]  # the films made for it, by index


def _title_key(title: str) -> str:
    """Titles that read alike to the matcher (articles and punctuation aside)."""
    words = "".join(c if c.isalnum() else " " for c in _fold(title).replace("'", "")).split()
    return " ".join(words[1:] if len(words) > 1 and words[0] in ("the", "a", "an") else words)


def _words(rng: random.Random, shapes: tuple[str, ...]) -> str:
    noun, noun2 = rng.sample(_NOUNS, 2)
    first, first2 = rng.sample(_FIRST_NAMES, 2)
    text = rng.choice(shapes).format(
        adj=rng.choice(_ADJECTIVES),
        noun=noun,
        noun2=noun2,
        place=rng.choice(_PLACES),
        first=first,
        first2=first2,
    )
    return "An" + text[1:] if text.startswith("A ") and text[2] in "AEIOU" else text


def _unique(rng: random.Random, shapes: tuple[str, ...], used: set[str]) -> str:
    for _attempt in range(100):
        text = _words(rng, shapes)
        if _title_key(text) not in used:
            break
    used.add(_title_key(text))
    return text


def _join(names: list[str], conjunction: str = "and") -> str:
    if len(names) <= 2:
        return f" {conjunction} ".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def _foreign_title(rng: random.Random) -> str:
    return " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(rng.randint(1, 3))
    )


def _image_path(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return "/" + "".join(rng.choices(alphabet, k=27)) + ".jpg"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _release_window(year: int) -> tuple[date, date]:
    """Films of the first six ceremonies ran August to July; later, one calendar year."""
    if year <= 1934:
        return date(year - 2, 8, 1), date(year - 1, 8, 1)
    return date(year - 1, 1, 1), date(year, 1, 1)


def _honoring(year: int) -> str:
    return f"{year - 2}/{(year - 1) % 100:02d}" if year <= 1934 else str(year - 1)


def _ceremony_date(year: int, rng: random.Random) -> date:
    held = imdb_edition(year)[0]
    if year == 1929:
        return date(1929, 5, 16)
    if year in (1931, 1932, 1933):  # held in November of the year before
        return date(held, 11, 1) + timedelta(rng.randrange(25))
    day = date(held, 2, 24) + timedelta(rng.randrange(42))
    weekday = 3 if year <= 1958 else (0 if year <= 1998 else 6)  # Thursday, Monday, Sunday
    return day + timedelta((weekday - day.weekday()) % 7)


def _date_text(d: date) -> str:
    return f"{_WEEKDAYS[d.weekday()]}, {_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _certification(film: _Film, rng: random.Random) -> str:
    if film.release.year < 1968:
        return rng.choice(("Approved", "Passed", "Not Rated"))
    ratings = ("G", "PG", "PG-13", "R", "R") if film.release.year >= 1985 else ("G", "PG", "R")
    return rng.choice(ratings)


def _is_acting(role: str) -> bool:
    return role.startswith(("lead_", "supporting_"))


def _sort_key(award: _Award, n: _Nomination) -> tuple:
    """oscars.org lists the winner first, then by surname (acting) or by title."""
    if _is_acting(award.category.role):
        return (not n.won, n.statement.split()[-1].lower())
    return (not n.won, _title_key(n.song or n.film.title))


# -- the generator -------------------------------------------------------------------


class SyntheticHistory:
    """Deterministic oscars.org, IMDb, TMDb and OMDb bodies for `ceremonies` ceremonies.

    Years are oscars.org URL years, `first_year` .. `first_year + ceremonies - 1`.
    Caches are plain dicts filled without a lock: generation is deterministic, so two
    threads racing for one item compute the same value and either may store it.
    """

    def __init__(
        self,
        ceremonies: int = 98,
        seed: int = 1929,
        first_year: int = 1929,
        *,
        bodies=None,
        today=None,
    ):
        """bodies: the award bodies served beside the Academy (default: the registry);
        today: the synthetic world's date (default synthetic_bodies.TODAY)."""
        from cinegraph_dev.sample_upstream.synthetic_bodies import SyntheticBodies

        if ceremonies < 1 or first_year < 1929:
            raise ValueError("at least one ceremony, from 1929 (the 1st) on")
        self.ceremonies = ceremonies
        self.seed = seed
        self.first_year = first_year
        self.last_year = first_year + ceremonies - 1
        self._departments: dict[str, tuple[int, list[float]]] = {}
        self._starts: list[tuple[int, str, float]] = []  # (first index, department, women)
        pool = self._rng("pool")
        start = 0
        for name, size, women in _DEPARTMENTS:
            weights = (1 / (_FAME_OFFSET + pool.random()) for _ in range(size))
            self._departments[name] = (start, [0.0, *accumulate(weights)])
            self._starts.append((start, name, women))
            start += size
        self._people: dict[int, _Person] = {}
        self._own_cache: dict[int, _Ceremony] = {}
        self._ceremony_cache: dict[int, _Ceremony] = {}
        self._page_cache: dict[tuple[str, int], str] = {}
        self.bodies = SyntheticBodies(self, bodies, today)

    # -- public ---------------------------------------------------------------------

    def ceremony_years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def films(self) -> dict[str, tuple[int, ...]]:
        """Every nominated film's IMDb id -> the ceremony years it is nominated in."""
        out: dict[str, list[int]] = {}
        for year in self.ceremony_years():
            for award in self._ceremony(year).awards:
                for n in award.nominations:
                    years = out.setdefault(n.film.imdb_id, [])
                    if year not in years:
                        years.append(year)
        return {tt: tuple(years) for tt, years in out.items()}

    def tmdb_id(self, imdb_id: str) -> int | None:
        """The TMDb movie id of a film, None when TMDb does not know it."""
        film = self._film_of(imdb_id)
        return film.tmdb_id if film and film.in_tmdb else None

    def oscars_page(self, year: int) -> str | None:
        """The oscars.org ceremony page of a year, None (404) outside the ceremonies."""
        if not self.first_year <= year <= self.last_year:
            return None
        key = ("oscars", year)
        if key not in self._page_cache:
            self._page_cache[key] = self._oscars_html(self._ceremony(year))
        return self._page_cache[key]

    def imdb_page(self, imdb_year: int, instance: int = 1) -> str | None:
        """The IMDb event page of an edition (IMDb's year and instance), None (404)."""
        year = next(
            (y for y in self.ceremony_years() if imdb_edition(y) == (imdb_year, instance)), None
        )
        if year is None:
            return None
        key = ("imdb", year)
        if key not in self._page_cache:
            self._page_cache[key] = self._imdb_html(self._ceremony(year))
        return self._page_cache[key]

    def event_page(self, event_id: str, year: int, instance: int = 1) -> str | None:
        """The IMDb event page of the Academy's or any body's edition, None (404)."""
        if event_id == "ev0000003":
            return self.imdb_page(year, instance)
        return self.bodies.page(event_id, year, instance)

    def event_root(self, event_id: str) -> str | None:
        """What IMDb answers for /event/<ev>/: the latest edition's page."""
        if event_id == "ev0000003":
            return self.imdb_page(*imdb_edition(self.last_year))
        return self.bodies.root(event_id)

    def tmdb_find(self, imdb_id: str) -> str:
        """JSON of GET /3/find/{imdb_id}?external_source=imdb_id (empty when unknown;
        a series under tv_results)."""
        film = self._film_of(imdb_id)
        results = [self._tmdb_result(film)] if film and film.in_tmdb else []
        series = self.bodies.series(imdb_id)
        empty: list = []
        return _json(
            {
                "movie_results": results,
                "person_results": empty,
                "tv_results": [self.bodies.series_result(series)] if series else empty,
                "tv_episode_results": empty,
                "tv_season_results": empty,
            }
        )

    def tmdb_movie(self, tmdb_id: int) -> str | None:
        """JSON of GET /3/movie/{id}?append_to_response=credits,external_ids,release_dates;
        None (404) for an id TMDb does not have."""
        if tmdb_id >= 2_000_000:  # an award body's film
            film = self.bodies.film_by_tmdb(tmdb_id)
        else:
            film = self._film_at(tmdb_id // 10_000 + 1900, tmdb_id % 10_000 - 1)
        if film is None or not film.in_tmdb or film.tmdb_id != tmdb_id:
            return None
        return _json(self._tmdb_details(film))

    def tmdb_movie_by_imdb_id(self, imdb_id: str) -> str | None:
        """JSON of GET /3/movie/{imdb_id}?append_to_response=... (TMDb resolves an IMDb
        id on its movie endpoint); None (404) for a film TMDb does not have."""
        tmdb_id = self.tmdb_id(imdb_id)
        return self.tmdb_movie(tmdb_id) if tmdb_id else None

    def omdb(self, imdb_id: str) -> str:
        """JSON of GET /?i={imdb_id}&plot=full ("Movie not found!" as OMDb says it)."""
        film = self._film_of(imdb_id)
        if film is None and (series := self.bodies.series(imdb_id)) is not None:
            return _json(self.bodies.series_omdb(series))
        if film is None or not film.in_omdb:
            return _json({"Response": "False", "Error": "Movie not found!"})
        return _json(self._omdb_record(film))

    # -- randomness and people ------------------------------------------------------

    def _rng(self, *what: object) -> random.Random:
        return random.Random(":".join(map(str, (self.seed, *what))))

    def _person(self, index: int) -> _Person:
        person = self._people.get(index)
        if person is not None:
            return person
        start, department, women = next(s for s in reversed(self._starts) if s[0] <= index)
        # One digest per person instead of a Random: people are the bulk of the work.
        digest = hashlib.blake2b(f"{self.seed}:person:{index}".encode(), digest_size=32)
        bits = int.from_bytes(digest.digest()[:16], "big")
        bits, r = divmod(bits, 1000)
        gender = 1 if r < women * 1000 else 2
        names = _FEMALE if gender == 1 else _MALE
        bits, r = divmod(bits, len(names))
        first = names[r]
        bits, r = divmod(bits, 100 * len(_INITIALS))
        middle = f" {_INITIALS[r // 100]}." if r % 100 < 7 else ""
        bits, r = divmod(bits, len(_SURNAMES))
        last = _SURNAMES[r]
        bits, r = divmod(bits, 1000)
        f, s = _FOLDED[first], _FOLDED[last].replace(" ", "")
        cum = self._departments[department][1]
        fame = cum[index - start + 1] - cum[index - start]
        person = _Person(
            index=index,
            name=f"{first}{middle} {last}",
            gender=gender,
            department=department,
            popularity=round(fame * (0.5 + r / 1000), 3),
            profile_path=f"/{digest.hexdigest()[32:59]}.jpg" if bits % 100 < 85 else None,
            keys=((f[:3], s), (f[-3:], s), (f, s[:4]), (f, s[-3:])),
        )
        self._people[index] = person
        return person

    def _draw(self, rng: random.Random, department: str, year: int) -> int:
        """Someone of the department whose career spans `year`, by popularity."""
        start, cum = self._departments[department]
        size = len(cum) - 1
        lo = max(0, int((year - _CAREER_HALF - _CAREER_FROM) / _CAREER_SPAN * size))
        hi = min(size, int((year + _CAREER_HALF - _CAREER_FROM) / _CAREER_SPAN * size) + 1)
        u = cum[lo] + rng.random() * (cum[hi] - cum[lo])
        return start + min(hi - 1, max(lo, bisect.bisect_right(cum, u) - 1))

    def _draw_for_film(self, rng, department: str, year: int, count: int, people, keys):
        """`count` new people for one film, none of them named like one already in it."""
        chosen = []
        for _ in range(count):
            for _attempt in range(100):
                index = self._draw(rng, department, year)
                person = self._person(index)
                if index not in people and not keys.intersection(person.keys):
                    break
            people.add(index)
            keys.update(person.keys)
            chosen.append(index)
        return chosen

    # -- films ----------------------------------------------------------------------

    def _make_film(self, year, index, kind, color, country, titles: set[str]) -> _Film:
        rng = self._rng("film", year, index)
        first_day, end = _release_window(year)
        release = first_day + timedelta(rng.randrange((end - first_day).days))
        title = _unique(rng, _TITLE_SHAPES, titles)
        if country is not None:  # an International Feature: foreign title and language
            country_name, iso, language, _, _ = country
            original = _foreign_title(rng)
        else:
            iso = "US" if rng.random() < 0.8 else "GB"
            country_name = {"US": "United States of America", "GB": "United Kingdom"}[iso]
            language, original = "en", title
        (low, high), genre_choices = _KINDS[kind]
        genres = tuple(dict.fromkeys(rng.choice(genre_choices) for _ in range(rng.randint(1, 3))))
        cast, crew = self._credits(rng, kind, release.year)
        return _Film(
            year=year,
            index=index,
            kind=kind,
            title=title,
            original_title=original,
            release=release,
            country=iso,
            country_name=country_name,
            language=language,
            runtime=rng.randint(low, high),
            genres=genres,
            color=color,
            in_tmdb=rng.random() >= 0.005,
            in_omdb=rng.random() >= 0.005,
            rating=round(rng.uniform(5.6, 8.6), 1),
            votes=int(rng.lognormvariate(9.5, 1.3)) + 50,
            cast=cast,
            crew=crew,
        )

    def _credits(self, rng: random.Random, kind: str, year: int):
        """(cast, crew) of a film released in `year`: people of the shared pool."""
        people: set[int] = set()
        keys: set[tuple[str, str]] = set()
        actors = self._draw_for_film(rng, "Acting", year, rng.randint(15, 40), people, keys)
        cast = tuple((p, self._character(rng, kind)) for p in actors)
        writer_job = "Screenplay" if rng.random() < 0.5 else "Writer"
        crew: list[tuple[int, str]] = []
        optional = False
        for job, counts in _CREW:
            optional = optional or job == "Executive Producer"
            count = rng.choice(counts)
            if optional and len(crew) + count > _MAX_CREW:
                continue
            department = _JOB_DEPARTMENT[job]
            for p in self._draw_for_film(rng, department, year, count, people, keys):
                crew.append((p, writer_job if job == "Screenplay" else job))
        # Directors often write and sometimes produce their films: one person in two
        # jobs, as in real credits (within the 25, as real key crews are small).
        director = crew[0][0]
        if rng.random() < 0.35 and len(crew) < _MAX_CREW:
            crew.append((director, writer_job))
        if rng.random() < 0.2 and len(crew) < _MAX_CREW:
            crew.append((director, "Producer"))
        return cast, tuple(crew)

    def _character(self, rng: random.Random, kind: str) -> str:
        if kind.startswith("documentary"):
            return "Self"
        first = rng.choice(_FIRST_NAMES)
        if kind.startswith("animated"):
            return f"{first} (voice)"
        if rng.random() < 0.15:
            return rng.choice(_CHARACTERS)
        return f"{first} {rng.choice(_SURNAMES)}"

    def _film_at(self, year: int, index: int) -> _Film | None:
        if not 1929 <= year <= max(self.last_year, WORLD_LAST_CEREMONY) or index < 0:
            return None
        films = self._own(year).films
        return films[index] if index < len(films) else None

    def _film_of(self, imdb_id: str) -> _Film | None:
        if not (imdb_id.startswith("tt") and imdb_id[2:].isdigit()):
            return None
        number = int(imdb_id[2:])
        offset = number % 100_000 - 1_000
        if offset >= 0 and offset % 37:  # an award body's film
            return self.bodies.film(imdb_id)
        if offset < 0:
            return None
        film = self._film_at(number // 100_000 + 1900, offset // 37)
        return film if film and film.imdb_id == imdb_id else None

    # -- ceremonies -----------------------------------------------------------------

    def _own(self, year: int) -> _Ceremony:
        """The ceremony with only the films made for it (none of the year before)."""
        cached = self._own_cache.get(year)
        if cached is not None:
            return cached
        films: list[_Film] = []
        titles: set[str] = set()

        def new_film(kind: str, color: bool = True, country=None) -> _Film:
            film = self._make_film(year, len(films), kind, color, country, titles)
            films.append(film)
            return film

        active = [(c, names) for c in CATEGORIES if (names := c.names(year))]
        rngs = {c.key: self._rng("category", year, c.key) for c, _ in active}
        sizes = {c.key: _category_size(c.key, year, rngs[c.key]) for c, _ in active}
        # The year's feature films, most prominent first. Each becomes a film when a
        # category first picks it, so every film made for a ceremony is nominated.
        main_rng = self._rng("main", year)
        main_size = sum(sizes[c.key] for c, _ in active if c.pool == "main")
        pool_size = max(sizes.get("picture", 0) + 3, round(main_size * _main_pool_share(year)))
        color_share = min(0.95, max(0.05, (year - 1938) / 30))
        colors = [main_rng.random() < color_share for _ in range(pool_size)]
        if "cinematography_color" in sizes:  # enough films of each for the split categories
            for j in range(5):
                colors[-1 - j], colors[-6 - j] = True, False
        main: list[_Film | None] = [None] * pool_size

        def main_film(j: int) -> _Film:
            if main[j] is None:
                main[j] = new_film("feature", colors[j])
            return main[j]

        claimed: dict[str, set[int]] = {}
        awards = []
        for category, (oscars_name, imdb_name) in active:
            rng, size = rngs[category.key], sizes[category.key]
            if category.pool == "international":
                eligible = [c for c in _COUNTRIES if c[3] <= year <= c[4]]
                picked = [new_film("international", country=c) for c in rng.sample(eligible, size)]
                if main_rng.random() < 0.25:
                    # A foreign-language film competing in the main categories too.
                    j = main_rng.randrange(min(pool_size, 8))
                    main[j], colors[j] = main_rng.choice(picked), True
            elif category.pool == "main":
                group = _EXCLUSIVE.get(category.key)
                excluded = claimed.setdefault(group, set()) if group else set()
                picks = self._main_picks(category, size, colors, rng, excluded)
                excluded.update(picks)
                picked = [main_film(j) for j in picks]
                if _is_acting(category.role) or category.role == "songwriters":
                    # One film twice in a category: two supporting actors, two songs.
                    if not category.role.startswith("lead_") and rng.random() < 0.12:
                        picked[-1] = picked[0]
            else:
                picked = [new_film(category.pool) for _ in range(size)]
            winner = rng.randrange(len(picked))
            taken: set[int] = set()
            songs: set[str] = set()
            nominations = []
            for k, film in enumerate(picked):
                nomination = self._nomination(category, year, film, k == winner, rng, taken, songs)
                taken.update(nomination.people)
                nominations.append(nomination)
            awards.append(_Award(category, oscars_name, imdb_name, tuple(nominations)))
        date_ = _ceremony_date(year, self._rng("date", year))
        venue = next(v for last, v in _VENUES if year <= last)
        ceremony = _Ceremony(year, date_, venue, tuple(awards), tuple(films))
        self._own_cache[year] = ceremony
        return ceremony

    def _main_picks(self, category, size: int, colors: list[bool], rng, excluded) -> list[int]:
        split = category.key.endswith(("_bw", "_color"))
        eligible = [
            j
            for j, color in enumerate(colors)
            if j not in excluded and (not split or color == category.key.endswith("_color"))
        ]
        if category.role == "producers":  # Best Picture: the most prominent films
            return eligible[:size]
        # Weighted sampling without replacement (Efraimidis-Spirakis: the largest
        # u ** (1 / weight) win), weight 1 / (rank + 1) ** prominence.
        prominence = _PROMINENCE[category.role]
        return sorted(eligible, key=lambda j: -(rng.random() ** ((j + 1) ** prominence)))[:size]

    def _nomination(self, category, year, film, won, rng, taken, songs) -> _Nomination:
        people = self._nominees(category.role, year, film, rng, taken)
        if category.pool == "international":
            return _Nomination(film, (), won, film.title)
        song = _unique(rng, _SONG_SHAPES, songs) if category.role == "songwriters" else None
        statement = self._statement(category, year, film, people, song, rng)
        return _Nomination(film, tuple(people), won, statement, song)

    def _nominees(self, role: str, year: int, film: _Film, rng, taken: set[int]) -> list[int]:
        """Whom a nomination names: people of the film's credits."""
        if _is_acting(role):
            gender = 2 if role.endswith("_male") else 1
            billed = range(0, 4) if role.startswith("lead_") else range(2, 12)
            cast = [(order, p) for order, (p, _) in enumerate(film.cast) if p not in taken]
            alike = [(order, p) for order, p in cast if self._person(p).gender == gender]
            choices = [p for order, p in alike if order in billed] or [p for _, p in alike]
            return [(choices or [p for _, p in cast] or [film.cast[0][0]])[0]]
        jobs = {
            "producers": ("Producer",),
            "director": ("Director",),
            "writers": ("Screenplay", "Writer"),
            "cinematographer": ("Director of Photography",),
            "editor": ("Editor",),
            "art": ("Production Design", "Set Decoration"),
            "costume": ("Costume Design",),
            "casting": ("Casting",),
            "composer": ("Original Music Composer",),
            "sound": ("Sound Re-Recording Mixer", "Production Sound Mixer"),
            "sound_editor": ("Supervising Sound Editor",),
            "makeup": ("Makeup Artist", "Hairstylist"),
            "songwriters": ("Songs",),
            "effects": ("Visual Effects Supervisor", "Special Effects Supervisor"),
            "filmmakers": ("Director", "Producer"),
            "none": (),
        }[role]
        people = film.credited(*jobs)
        if role == "filmmakers":
            return people[:3]
        if role == "sound" and year < 1958:  # the studio's sound director alone
            return people[:1]
        if role == "songwriters" and len(people) > 1 and rng.random() < 0.4:
            return [rng.choice(people)]
        return people

    def _statement(self, category, year, film, people, song, rng) -> str:
        """The entities slot as oscars.org prints it for the category and era."""
        names = [self._person(p).name for p in people]
        role = category.role
        if role == "producers":
            return f"{_join(names)}, Producer{'s' if len(names) > 1 else ''}"
        if role == "songwriters":
            if len(names) == 2 and rng.random() < 0.5:
                return f"from {film.title}; Music by {names[0]}; Lyric by {names[1]}"
            return f"from {film.title}; Music and Lyric by {_join(names)}"
        if role == "sound" and year < 1958:
            return f"{names[0]}, Sound Director"
        if role == "art" and year > 1940:
            label = "Production Design" if year >= 2013 else "Art Direction"
            designers = [self._person(p).name for p in film.credited("Production Design")]
            decorators = [self._person(p).name for p in film.credited("Set Decoration")]
            return f"{label}: {_join(designers)}; Set Decoration: {_join(decorators)}"
        if role == "writers" and year >= 1957:
            if category.key == "writing_adapted":
                shape = rng.choice(("Screenplay by {}", "Written for the screen by {}"))
                return shape.format(_join(names))
            if len(names) > 1 and rng.random() < 0.4:
                return f"Screenplay by {names[0]}; Story by {_join(names, '&')}"
            return f"Written by {_join(names, '&')}"
        return _join(names)

    def _ceremony(self, year: int) -> _Ceremony:
        """The ceremony as shown: its own films and one or two of the year before.

        A film nominated again the next year (a foreign film opening in the US a year
        later, say) takes over a nomination of a film that keeps another one, so every
        film stays nominated; each film is in at most two ceremonies.
        """
        cached = self._ceremony_cache.get(year)
        if cached is not None:
            return cached
        ceremony = self._own(year)
        if year > self.first_year:
            rng = self._rng("carry", year)
            previous = self._own(year - 1).films
            foreign = [f for f in previous if f.kind == "international"]
            features = [f for f in previous if f.kind == "feature"]
            awards = list(ceremony.awards)
            for _ in range(rng.choice((1, 1, 2, 2, 2))):
                film = rng.choice(foreign if foreign and rng.random() < 0.5 else features)
                self._carry(awards, year, film, rng)
            ceremony = _Ceremony(year, ceremony.date, ceremony.venue, tuple(awards), ceremony.films)
        self._ceremony_cache[year] = ceremony
        return ceremony

    def _carry(self, awards: list[_Award], year: int, film: _Film, rng) -> None:
        counts: dict[str, int] = {}
        for award in awards:
            for n in award.nominations:
                counts[n.film.imdb_id] = counts.get(n.film.imdb_id, 0) + 1
        if film.imdb_id in counts:
            return
        slots = [
            (a, k)
            for a, award in enumerate(awards)
            if award.category.role in _CARRY_ROLES
            and all(_title_key(n.film.title) != _title_key(film.title) for n in award.nominations)
            for k, n in enumerate(award.nominations)
            if counts[n.film.imdb_id] >= 2
        ]
        if not slots:
            return
        a, k = rng.choice(slots)
        award = awards[a]
        old = award.nominations[k]
        taken = {p for i, n in enumerate(award.nominations) if i != k for p in n.people}
        new = self._nomination(award.category, year, film, old.won, rng, taken, set())
        nominations = award.nominations[:k] + (new,) + award.nominations[k + 1 :]
        awards[a] = _Award(award.category, award.oscars_name, award.imdb_name, nominations)

    def _nominations_of(self, film: _Film) -> tuple[int, int]:
        """(nominations, wins) of a film over the ceremonies it is nominated in."""
        count = wins = 0
        for year in (film.year, film.year + 1):
            if year > self.last_year:
                continue
            for award in self._ceremony(year).awards:
                for n in award.nominations:
                    if n.film.imdb_id == film.imdb_id:
                        count, wins = count + 1, wins + n.won
        return count, wins

    def _imdb_only(self, year: int) -> list[tuple[str, str, list[tuple[list[int], str | None]]]]:
        """IMDb's awards the ceremony page leaves out: (award, id, [(people, notes)])."""
        rng = self._rng("imdb-only", year)

        def someone(*departments: str) -> int:
            return self._draw(rng, rng.choice(departments), year - 15)

        honorary = [
            ([someone("Acting", "Directing", "Production")], rng.choice(_CITATIONS))
            for _ in range(rng.randint(1, 3))
        ]
        out = [("Honorary Award", "aw0000023", honorary)]
        if year >= 1957 and rng.random() < 0.5:
            hersholt = [([someone("Acting")], None)]
            out.append(("Jean Hersholt Humanitarian Award", "aw0000025", hersholt))
        if year >= 1938 and rng.random() < 0.35:
            thalberg = [([someone("Production")], None)]
            out.append(("Irving G. Thalberg Memorial Award", "aw0000024", thalberg))
        if year >= 1931 and rng.random() < 0.6:
            team = [someone("Camera", "Sound", "Visual Effects") for _ in range(rng.randint(1, 3))]
            citation = f"For the design and engineering of the {rng.choice(_DEVICES)}."
            out.append(
                ("Scientific and Engineering Award", "aw0000018", [(sorted(set(team)), citation)])
            )
        return out

    # -- oscars.org -----------------------------------------------------------------

    def _oscars_html(self, ceremony: _Ceremony) -> str:
        year = ceremony.year
        title = f"The {_ordinal(year - 1928)} Academy Awards"
        full = f"{title} | {year}"
        awards = sorted(ceremony.awards, key=lambda a: _OSCARS_ORDER.index(a.category.key))
        terms = {a.category.key: _term_id(a.oscars_name) for a in awards}
        years = self.ceremony_years()
        decades = sorted({y // 10 * 10 for y in years})
        decade_links = "\n".join(
            f'                  <li class="decade-{d}{" active" if d == year // 10 * 10 else ""}"'
            f' data-once="ceremonies"><a href="/oscars/ceremonies/{d}" class="decade">{d}s</a></li>'
            for d in decades
        )
        year_links = "\n".join(
            f'                  <li class="year-{y} decade-{y // 10 * 10}'
            f"{' first' if y == years[0] else ''}{' last' if y == years[-1] else ''}"
            f'{" active" if y == year else ""}"><a href="/oscars/ceremonies/{y}" class="year'
            f'{" active" if y == year else ""}">{y}</a></li>'
            for y in years
        )
        options = "\n".join(
            f'                          <option value="{terms[a.category.key]}">'
            f"{escape(a.oscars_name)}</option>"
            for a in sorted(awards, key=lambda a: a.oscars_name)
        )
        blocks = "".join(self._oscars_category(a, terms[a.category.key]) for a in awards)
        return _OSCARS_PAGE.format(
            full=escape(full),
            title=escape(title),
            year=year,
            honoring=_honoring(year),
            venue=escape(ceremony.venue),
            date=_date_text(ceremony.date),
            first=years[0],
            last=years[-1],
            previous=max(years[0], year - 1),
            next=min(years[-1], year + 1),
            decade_links=decade_links,
            year_links=year_links,
            options=options,
            categories=blocks,
        )

    def _oscars_category(self, award: _Award, term: int) -> str:
        honorees = []
        labelled = False
        for n in sorted(award.nominations, key=lambda n: _sort_key(award, n)):
            if n.won:
                label = '<div class="field field--name-field-honoree-type winner">Winner</div>'
            else:
                # Only the first "Nominees" label shows; the page hides the others.
                hidden = ' style="display: none;"' if labelled else ""
                label = (
                    f'<div class="field field--name-field-honoree-type nominee"{hidden}>'
                    "Nominees</div>"
                )
                labelled = True
            role = award.category.role
            if award.category.pool == "international":
                film_slot, entities = n.film.country_name, n.film.title
            elif role == "songwriters":
                film_slot, entities = n.song, n.statement
            else:
                film_slot, entities = n.film.title, n.statement
            film_div = _OSCARS_FILM.format(escape(film_slot, quote=False))
            entities_div = _OSCARS_ENTITIES.format(escape(entities, quote=False))
            slots = entities_div + film_div if _is_acting(role) else film_div + entities_div
            honorees.append(_OSCARS_HONOREE.format(label=label, slots=slots))
        return _OSCARS_CATEGORY.format(
            term=term, name=escape(award.oscars_name, quote=False), honorees="".join(honorees)
        )

    # -- IMDb -----------------------------------------------------------------------

    def _imdb_html(self, ceremony: _Ceremony) -> str:
        year = ceremony.year
        imdb_year, instance = imdb_edition(year)
        rng = self._rng("imdb", year)
        cursor = iter(range(rng.randrange(1_000_000, 9_000_000), 10**8, 7))

        def connection(nodes: list[dict]) -> dict:
            page_info = {
                "hasNextPage": False,
                "endCursor": base64.b64encode(f"an{next(cursor):07d}".encode()).decode(),
                "__typename": "PageInfo",
            }
            return {
                "edges": [{"node": n, "__typename": "NominationEdge"} for n in nodes],
                "pageInfo": page_info,
                "__typename": "NominationConnection",
            }

        def category_edge(name: str | None, nodes: list[dict]) -> dict:
            category = {"text": name, "__typename": "AwardCategory"} if name else None
            node = {
                "category": category,
                "nominations": connection(nodes),
                "__typename": "NominationsWithCategory",
            }
            return {"node": node, "__typename": "NominationsWithCategoryEdge"}

        def award(text: str, award_id: str, edges: list[dict]) -> dict:
            return {
                "text": text,
                "id": award_id,
                "nominationCategories": {
                    "edges": edges,
                    "__typename": "NominationsWithCategoryConnection",
                },
                "__typename": "NominationAward",
            }

        oscar_edges = []
        for a in sorted(ceremony.awards, key=lambda a: _IMDB_ORDER.index(a.category.key)):
            # IMDb lists the winner first and the others in no particular order.
            others = [n for n in a.nominations if not n.won]
            rng.shuffle(others)
            listed = [n for n in a.nominations if n.won] + others
            nodes = [self._imdb_nomination(a, n) for n in listed]
            oscar_edges.append(category_edge(a.imdb_name, nodes))
        awards = [award("Oscar", "aw0000016", oscar_edges)]
        for text, award_id, entries in self._imdb_only(year):
            nodes = [
                _imdb_node(
                    True,
                    notes,
                    {
                        "awardNames": [self._imdb_name(p) for p in people],
                        "secondaryAwardTitles": None,
                    },
                )
                for people, notes in entries
            ]
            awards.append(award(text, award_id, [category_edge(None, nodes)]))
        d = ceremony.date
        date_range = {
            "startDate": {
                "dateComponents": {
                    "day": d.day,
                    "month": d.month,
                    "year": d.year,
                    "__typename": "DateComponents",
                },
                "displayableProperty": {
                    "value": {
                        "plaidHtml": f"{_MONTHS[d.month - 1]} {d.day}, {d.year}",
                        "__typename": "Markdown",
                    },
                    "__typename": "DisplayableDateProperty",
                },
                "__typename": "DisplayableDate",
            },
            "endDate": {
                "dateComponents": {
                    "day": None,
                    "month": None,
                    "year": d.year,
                    "__typename": "DateComponents",
                },
                "displayableProperty": {
                    "value": {"plaidHtml": str(d.year), "__typename": "Markdown"},
                    "__typename": "DisplayableDateProperty",
                },
                "__typename": "DisplayableDate",
            },
            "__typename": "DisplayableDateRange",
        }
        event = {
            "name": {"text": "Academy Awards, USA", "__typename": "NominationEventName"},
            "location": {
                "text": "Los Angeles, California, USA",
                "__typename": "DisplayableLocation",
            },
            "__typename": "NominationEvent",
        }
        edition_info = {
            "year": imdb_year,
            "id": _edition_id(year),
            "instanceWithinYear": instance,
            "dateRange": date_range,
            "event": event,
            "__typename": "NominationEventEdition",
        }
        history = [
            {
                "year": imdb_edition(y)[0],
                "id": _edition_id(y),
                "instanceWithinYear": imdb_edition(y)[1],
                "__typename": "NominationEventEdition",
            }
            for y in reversed(self.ceremony_years())
        ]
        page_props = {
            "eventName": "Academy Awards, USA",
            "editionInfo": edition_info,
            "edition": {"awards": awards},
            "historyEventEditions": history,
            "eventLinks": [
                {
                    "category": {
                        "categoryId": "official",
                        "text": "Official",
                        "__typename": "EventUrlCategory",
                    },
                    "url": "http://www.oscars.org/",
                    "__typename": "EventUrl",
                }
            ],
            "eventAkas": [
                {
                    "name": {"text": "The Oscars", "__typename": "NominationEventName"},
                    "__typename": "NominationEventAka",
                }
            ],
            "eventDateRange": date_range,
            "requestContext": request_context("ev0000003", imdb_year, instance),
            "urqlState": None,
            "fetchState": None,
            "referrer": "https://www.google.com/",
        }
        data = {
            "props": {"pageProps": page_props, "__N_SSP": True},
            "page": "/event/[evconst]/[year]/[instance]",
            "query": {"evconst": "ev0000003", "year": str(imdb_year), "instance": str(instance)},
            "buildId": "wWcNWy2WfZvdws9YP5m64",
            "assetPrefix": "https://dqpnq362acqdi.cloudfront.net",
            "runtimeConfig": {"env": "production", "stage": "Prod"},
            "isFallback": False,
            "gssp": True,
            "locale": "en-US",
            "locales": ["en-US", "de", "es", "es-ES", "fr", "fr-CA", "hi", "it", "pt"],
            "defaultLocale": "en-US",
            "scriptLoader": [],
        }
        return _IMDB_PAGE.format(year=imdb_year, instance=instance, next_data=_json(data))

    def _imdb_name(self, p: int) -> dict:
        person = self._person(p)
        name = {
            "id": person.imdb_id,
            "nameText": {"text": person.name, "__typename": "NameText"},
            "__typename": "Name",
        }
        return {"name": name, "note": None, "__typename": "AwardName"}

    def _imdb_title(self, film: _Film, full: bool) -> dict:
        title = {
            "id": film.imdb_id,
            "titleText": {"text": film.title, "__typename": "TitleText"},
            "originalTitleText": {"text": film.original_title, "__typename": "TitleText"},
        }
        if full:
            title["canRate"] = {"isRatable": True, "__typename": "CanRate"}
            title["ratingsSummary"] = {
                "aggregateRating": film.rating,
                "voteCount": film.votes,
                "__typename": "RatingsSummary",
            }
            title["titleType"] = {"id": "movie", "__typename": "TitleType"}
        return {"title": {**title, "__typename": "Title"}, "__typename": "AwardTitle"}

    def _imdb_nomination(self, award: _Award, n: _Nomination) -> dict:
        role = award.category.role
        if award.category.pool == "international":
            notes = n.film.country_name
        elif role == "songwriters":
            notes = f'For "{n.song}"'
        else:
            notes = None
        names = [self._imdb_name(p) for p in n.people]
        if _is_acting(role) or role == "director":
            entities = {
                "awardNames": names,
                "secondaryAwardTitles": [self._imdb_title(n.film, full=False)],
            }
        else:
            entities = {
                "awardTitles": [self._imdb_title(n.film, full=True)],
                "secondaryAwardNames": names or None,
            }
        return _imdb_node(n.won, notes, entities)

    # -- TMDb and OMDb --------------------------------------------------------------

    def _overview(self, film: _Film) -> str:
        rng = self._rng("overview", film.imdb_id)
        who = f"{rng.choice(_PLOT_ADJECTIVES)} {rng.choice(_ROLES_IN_PLOT)}"
        article = "An" if who[0] in "aeiou" else "A"
        return f"{article} {who} {rng.choice(_PLOT_VERBS)} {rng.choice(_PLACES)}."

    def _tmdb_result(self, film: _Film) -> dict:
        rng = self._rng("tmdb", film.imdb_id)
        return {
            "backdrop_path": _image_path(rng),
            "id": film.tmdb_id,
            "title": film.title,
            "original_title": film.original_title,
            "overview": self._overview(film),
            "poster_path": _image_path(rng),
            "media_type": "movie",
            "adult": False,
            "original_language": film.language,
            "genre_ids": list(film.genres),
            "popularity": round(rng.uniform(1, 120), 3),
            "release_date": film.release.isoformat(),
            "video": False,
            "vote_average": round(min(10.0, film.rating + rng.uniform(-0.6, 0.3)), 3),
            "vote_count": max(3, film.votes // 60),
        }

    def _tmdb_details(self, film: _Film) -> dict:
        result = self._tmdb_result(film)
        rng = self._rng("tmdb-details", film.imdb_id)
        budget = 0
        if film.kind in ("feature", "animated") and film.release.year >= 1970:
            budget = int(rng.lognormvariate(16.5, 1.0))
        numbers = iter(range(1, 10_000))

        def credit_id() -> str:
            n = next(numbers)
            digest = hashlib.md5(f"{self.seed}:{film.imdb_id}:{n}".encode()).hexdigest()
            # Movie id and running number make it unique, the digest makes it look real.
            return f"{film.tmdb_id:08x}{n:04x}{digest[:12]}"

        def person(p: int) -> dict:
            who = self._person(p)
            return {
                "adult": False,
                "gender": who.gender,
                "id": who.tmdb_id,
                "known_for_department": who.department,
                "name": who.name,
                "original_name": who.name,
                "popularity": who.popularity,
                "profile_path": who.profile_path,
            }

        cast = [
            {
                **person(p),
                "cast_id": order + 1,
                "character": character,
                "credit_id": credit_id(),
                "order": order,
            }
            for order, (p, character) in enumerate(film.cast)
        ]
        crew = [
            {**person(p), "credit_id": credit_id(), "department": _JOB_DEPARTMENT[job], "job": job}
            for p, job in film.crew
        ]
        language = _LANGUAGES[film.language]
        companies = rng.sample(_COMPANIES, rng.randint(1, 3))
        return {
            "adult": False,
            "backdrop_path": result["backdrop_path"],
            "belongs_to_collection": None,
            "budget": budget,
            "genres": [{"id": g, "name": _GENRES[g]} for g in film.genres],
            "homepage": "",
            "id": film.tmdb_id,
            "imdb_id": film.imdb_id,
            "origin_country": [film.country],
            "original_language": film.language,
            "original_title": film.original_title,
            "overview": result["overview"],
            "popularity": result["popularity"],
            "poster_path": result["poster_path"],
            "production_companies": [
                {
                    "id": 1000 + _COMPANIES.index(c),
                    "logo_path": None,
                    "name": c,
                    "origin_country": film.country,
                }
                for c in companies
            ],
            "production_countries": [{"iso_3166_1": film.country, "name": film.country_name}],
            "release_date": film.release.isoformat(),
            "revenue": int(budget * rng.uniform(0.3, 6)),
            "runtime": film.runtime,
            "spoken_languages": [
                {"english_name": language, "iso_639_1": film.language, "name": language}
            ],
            "status": "Released",
            "tagline": "",
            "title": film.title,
            "video": False,
            "vote_average": result["vote_average"],
            "vote_count": result["vote_count"],
            "credits": {"cast": cast, "crew": crew},
            "external_ids": {
                "imdb_id": film.imdb_id,
                "wikidata_id": None,
                "facebook_id": None,
                "instagram_id": None,
                "twitter_id": None,
            },
            "release_dates": {
                "results": [
                    {
                        "iso_3166_1": "US",
                        "release_dates": [
                            {
                                "certification": _certification(film, rng),
                                "descriptors": [],
                                "iso_639_1": "",
                                "note": "",
                                "release_date": f"{film.release.isoformat()}T00:00:00.000Z",
                                "type": 3,
                            }
                        ],
                    }
                ]
            },
        }

    def _omdb_record(self, film: _Film) -> dict:
        rng = self._rng("omdb", film.imdb_id)
        nominations, wins = self._nominations_of(film)
        all_wins = wins + rng.randint(0, 40)
        total = nominations + all_wins + rng.randint(0, 60)
        if wins:
            oscars = f"Won {wins} Oscar{'s' if wins > 1 else ''}. "
        elif nominations:
            oscars = f"Nominated for {nominations} Oscar{'s' if nominations > 1 else ''}. "
        else:  # a film only other bodies nominated
            oscars = ""
        won = f"{all_wins} win{'s' if all_wins != 1 else ''} & " if all_wins else ""
        modern = film.release.year >= 1980

        def names(people: list[int]) -> str:
            return ", ".join(self._person(p).name for p in people[:3]) or "N/A"

        ratings = [{"Source": "Internet Movie Database", "Value": f"{film.rating}/10"}]
        tomatometer, metascore = rng.randint(40, 100), rng.randint(45, 98)
        if modern or rng.random() < 0.5:
            ratings.append({"Source": "Rotten Tomatoes", "Value": f"{tomatometer}%"})
        if modern:
            ratings.append({"Source": "Metacritic", "Value": f"{metascore}/100"})
        box_office = int(rng.lognormvariate(16, 1.5)) if modern and film.kind == "feature" else 0
        day = film.release
        released = f"{day.day:02d} {_MONTHS[day.month - 1][:3]} {day.year}"
        return {
            "Title": film.title,
            "Year": str(film.release.year),
            "Rated": _certification(film, rng),
            "Released": released,
            "Runtime": f"{film.runtime} min",
            "Genre": ", ".join(_GENRES[g] for g in film.genres),
            "Director": names(film.credited("Director")),
            "Writer": names(film.credited("Screenplay", "Writer", "Novel")),
            "Actors": names([p for p, _ in film.cast]),
            "Plot": self._overview(film),
            "Language": _LANGUAGES[film.language],
            "Country": film.country_name.removesuffix(" of America"),
            "Awards": f"{oscars}{won}{total} nomination{'s' if total != 1 else ''} total",
            "Poster": f"https://m.media-amazon.com/images/M/{_image_path(rng)[1:-4]}._V1_SX300.jpg",
            "Ratings": ratings,
            "Metascore": str(metascore) if modern else "N/A",
            "imdbRating": str(film.rating),
            "imdbVotes": f"{film.votes:,}",
            "imdbID": film.imdb_id,
            "Type": "movie",
            "DVD": "N/A",
            "BoxOffice": f"${box_office:,}" if box_office else "N/A",
            "Production": "N/A",
            "Website": "N/A",
            "Response": "True",
        }


def _imdb_node(won: bool, notes: str | None, entities: dict) -> dict:
    kind = "AwardedNames" if "awardNames" in entities else "AwardedTitles"
    return {
        "isWinner": won,
        "notes": {"plainText": notes, "__typename": "Markdown"} if notes else None,
        "forEpisodes": None,
        "awardedEntities": {**entities, "secondaryAwardCompanies": None, "__typename": kind},
        "__typename": "Nomination",
    }


def request_context(event_id: str, year: int, instance: int) -> dict:
    """`props.pageProps.requestContext` as IMDb sends it (chrome left out)."""
    path = f"/event/{event_id}/{year}/{instance}/"
    query = {"evconst": event_id, "year": str(year), "instance": str(instance)}
    return {
        "pageType": "event",
        "subPageType": "main",
        "pageConst": event_id,
        "refTagPrefix": "ev",
        "queryParams": query,
        "isIMDbAppWebView": False,
        "requestPath": path,
        "requestHost": "https://www.imdb.com",
        "routerPath": path,
    }


def _edition_id(year: int) -> str:
    return f"ee{(year * 7919 + 13) % 10_000_000:07d}"


def _term_id(name: str) -> int:
    if name in _TERM_IDS:
        return _TERM_IDS[name]
    return 20_000 + int(hashlib.md5(name.encode()).hexdigest()[:6], 16) % 80_000


# -- page templates (after the real pages, chrome shortened) -------------------------

_OSCARS_PAGE = """<!DOCTYPE html><html lang="en" dir="ltr" prefix="og: https://ogp.me/ns#" class=" js"><head>
    <meta charset="utf-8">
<meta name="description" content="{full}">
<link rel="canonical" href="https://www.oscars.org/oscars/ceremonies/{year}">
<meta property="og:site_name" content="Oscars.org | Academy of Motion Picture Arts and Sciences">
<meta property="og:type" content="article">
<meta property="og:url" content="https://www.oscars.org/oscars/ceremonies/{year}">
<meta property="og:title" content="{full}">
<meta property="og:description" content="{full}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{full}">
<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<meta class="swiftype" name="title" data-type="string" content="{title}">
<meta class="swiftype" name="category" data-type="string" content="Award: Ceremony">
<meta class="swiftype" name="description_full" data-type="text" content="Honoring movies released in {honoring}, {venue}">
    <title>{full}</title>
</head>
  <body class="layout-no-sidebars path-node node--type-award-ceremony">
          <div class="row-offcanvas row-offcanvas-left clearfix">
            <main class="main-content col" id="content" role="main">
              <section class="section">
                <a href="#main-content" id="main-content" tabindex="-1"></a>
                  <section class="region region-content site-main__region--content">
    <div id="block-oscars-org-page-title" class="block block-core block-page-title-block">
      <div class="content">
  <h1 class="title">{year}</h1>
    </div>
  </div>
<div id="block-oscars-org-content" class="block block-system block-system-main-block">
      <div class="content">
<article class="oscars node node--type-award-ceremony node--view-mode-full clearfix">
  <div class="node__content clearfix">

<h1 class="subtitle decade-scroller-header mb-4 mt-3">Experience over nine decades of the Oscars from 1927 to {last}</h1>

<div id="ceremonies-decade-scroller" class="decade-scroller">
    <div class="decades">
       <ul class="links">
{decade_links}
              </ul>
      <div class="decades-nav decade-scroller-nav" style="display: block;">
        <a href="/oscars/ceremonies/{first}" class="prev">previous</a>
        <a href="/oscars/ceremonies/{last}" class="next end">next</a>
      </div>
    </div>
    <div class="years">
      <ul class="links">
{year_links}
              </ul>
      <div class="years-nav decade-scroller-nav" style="display: block;">
        <a href="/oscars/ceremonies/{previous}" class="prev">previous</a>
        <a href="/oscars/ceremonies/{next}" class="next end">next</a>
      </div>
    </div>
  </div>

          <div class="d-flex flex-column flex-md-row justify-content-md-between">
        <div class="d-flex flex-column mb-1">
          <div class="field--name-title">
            <span class="field field--name-title field--type-string field--label-hidden">{title}</span>
 | {year}
          </div>
          <div class="d-flex flex-column">
            <div class="field field--name-field-location field--type-string field--label-hidden field__item">{venue}</div>
                                      <div class="field--name-field-date-time">
                {date}
              </div>
            <div class="field field--name-field-label field--type-string field--label-hidden field__item">Honoring movies released in {honoring}</div>
          </div>
        </div>
      </div>

    <div class="field--name-tabs-honorees">
         <div class="field__label">WINNERS &amp; NOMINEES</div>
  <ul class="nav nav-tabs" id="tabSections" role="tablist">
    <li class="nav-item" role="presentation">
      <button class="nav-link active" id="view-by-category" data-bs-toggle="tab" data-bs-target="#view-by-category-pane" type="button" role="tab" aria-controls="view-by-category-pane" aria-selected="true" data-once="navLink">View by Category</button>
    </li>
      </ul>
  <div class="tab-content" id="tabSectionsContent">
    <div class="tab-pane fade show active category-pane" id="view-by-category-pane" role="tabpanel" aria-labelledby="view-by-category" tabindex="0">
              <div class="d-flex justify-content-md-end">
          <select id="award-category" name="award-category" class="oscar-select">
            <option value="All" selected="selected">Select a Category</option>
{options}
                      </select>
        </div>

      <div class="field field--name-field-award-categories field--type-entity-reference-revisions field--label-hidden field__items">
{categories}          </div>
      </div>
  </div>
    </div>
  </div>
</article>
    </div>
  </div>
  </section>
              </section>
            </main>
          </div>
</body></html>
"""  # noqa: E501
_OSCARS_CATEGORY = """              <div class="field__item">  <div data-term-id="{term}" class="paragraph paragraph--type--award-category paragraph--view-mode--default" style="">

                  <div class="field field--name-field-award-category-oscars field--type-entity-reference field--label-hidden field__item">{name}</div>

      <div class="field field--name-field-award-honorees field--type-entity-reference-revisions field--label-hidden field__items" data-once="awardHonorees">
{honorees}          </div>

      </div>
</div>
"""  # noqa: E501
_OSCARS_HONOREE = """              <div class="field__item">
  <div class="paragraph paragraph--type--award-honoree paragraph--view-mode--oscars">
          {label}

{slots}            </div>
</div>
"""
_OSCARS_FILM = """        <div class="field">
            <div class="field field--name-field-award-film field--type-entity-reference field--label-hidden field__item">{}</div>
      </div>
"""  # noqa: E501
_OSCARS_ENTITIES = """                    <div class="field">
      <div class="field field--name-field-award-entities field--type-entity-reference field--label-hidden field__items">
              <div class="field__item">{}</div>
          </div>
  </div>
"""  # noqa: E501
_IMDB_PAGE = """<!DOCTYPE html><html lang="en-US" xmlns:og="http://opengraphprotocol.org/schema/" xmlns:fb="http://www.facebook.com/2008/fbml"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Academy Awards, USA ({year}) - IMDb</title><meta name="description" content="Award-winners and contenders from Academy Awards, USA ({year})" data-id="main"><link rel="canonical" href="https://www.imdb.com/event/ev0000003/{year}/{instance}/"><meta property="og:url" content="https://www.imdb.com/event/ev0000003/{year}/{instance}/"><meta property="og:site_name" content="IMDb"><meta property="og:title" content="Academy Awards, USA ({year}) - IMDb"><meta property="og:type" content="website"></head><body id="styleguide-v2" class="fixed"><div id="__next"><main role="main"><section class="ipc-page-section"><h1 class="ipc-title__text">Academy Awards, USA</h1><h2 class="ipc-title__text">{year} Awards</h2></section></main></div><script id="__NEXT_DATA__" type="application/json">{next_data}</script><script type="text/javascript">
window.ue_ibe = (window.ue_ibe || 0) + 1;
</script></body></html>"""  # noqa: E501
