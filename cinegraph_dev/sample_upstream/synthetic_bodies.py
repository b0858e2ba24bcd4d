"""Synthetic IMDb event pages of every award body of the registry, beside the Oscars.

`SyntheticHistory` generates the Academy's history; `SyntheticBodies` (one per history,
sharing its people pool and its films) adds the IMDb event pages of every body of
`cinegraph_assets.awards.registry` (festivals, guilds, press awards), every edition from
the body's first edition year through 2026, in the real page shape (canonical link,
`query.evconst`, `requestContext.pageConst`, `editionInfo`, `edition.awards`,
`historyEventEditions` newest first).

What a page holds follows the truth sample of real editions (`award-bodies-truth-sample`):

- a festival lists its main competition's whole line-up under the top award and gives
  its smaller prizes to one film each (often one of the line-up), with many minor
  prizes in recent years, some of them by section ("FIPRESCI Prize" / "Competition",
  "Un Certain Regard"), so one category text occurs under several awards; a press,
  guild or academy award lists five or six nominees per category, film and television
  mixed (Golden Globes, BAFTA, Actor Awards, Critics Choice);
- everything is smaller in early years; a category is sometimes tied; a nomination can
  name two films, none (career awards), a company; person nominations name their film
  in `secondaryAwardTitles` without a `titleType`, as IMDb does;
- television: series and mini-series (`tvSeries`, `tvMiniSeries`) from one pool shared
  by the television bodies, so a hit series recurs across years and bodies; films made
  for television (`tvMovie`), which are films; a few video games (BAFTA);
- Cannes 1968 has no winners, and the editions of 2026 held after `today` list their
  line-ups without winners (the winners appear when `today` passes).

Films are shared the way real ones are: a festival of year Y shows some films the
Academy nominates at the ceremony of Y+1, an awards body of edition Y nominates mostly
the Oscar films of that season (ceremony Y) — the SAME synthetic film, with the same
tt id and TMDb record — and films travel from earlier festivals of the year to later
ones and to the awards season. Every film answers TMDb and OMDb through SyntheticHistory;
a series answers TMDb's find under `tv_results` and never the movie endpoints.

Ids: a body's own film is tt{(Y-1900)*100000 + 1000 + 37*j + r}, with Y the edition
year, j its position in the edition (+1300 for a second edition in a year) and r 1..35
the body's place in the registry (Oscar films have r = 0, series r = 36), so an id
decodes back to the edition that made it.

Everything is lazy and deterministic from the history's seed: an edition is generated
when a page, a film or a series of it is asked for (with the earlier editions of its
season it borrows films from); editions are cached, pages and films in bounded caches
(a film is regenerated from its edition's record when evicted).
"""

from __future__ import annotations

import base64
import hashlib
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from html import escape

from cinegraph_assets.awards.registry import AwardBody, load_bodies
from cinegraph_dev.sample_upstream.synthetic import (
    _CITATIONS,
    _COMPANIES,
    _COUNTRIES,
    _KINDS,
    _MONTHS,
    _PROMINENCE,
    _SONG_SHAPES,
    _TITLE_SHAPES,
    FOREVER,
    _Film,
    _foreign_title,
    _image_path,
    _json,
    _unique,
    request_context,
)

LAST_EDITION_YEAR = 2026
# The synthetic world's today: the festivals of 2026 held later (Venice, Toronto,
# Telluride, New York) list their line-ups without winners until `today` passes them.
TODAY = date(2026, 8, 20)
# Facts about IMDb, stated here rather than taken from the pipeline: Critics Choice held
# two editions in 2016 (January and December); Cannes 1968 was stopped before its prizes.
EXTRA_EDITIONS = {"critics_choice": ((2016, 2),)}
NO_WINNERS = {("cannes", 1968, 1)}
OSCAR_EVENT = "ev0000003"
SECOND_INSTANCE = 1300  # own-film positions of an edition's second instance start here
SERIES_SLOT = 36  # the id residue of series (bodies use 1..35)
_FILM_TYPES = {"movie", "short", "video", "tvMovie", "tvShort", "tvSpecial"}
_UNKNOWN_SHORTS = 0.03  # share of festival shorts TMDb does not know (features: 0.5%)

# -- programs ------------------------------------------------------------------------
#
# One line per award and category: award | category ("-": IMDb's null category) |
# role | pool | size | years [| winners]. The role says what a nomination names (see
# _Builder._nomination); the pool which films (a festival section, or a season's
# contenders: see _Builder._slot); size the modern line-up (1: the winner alone, a-b a
# range); winners "1" (default), "0" (a line-up without prize) or "all" (honours).

_CANNES = """
Palme d'Or | - | title | competition | 19-22 | 1946-
Grand Prize of the Festival | - | title | competition | 1 | 1967-
Jury Prize | - | title | competition | 1 | 1951-
Best Director | - | director | competition | 1 | 1946-
Best Actor | - | lead_male | competition | 1 | 1946-
Best Actress | - | lead_female | competition | 1 | 1946-
Best Screenplay | - | writers | competition | 1 | 1949-
Un Certain Regard Award | - | title | ucr | 16-20 | 1978-
Un Certain Regard Jury Prize | - | title | ucr | 1 | 1998-
Un Certain Regard - Best Actor | Best Actor | lead_male | ucr | 1 | 2016-
Un Certain Regard - Best Director | - | director | ucr | 1 | 2016-
Golden Camera | - | title | debut | 22-29 | 1978-
Palme d'Or - Best Short Film | - | title | shorts | 9-11 | 1952-
Cinefondation Award | - | title | shorts_school | 12-16 | 1998-
Queer Palm | - | title | queer | 12-16 | 2010-
Golden Eye | Golden Eye | title | docs | 12-15 | 2015-
Golden Eye | Special Jury Prize | title | docs | 1 | 2015-
FIPRESCI Prize | Competition | title | competition | 1 | 1946-
FIPRESCI Prize | Un Certain Regard | title | ucr | 1 | 1980-
FIPRESCI Prize | Directors' Fortnight or Critics' Week | title | fortnight | 1 | 1990-
SACD Award | Directors' Fortnight | writers | fortnight | 1 | 1995-
SACD Award | Critics' Week | writers | week | 1 | 1995-
Prize of the Ecumenical Jury | - | title | competition | 1 | 1974-
Palm Dog | - | title | competition | 1 | 2001-
"""  # noqa: E501
_VENICE = """
Golden Lion | Best Film | title | competition | 18-21 | 1932-
Golden Lion | Career Golden Lion | career | - | 1-2 | 1970- | all
Silver Lion | Best Director | director | competition | 1 | 1952-
Silver Lion | Grand Jury Prize | title | competition | 1 | 1990-
Special Jury Prize | - | title | competition | 1 | 1950-
Golden Osella | Best Screenplay | writers | competition | 1 | 1988-
Volpi Cup | Best Actor | lead_male | competition | 1 | 1935-
Volpi Cup | Best Actress | lead_female | competition | 1 | 1935-
Luigi De Laurentiis Award | Best Debut Film | title | debut | 1 | 1963-
Venice Horizons Award | Best Film | title | horizons | 17-19 | 1988-
Venice Horizons Award | Best Director | director | horizons | 1 | 2004-
Venice Horizons Award | Best Actor | lead_male | horizons | 1 | 2017-
Venice Horizons Award | Best Actress | lead_female | horizons | 1 | 2017-
Venice Horizons Award | Best Short Film | title | shorts | 12-15 | 2004-
Critics' Week Award | Best Film | title | week | 7 | 1984-
Venezia Classici Award | Best Restored Film | title | classics | 14-18 | 2012-
Venezia Classici Award | Best Documentary on Cinema | title | docs | 8-10 | 2012-
Queer Lion Award | - | title | queer | 8-10 | 2007-
FIPRESCI Prize | Competition | title | competition | 1 | 1948-
FIPRESCI Prize | Orizzonti and Parallel Sections | title | horizons | 1 | 1990-
"""  # noqa: E501
_BERLIN = """
Golden Berlin Bear | Best Film | title | competition | 18-22 | 1951-
Golden Berlin Bear | Best Short Film | title | shorts | 16-20 | 1956-
Silver Berlin Bear | Best Director | director | competition | 1 | 1956-
Silver Berlin Bear | Best Actor | lead_male | competition | 1 | 1956-2020
Silver Berlin Bear | Best Actress | lead_female | competition | 1 | 1956-2020
Silver Berlin Bear | Best Leading Performance | lead_any | competition | 1 | 2021-
Silver Berlin Bear | Best Supporting Performance | supporting_any | competition | 1 | 2021-
Silver Berlin Bear | Grand Jury Prize | title | competition | 1 | 2000-
Silver Berlin Bear | Best Screenplay | writers | competition | 1 | 2008-
Silver Berlin Bear | Outstanding Artistic Contribution | cinematographer | competition | 1 | 2008-
Crystal Bear | Generation 14plus - Best Film | title | youth | 9-11 | 2004-
Crystal Bear | Generation Kplus - Best Film | title | kids | 7-9 | 1978-
Crystal Bear | Generation Kplus - Best Short Film | title | shorts_kids | 11-13 | 1990-
Teddy | Best Feature Film | title | queer | 12-14 | 1987-
Teddy | Best Documentary/Essay Film | title | docs_queer | 5-6 | 1987-
Teddy | Best Short Film | title | shorts_queer | 5-6 | 1987-
Panorama Audience Award | Fiction Film | title | panorama | 1 | 1999-
Panorama Audience Award | Documentary Film | title | docs | 1 | 2012-
FIPRESCI Prize | Competition | title | competition | 1 | 1958-
FIPRESCI Prize | Forum | title | forum | 1 | 1971-
FIPRESCI Prize | Panorama | title | panorama | 1 | 1990-
Prize of the Ecumenical Jury | Competition | title | competition | 1 | 1992-
Prize of the Ecumenical Jury | Forum | title | forum | 1 | 1992-
Prize of the Ecumenical Jury | Panorama | title | panorama | 1 | 1992-
Berlinale Documentary Award | - | title | docs | 13-15 | 2017-
Perspectives Award | Best First Feature | title | debut | 12-14 | 2024-
"""  # noqa: E501
_SUNDANCE = """
Grand Jury Prize | U.S. Dramatic | title | us_dramatic | 14-16 | 1978-
Grand Jury Prize | U.S. Documentary | title | docs_us | 14-16 | 1982-
Grand Jury Prize | World Cinema - Dramatic | title | world_dramatic | 11-12 | 2005-
Grand Jury Prize | World Cinema - Documentary | title | docs_world | 11-12 | 2005-
Audience Award | U.S. Dramatic | title | us_dramatic | 1 | 1989-
Audience Award | U.S. Documentary | title | docs_us | 1 | 1989-
Audience Award | World Cinema - Dramatic | title | world_dramatic | 1 | 2005-
Audience Award | World Cinema - Documentary | title | docs_world | 1 | 2005-
Audience Award | NEXT | title | next | 1 | 2012-
Directing Award | U.S. Dramatic | director | us_dramatic | 1 | 1997-
Directing Award | U.S. Documentary | director | docs_us | 1 | 1997-
Directing Award | World Cinema - Dramatic | director | world_dramatic | 1 | 2008-
Directing Award | World Cinema - Documentary | director | docs_world | 1 | 2008-
Waldo Salt Screenwriting Award | U.S. Dramatic | writers | us_dramatic | 1 | 1993-
Special Jury Prize | U.S. Dramatic | title | us_dramatic | 1 | 1989-
Special Jury Prize | U.S. Documentary | title | docs_us | 1 | 1989-
Short Film Grand Jury Prize | - | title | shorts | 18-25 | 1995-
Alfred P. Sloan Prize | - | title | us_dramatic | 1 | 2003-
"""  # noqa: E501
_SXSW = """
Audience Award | Narrative Feature | title | us_narrative | 1 | 1987-
Audience Award | Documentary Feature | title | docs | 1 | 1990-
Audience Award | Narrative Spotlight | title | spotlight | 1 | 2005-
Audience Award | Documentary Spotlight | title | docs_spotlight | 1 | 2005-
Audience Award | Headliners | title | headliners | 1 | 2008-
Audience Award | Midnighters | title | us_midnighters | 1 | 2008-
Audience Award | Festival Favorites | title | favorites | 1 | 2010-
Grand Jury Award | Narrative Feature | title | us_narrative | 9-10 | 1994-
Grand Jury Award | Documentary Feature | title | docs | 9-10 | 1994-
Grand Jury Award | Narrative Short | title | shorts | 12-15 | 1995-
Grand Jury Award | Documentary Short | title | shorts_docs | 8-10 | 2000-
Grand Jury Award | Animated Short | title | shorts_anim | 8-10 | 2002-
Special Jury Recognition | Narrative Feature | title | us_narrative | 1 | 2000-
Special Jury Recognition | Documentary Feature | title | docs | 1 | 2000-
Special Jury Recognition | Performance | lead_any | us_narrative | 1 | 2005-
"""  # noqa: E501
_NEW_HORIZONS = """
Grand Prix | International Competition | title | competition | 11-13 | 2001-
Grand Prix | Polish Competition | title | polish | 8-10 | 2011-
Special Mention | International Competition | title | competition | 1 | 2008-
Audience Award | - | title | competition | 1 | 2001-
FIPRESCI Prize | - | title | competition | 1 | 2004-
Films on Art Award | - | title | docs_art | 8-10 | 2005-
Polish Short Film Competition | Polish Short Film Competition | title | shorts | 10-12 | 2010-
Polish Short Film Competition | Special Mention | title | shorts | 1 | 2010-
"""  # noqa: E501
_TORONTO = """
People's Choice Award | - | title | galas | 3 | 1976-
People's Choice Award | Documentary | title | docs | 3 | 2009-
People's Choice Award | Midnight Madness | title | midnight | 3 | 2009-
Platform Prize | - | title | platform | 9-11 | 2015-
FIPRESCI Prize | Discovery | title | discovery | 1 | 1992-
FIPRESCI Prize | Special Presentations | title | galas | 1 | 2002-
Best Canadian Feature Film | - | title | canadian | 1 | 1984-
Best Canadian First Feature Film | - | title | canadian | 1 | 1994-
Short Cuts Award | Best Short Film | title | shorts | 1 | 2005-
NETPAC Award | - | title | discovery | 1 | 2005-
"""  # noqa: E501
_TELLURIDE = """
Silver Medallion | - | tribute | program | 2-3 | 1974- | all
Special Medallion | - | career | - | 1 | 1980- | all
Filmmakers of Tomorrow | - | title | shorts_school | 6-8 | 2006-
"""  # noqa: E501
_NYFF = """
Opening Night Film | - | title | main | 1 | 1963- | all
Centerpiece | - | title | main | 1 | 1990- | all
Closing Night Film | - | title | main | 1 | 1963- | all
Main Slate | - | title | main | 12-25 | 1963- | 0
Currents | - | title | shorts | 8-12 | 2014- | 0
"""  # noqa: E501
_LOCARNO = """
Golden Leopard | - | title | competition | 15-18 | 1946-
Special Jury Prize | - | title | competition | 1 | 1968-
Best Direction Award | - | director | competition | 1 | 2005-
Best Actor | - | lead_male | competition | 1 | 1960-
Best Actress | - | lead_female | competition | 1 | 1960-
Golden Leopard - Filmmakers of the Present | - | title | present | 13-16 | 2005-
Filmmakers of the Present | Best Emerging Director | director | present | 1 | 2005-
Pardino d'oro | Best International Short Film | title | shorts | 18-25 | 1999-
Pardino d'oro | Best Swiss Short Film | title | shorts_swiss | 8-10 | 2010-
First Feature Award | - | title | debut | 12-15 | 2002-
Prix du Public | - | title | piazza | 1 | 1982-
FIPRESCI Prize | - | title | competition | 1 | 1976-
Ecumenical Jury Award | - | title | competition | 1 | 1973-
"""  # noqa: E501
_GOLDEN_GLOBES = """
Golden Globe | Best Motion Picture | picture | main | 5 | 1944-1951
Golden Globe | Best Motion Picture - Drama | picture | drama | 5 | 1952-
Golden Globe | Best Motion Picture - Musical or Comedy | picture | comedy | 5 | 1952-
Golden Globe | Best Motion Picture - Foreign Language | film | foreign | 5 | 1950-2020
Golden Globe | Best Motion Picture - Non-English Language | film | foreign | 5 | 2021-
Golden Globe | Best Motion Picture - Animated | film | anim | 5 | 2007-
Golden Globe | Best Performance by an Actor in a Motion Picture | lead_male | main | 5 | 1944-1950
Golden Globe | Best Performance by an Actress in a Motion Picture | lead_female | main | 5 | 1944-1950
Golden Globe | Best Performance by an Actor in a Motion Picture - Drama | lead_male | drama | 5 | 1951-
Golden Globe | Best Performance by an Actress in a Motion Picture - Drama | lead_female | drama | 5 | 1951-
Golden Globe | Best Performance by an Actor in a Motion Picture - Musical or Comedy | lead_male | comedy | 5 | 1951-
Golden Globe | Best Performance by an Actress in a Motion Picture - Musical or Comedy | lead_female | comedy | 5 | 1951-
Golden Globe | Best Performance by an Actor in a Supporting Role in any Motion Picture | supporting_male | main | 5 | 1944-
Golden Globe | Best Performance by an Actress in a Supporting Role in any Motion Picture | supporting_female | main | 5 | 1944-
Golden Globe | Best Director - Motion Picture | director | main | 5 | 1944-
Golden Globe | Best Screenplay - Motion Picture | writers | main | 5 | 1948-
Golden Globe | Best Original Score - Motion Picture | composer | main | 5 | 1948-
Golden Globe | Best Original Song - Motion Picture | songwriters | main | 5 | 1962-
Golden Globe | Cinematic and Box Office Achievement | film | main | 8 | 2024-
Golden Globe | Best Television Program | series | tv_any | 1 | 1956-1961
Golden Globe | Best Television Series - Drama | series | tv_drama | 5 | 1962-
Golden Globe | Best Television Series - Musical or Comedy | series | tv_comedy | 5 | 1962-
Golden Globe | Best Television Limited Series, Anthology Series or Motion Picture Made for Television | longform | tv_limited | 5 | 1972-
Golden Globe | Best Performance by an Actor in a Television Series - Drama | series_lead_male | tv_drama | 5 | 1962-
Golden Globe | Best Performance by an Actress in a Television Series - Drama | series_lead_female | tv_drama | 5 | 1962-
Golden Globe | Best Performance by an Actor in a Television Series - Musical or Comedy | series_lead_male | tv_comedy | 5 | 1962-
Golden Globe | Best Performance by an Actress in a Television Series - Musical or Comedy | series_lead_female | tv_comedy | 5 | 1962-
Golden Globe | Best Performance by an Actor in a Limited Series, Anthology Series or a Motion Picture Made for Television | series_lead_male | tv_limited | 5 | 1982-
Golden Globe | Best Performance by an Actress in a Limited Series, Anthology Series or a Motion Picture Made for Television | series_lead_female | tv_limited | 5 | 1982-
Golden Globe | Best Performance by an Actor in a Supporting Role on Television | series_supporting_male | tv_any | 5 | 1971-
Golden Globe | Best Performance by an Actress in a Supporting Role on Television | series_supporting_female | tv_any | 5 | 1971-
Cecil B. DeMille Award | - | career | - | 1 | 1952- | all
Carol Burnett Award | - | career | - | 1 | 2019- | all
Henrietta Award | World Film Favorite | career | - | 2 | 1950-1980 | all
"""  # noqa: E501
_BAFTA = """
BAFTA Film Award | Best Film from any Source | picture | main | 5 | 1949-1968
BAFTA Film Award | Best Film | picture | main | 5 | 1969-
BAFTA Film Award | Best British Film | film | british | 5 | 1949-1992
BAFTA Film Award | Outstanding British Film of the Year | film | british | 6-10 | 1993-
BAFTA Film Award | Best British Actor | lead_male | british | 5 | 1953-1967
BAFTA Film Award | Best Foreign Actor | lead_male | main | 5 | 1953-1967
BAFTA Film Award | Best British Actress | lead_female | british | 5 | 1953-1967
BAFTA Film Award | Best Foreign Actress | lead_female | main | 5 | 1953-1967
BAFTA Film Award | Best Leading Actor | lead_male | main | 5-6 | 1968-
BAFTA Film Award | Best Leading Actress | lead_female | main | 5-6 | 1968-
BAFTA Film Award | Best Supporting Actor | supporting_male | main | 5 | 1969-
BAFTA Film Award | Best Supporting Actress | supporting_female | main | 5 | 1969-
BAFTA Film Award | Best Director | director | main | 5 | 1968-
BAFTA Film Award | Best Screenplay | writers | main | 5 | 1969-1983
BAFTA Film Award | Best Screenplay (Original) | writers | main | 5 | 1984-
BAFTA Film Award | Best Screenplay (Adapted) | writers | main | 5 | 1984-
BAFTA Film Award | Best Cinematography | cinematographer | main | 5 | 1964-
BAFTA Film Award | Best Editing | editor | main | 5 | 1968-
BAFTA Film Award | Best Production Design | art | main | 5 | 1964-
BAFTA Film Award | Best Costume Design | costume | main | 5 | 1965-
BAFTA Film Award | Best Make Up & Hair | makeup | main | 5 | 1983-
BAFTA Film Award | Best Sound | sound | main | 5 | 1969-
BAFTA Film Award | Original Score | composer | main | 5 | 1969-
BAFTA Film Award | Best Special Visual Effects | effects | main | 5 | 1983-
BAFTA Film Award | Best Film Not in the English Language | film | foreign | 5 | 1983-
BAFTA Film Award | Best Documentary | film | docs | 5 | 1949-
BAFTA Film Award | Best Animated Feature Film | film | anim | 3-4 | 2007-
BAFTA Film Award | Best British Short Film | film | shorts | 5 | 1960-
BAFTA Film Award | Best British Short Animation | film | shorts_anim | 3 | 1990-
BAFTA Film Award | Outstanding Debut by a British Writer, Director or Producer | debut | british | 5 | 1999-
BAFTA Film Award | Best Casting | casting | main | 5 | 2020-
BAFTA Film Award | Best Children's & Family Film | film | family | 4 | 2024-
EE Rising Star Award | - | rising | - | 5 | 2006-
BAFTA Fellowship | - | career | - | 1 | 1971- | all
BAFTA TV Award | Drama Series | series | tv_drama | 4 | 1955-
BAFTA TV Award | Leading Actor | series_lead_male | tv_drama | 4-6 | 1955-
BAFTA TV Award | Leading Actress | series_lead_female | tv_drama | 4-6 | 1955-
BAFTA TV Award | Scripted Comedy | series | tv_comedy | 4 | 1962-
BAFTA TV Award | Single Drama | film | tv_single | 4 | 1970-
BAFTA TV Award | Entertainment | series | tv_ent | 4 | 1970-
BAFTA TV Award | Limited Drama | series | tv_mini | 4 | 1980-
BAFTA TV Award | Single Documentary | film | tv_single_docs | 4 | 1980-
BAFTA TV Award | Current Affairs | series | tv_news | 3 | 1980-
BAFTA TV Award | News Coverage | series | tv_news | 3 | 1980-
BAFTA TV Award | Factual Series | series | tv_factual | 4 | 1990-
BAFTA TV Award | Sports Coverage | series | tv_news | 4 | 1990-
BAFTA TV Award | Entertainment Performance | series_lead_any | tv_ent | 4-6 | 1990-
BAFTA TV Award | Soap | series | tv_soap | 3 | 2000-
BAFTA TV Award | Director, Fiction | series_director | tv_drama | 4 | 2000-
BAFTA TV Award | Writer, Drama | series_writer | tv_drama | 4 | 2000-
BAFTA TV Award | Writer, Comedy | series_writer | tv_comedy | 4 | 2000-
BAFTA TV Award | Costume Design | series_costume | tv_drama | 4 | 2000-
BAFTA TV Award | Production Design | series_art | tv_drama | 4 | 2000-
BAFTA TV Award | Editing, Fiction | series_editor | tv_drama | 4 | 2000-
BAFTA TV Award | Photography & Lighting, Fiction | series_camera | tv_drama | 4 | 2000-
BAFTA TV Award | Sound, Fiction | series_sound | tv_drama | 4 | 2000-
BAFTA TV Award | Original Music, Fiction | series_composer | tv_drama | 4 | 2000-
BAFTA TV Award | International | series | tv_drama | 6 | 2007-
BAFTA TV Award | Reality | series | tv_factual | 4 | 2010-
BAFTA TV Award | Supporting Actor | series_supporting_male | tv_drama | 5 | 2010-
BAFTA TV Award | Supporting Actress | series_supporting_female | tv_drama | 5 | 2010-
BAFTA TV Award | Actor in a Comedy | series_lead_male | tv_comedy | 4-6 | 2010-
BAFTA TV Award | Actress in a Comedy | series_lead_female | tv_comedy | 4-6 | 2010-
BAFTA TV Award | Specialist Factual | series | tv_factual | 4 | 2005-
BAFTA TV Award | Features | series | tv_ent | 4 | 2005-
BAFTA TV Award | Daytime | series | tv_ent | 4 | 2012-
BAFTA TV Award | Live Event Coverage | series | tv_news | 3 | 2012-
BAFTA TV Award | Short Form | series | tv_ent | 4 | 2015-
BAFTA TV Award | Children's Scripted | series | tv_comedy | 4 | 2018-
BAFTA TV Award | Director, Factual | series_director | tv_factual | 4 | 2005-
BAFTA TV Award | Editing, Factual | series_editor | tv_factual | 4 | 2005-
BAFTA TV Award | Photography, Factual | series_camera | tv_factual | 4 | 2005-
BAFTA TV Award | Sound, Factual | series_sound | tv_factual | 4 | 2005-
BAFTA TV Award | Original Music, Factual | series_composer | tv_factual | 4 | 2015-
BAFTA TV Award | Scripted Casting | series_director | tv_drama | 4 | 2020-
BAFTA TV Award | Emerging Talent, Fiction | series_writer | tv_drama | 4 | 2020-
BAFTA TV Award | Make Up & Hair Design | series_costume | tv_drama | 4 | 2005-
P&O Cruises Memorable Moment | - | series | tv_ent | 6 | 2015-
BAFTA Games Award | Best Game | game | games | 5 | 2004-
BAFTA Games Award | Game Design | game | games | 5 | 2004-
BAFTA Games Award | Performer in a Leading Role | game_performer | games | 5 | 2012-
BAFTA Games Award | Performer in a Supporting Role | game_performer | games | 5 | 2012-
"""  # noqa: E501
_ACTOR_AWARDS = """
Screen Actors Guild Award | Outstanding Performance by a Male Actor in a Leading Role | lead_male | main | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by a Female Actor in a Leading Role | lead_female | main | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by a Male Actor in a Supporting Role | supporting_male | main | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by a Female Actor in a Supporting Role | supporting_female | main | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by a Cast in a Motion Picture | ensemble | main | 5 | 1996-
Screen Actors Guild Award | Outstanding Action Performance by a Stunt Ensemble in a Motion Picture | ensemble | main | 4-5 | 2008-
Screen Actors Guild Award | Outstanding Performance by a Male Actor in a Drama Series | series_lead_male | tv_drama | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by a Female Actor in a Drama Series | series_lead_female | tv_drama | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by a Male Actor in a Comedy Series | series_lead_male | tv_comedy | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by a Female Actor in a Comedy Series | series_lead_female | tv_comedy | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by a Male Actor in a Television Movie or Limited Series | series_lead_male | tv_limited | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by a Female Actor in a Television Movie or Limited Series | series_lead_female | tv_limited | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by an Ensemble in a Drama Series | series_ensemble | tv_drama | 5 | 1995-
Screen Actors Guild Award | Outstanding Performance by an Ensemble in a Comedy Series | series_ensemble | tv_comedy | 5 | 1995-
Screen Actors Guild Award | Outstanding Action Performance by a Stunt Ensemble in a Television Series | series_ensemble | tv_drama | 5 | 2008-
Life Achievement Award | - | career | - | 1 | 1995- | all
"""  # noqa: E501
_CRITICS_CHOICE = """
Critics Choice Award | Best Picture | picture | main | 10 | 1996-
Critics Choice Award | Best Actor | lead_male | main | 6 | 1996-
Critics Choice Award | Best Actress | lead_female | main | 6 | 1996-
Critics Choice Award | Best Supporting Actor | supporting_male | main | 6 | 1996-
Critics Choice Award | Best Supporting Actress | supporting_female | main | 6 | 1996-
Critics Choice Award | Best Director | director | main | 6 | 1996-
Critics Choice Award | Best Screenplay | writers | main | 5 | 1996-2001
Critics Choice Award | Best Original Screenplay | writers | main | 6 | 2002-
Critics Choice Award | Best Adapted Screenplay | writers | main | 6 | 2002-
Critics Choice Award | Best Young Actor/Actress | lead_any | main | 6 | 1996-
Critics Choice Award | Best Foreign Language Film | film | foreign | 5 | 1996-
Critics Choice Award | Best Documentary Feature | film | docs | 5 | 1996-2016
Critics Choice Award | Best Animated Feature | film | anim | 5 | 1998-
Critics Choice Award | Best Score | composer | main | 5 | 1998-
Critics Choice Award | Best Song | songwriters | main | 5 | 1998-
Critics Choice Award | Best Acting Ensemble | ensemble | main | 6 | 2003-
Critics Choice Award | Best Cinematography | cinematographer | main | 6 | 2009-
Critics Choice Award | Best Editing | editor | main | 6 | 2009-
Critics Choice Award | Best Production Design | art | main | 6 | 2009-
Critics Choice Award | Best Costume Design | costume | main | 6 | 2009-
Critics Choice Award | Best Hair & Makeup | makeup | main | 5 | 2009-
Critics Choice Award | Best Visual Effects | effects | main | 5 | 2009-
Critics Choice Award | Best Comedy | film | comedy | 6 | 2012-
Critics Choice Award | Best Action Movie | film | main | 5 | 2012-2017
Critics Choice Award | Best Drama Series | series | tv_drama | 7 | 2020-
Critics Choice Award | Best Comedy Series | series | tv_comedy | 7 | 2020-
Critics Choice Award | Best Limited Series | series | tv_mini | 6 | 2020-
Critics Choice Award | Best Movie Made for Television | film | tv_single | 6 | 2020-
Critics Choice Award | Best Actor in a Drama Series | series_lead_male | tv_drama | 6 | 2020-
Critics Choice Award | Best Actress in a Drama Series | series_lead_female | tv_drama | 6 | 2020-
Critics Choice Award | Best Actor in a Comedy Series | series_lead_male | tv_comedy | 6 | 2020-
Critics Choice Award | Best Actress in a Comedy Series | series_lead_female | tv_comedy | 6 | 2020-
Critics Choice Award | Best Actor in a Limited Series or Movie Made for Television | series_lead_male | tv_limited | 6 | 2020-
Critics Choice Award | Best Actress in a Limited Series or Movie Made for Television | series_lead_female | tv_limited | 6 | 2020-
Critics Choice Award | Best Supporting Actor in a Drama Series | series_supporting_male | tv_drama | 6 | 2020-
Critics Choice Award | Best Supporting Actress in a Drama Series | series_supporting_female | tv_drama | 6 | 2020-
Critics Choice Award | Best Supporting Actor in a Comedy Series | series_supporting_male | tv_comedy | 6 | 2020-
Critics Choice Award | Best Supporting Actress in a Comedy Series | series_supporting_female | tv_comedy | 6 | 2020-
"""  # noqa: E501
# A body the generator has no program for (César, say, added to the registry) still
# gets pages: a festival's or an academy's generic program.
_GENERIC_FESTIVAL = """
Grand Prize | - | title | competition | 14-18 | 1900-
Best Director | - | director | competition | 1 | 1900-
Best Performance | - | lead_any | competition | 1 | 1900-
Audience Award | - | title | competition | 1 | 1900-
"""  # noqa: E501
_GENERIC_AWARDS = """
{award} | Best Film | picture | main | 5 | 1900-
{award} | Best Director | director | main | 5 | 1900-
{award} | Best Actor | lead_male | main | 5 | 1900-
{award} | Best Actress | lead_female | main | 5 | 1900-
{award} | Best Foreign Film | film | foreign | 5 | 1900-
Honorary Award | - | career | - | 1 | 1900- | all
"""  # noqa: E501
# Award texts IMDb renamed: (body, old text) -> (first year of the new text, new text).
_RENAMED = {("actor_awards", "Screen Actors Guild Award"): (2025, "Actor")}

# Minor festival prizes: award, role, how it names its categories ("-": none, "s": the
# festival's sections), line-up size, the pool of a line-up. A festival gives the first
# `minor` of them (in an order of its own) at full size, fewer in early years; none
# whose award its own program has.
_MINOR = (
    ("Prize of the Ecumenical Jury", "title", "s", 1),
    ("SIGNIS Award", "title", "-", 1),
    ("NETPAC Award", "title", "-", 1),
    ("C.I.C.A.E. Award", "title", "s", 1),
    ("Label Europa Cinemas", "title", "-", 1),
    ("Interfilm Award", "title", "-", 1),
    ("Youth Jury Award", "title", "s", 1),
    ("Special Mention", "title", "s", 1),
    ("UNICEF Award", "title", "-", 1),
    ("Don Quixote Award", "title", "-", 1),
    ("Art Cinema Award", "title", "s", 1),
    ("Lanterna Magica Award", "title", "-", 1),
    ("Young Critics Award", "title", "-", 1),
    ("Green Drop Award", "title", "-", 1),
    ("Amnesty International Film Prize", "title", "-", 1),
    ("Peace Film Award", "title", "-", 1),
    ("Guild Film Prize", "title", "-", 1),
    ("Readers' Jury Award", "title", "-", 1),
    ("Student Jury Award", "title", "-", 1),
    ("Best Cinematography Award", "cinematographer", "-", 1),
    ("Original Score Award", "composer", "-", 1),
    ("Editing Award", "editor", "-", 1),
    ("Distribution Award", "company", "-", 1),
    ("Screenwriting Award", "writers", "s", 1),
    ("Young Director Award", "director", "s", 1),
    ("Best Actor Award", "lead_male", "s", 1),
    ("Best Actress Award", "lead_female", "s", 1),
    ("Documentary Award", "title", "-", 12, "docs_minor"),
    ("Queer Award", "title", "-", 9, "queer_minor"),
    ("Audience Award", "title", "s", 1),
    ("Cinema & Arts Award", "title", "-", 1),
    ("Soundtrack Award", "composer", "-", 1),
    ("Critics' Award", "title", "s", 1),
    ("Short Film Jury Award", "title", "-", 8, "shorts_minor"),
    ("Audience Award - Extra", "title", "-", 8, "extra"),
    ("Environmental Award", "title", "-", 1),
    ("Human Rights Award", "title", "-", 1),
    ("Best First Feature Award", "title", "-", 1),
    ("Jury Special Mention", "title", "s", 1),
    ("Restored Classics Award", "title", "-", 10, "classics"),
)
_DISTRIBUTORS = (
    "MK2 Films",
    "Le Pacte",
    "Memento Distribution",
    "The Match Factory",
    "Celluloid Dreams",
    "Wild Bunch",
    "Les Films du Losange",
    "Cineart",
    "Mubi",
    "Janus Films",
    "Curzon Artificial Eye",
    "Pyramide Films",
)


@dataclass(frozen=True)
class _Profile:
    style: str  # "festival": films of the edition's year; "awards": of the year before
    program: str
    event_name: str | None = None  # IMDb's name where it differs from the registry's
    location: str | None = None
    foreign: float = 0.6  # share of non-English films in a festival's feature sections
    oscar: float = 0.05  # share of slots an Oscar film of the season takes
    travel: float = 0.0  # share a film of an earlier festival of the season takes
    minor: int = 0  # minor prizes at full size
    sections: tuple[tuple[str, str], ...] = ()  # (pool, section name) for minor prizes
    winners_only_before: int = 0  # an academy listed only its winners until then


_PROFILES = {
    "cannes": _Profile(
        "festival", _CANNES, location="Cannes, France", foreign=0.7, oscar=0.08, travel=0.04,
        minor=18,
        sections=(("competition", "Competition"), ("ucr", "Un Certain Regard"),
                  ("fortnight", "Directors' Fortnight"), ("week", "Critics' Week")),
    ),
    "venice": _Profile(
        "festival", _VENICE, location="Venice, Italy", foreign=0.65, oscar=0.08, travel=0.02,
        minor=40,
        sections=(("competition", "Venezia 80"), ("horizons", "Orizzonti"),
                  ("week", "International Film Critics' Week"), ("days", "Giornate degli Autori")),
    ),
    "berlin": _Profile(
        "festival", _BERLIN, location="Berlin, Germany", foreign=0.7, oscar=0.06, travel=0.03,
        minor=22,
        sections=(("competition", "Competition"), ("panorama", "Panorama"), ("forum", "Forum"),
                  ("youth", "Generation 14plus"), ("kids", "Generation Kplus")),
    ),
    "sundance": _Profile(
        "festival", _SUNDANCE, location="Park City, Utah, USA", foreign=0.25, oscar=0.03,
        minor=4, sections=(("us_dramatic", "U.S. Dramatic"), ("docs_us", "U.S. Documentary")),
    ),
    "sxsw": _Profile(
        "festival", _SXSW, event_name="SXSW Film Festival", location="Austin, Texas, USA",
        foreign=0.1, oscar=0.02, travel=0.1, minor=5,
        sections=(("us_narrative", "Narrative Feature Competition"),
                  ("docs", "Documentary Feature Competition")),
    ),
    "new_horizons": _Profile(
        "festival", _NEW_HORIZONS, location="Wroclaw, Poland", foreign=0.9, oscar=0.02,
        travel=0.4, minor=5, sections=(("competition", "International Competition"),),
    ),
    "toronto": _Profile(
        "festival", _TORONTO, location="Toronto, Ontario, Canada", foreign=0.5, oscar=0.15,
        travel=0.45, minor=3, sections=(("discovery", "Discovery"), ("galas", "Galas")),
    ),
    "telluride": _Profile(
        "festival", _TELLURIDE, location="Telluride, Colorado, USA", foreign=0.4, oscar=0.3,
        travel=0.5,
    ),
    "nyff": _Profile(
        "festival", _NYFF, location="New York City, New York, USA", foreign=0.55, oscar=0.2,
        travel=0.6, minor=1,
    ),
    "locarno": _Profile(
        "festival", _LOCARNO, event_name="Locarno International Film Festival",
        location="Locarno, Switzerland", foreign=0.8, oscar=0.01, travel=0.05, minor=14,
        sections=(("competition", "International Competition"),
                  ("present", "Filmmakers of the Present"), ("piazza", "Piazza Grande")),
    ),
    "golden_globes": _Profile(
        "awards", _GOLDEN_GLOBES, event_name="Golden Globes, USA",
        location="Beverly Hills, California, USA", oscar=0.62, travel=0.3,
        winners_only_before=1956,
    ),
    "bafta": _Profile(
        "awards", _BAFTA, event_name="BAFTA Awards", location="London, England, UK",
        oscar=0.5, travel=0.35, winners_only_before=1960,
    ),
    "actor_awards": _Profile(
        "awards", _ACTOR_AWARDS, event_name="Actor Awards",
        location="Los Angeles, California, USA", oscar=0.75, travel=0.3,
    ),
    "critics_choice": _Profile(
        "awards", _CRITICS_CHOICE, event_name="Critics Choice Awards",
        location="Santa Monica, California, USA", oscar=0.65, travel=0.3,
        winners_only_before=2001,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class _Spec:
    award: str
    category: str | None
    role: str
    pool: str
    size: tuple[int, int]
    first: int
    last: int
    winners: str


def _program(text: str) -> tuple[_Spec, ...]:
    specs = []
    for line in text.strip().splitlines():
        award, category, role, pool, size, years, *winners = (p.strip() for p in line.split("|"))
        low, _, high = size.partition("-")
        first, _, last = years.partition("-")
        specs.append(
            _Spec(
                award=award,
                category=None if category == "-" else category,
                role=role,
                pool=pool,
                size=(int(low), int(high or low)),
                first=int(first),
                last=int(last or FOREVER),
                winners=winners[0] if winners else "1",
            )
        )
    return tuple(specs)


def _profile(body: AwardBody) -> _Profile:
    if body.key in _PROFILES:
        return _PROFILES[body.key]
    if body.month <= 3 and body.television is False and "festival" not in body.name.lower():
        return _Profile("awards", _GENERIC_AWARDS.format(award=body.name), oscar=0.4)
    return _Profile("festival", _GENERIC_FESTIVAL, oscar=0.05, travel=0.1)


def _ramp(year: int) -> float:
    """How much of a program's modern size an edition of `year` has."""
    return min(1.0, max(0.3, (year - 1945) / 65))


# -- the model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """A title as an event page names it."""

    imdb_id: str
    title: str
    original_title: str
    type: str  # IMDb titleType.id
    kind: str  # the generator's kind: a film kind of synthetic.py, "series" or "game"
    oscar: bool = False  # one of the Academy history's films
    comedy: bool = False  # a contender for an academy's comedy categories

    @property
    def is_film(self) -> bool:
        return self.type in _FILM_TYPES


@dataclass(frozen=True)
class _Own:
    """A film (or game) an edition made: what its record is regenerated from."""

    title: Title
    release: date
    country: str  # ISO 3166-1
    country_name: str
    language: str


@dataclass(frozen=True)
class Nomination:
    won: bool
    person: bool  # AwardedNames (people first, their titles untyped) or AwardedTitles
    people: tuple[int, ...]  # indexes of the shared people pool
    titles: tuple[Title, ...]
    notes: str | None = None
    companies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    name: str | None  # None: IMDb's null category (the award names it)
    nominations: tuple[Nomination, ...]


@dataclass(frozen=True)
class Award:
    text: str
    award_id: str
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class Edition:
    body: AwardBody
    year: int
    instance: int
    start: date
    end: date
    awards: tuple[Award, ...]
    awarded: bool  # False: a line-up published before its prizes (or never awarded)

    @property
    def key(self) -> str:
        """The edition's partition key: "2024", or "2016-2" for a second instance."""
        return str(self.year) if self.instance == 1 else f"{self.year}-{self.instance}"

    @property
    def nominations(self) -> list[Nomination]:
        return [n for a in self.awards for c in a.categories for n in c.nominations]

    def titles(self) -> dict[str, tuple[Title, bool]]:
        """Every title on the page -> (title, whether the page gives its type somewhere)."""
        out: dict[str, tuple[Title, bool]] = {}
        for n in self.nominations:
            for t in n.titles:
                typed = not n.person or out.get(t.imdb_id, (t, False))[1]
                out[t.imdb_id] = (t, typed)
        return out


@dataclass(frozen=True)
class _Series:
    title: Title
    tv_id: int
    genre: str
    first: int
    last: int
    fame: float
    country: str
    cast: tuple[int, ...]  # billing order
    crew: tuple[tuple[int, str], ...]  # (person, job)


class _Lru(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size
        self.lock = threading.Lock()

    def get_or(self, key, make):
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return self[key]
        value = make()
        with self.lock:
            self[key] = value
            while len(self) > self.size:
                self.popitem(last=False)
        return value


# -- the generator -----------------------------------------------------------------------


class SyntheticBodies:
    """The IMDb event pages of `bodies` (default: the registry), on `history`'s people
    and films. Editions are years first_edition..2026 (and IMDb's second editions)."""

    def __init__(self, history, bodies: tuple[AwardBody, ...] | None = None, today=None):
        self.h = history
        self.bodies = tuple(load_bodies() if bodies is None else bodies)
        if len(self.bodies) >= SERIES_SLOT:
            raise ValueError(f"at most {SERIES_SLOT - 1} bodies have synthetic ids")
        self.today = today or TODAY
        self._by_key = {b.key: b for b in self.bodies}
        self._by_event = {b.imdb_event_id: b for b in self.bodies}
        self._number = {b.key: n for n, b in enumerate(self.bodies)}
        self._programs = {b.key: _program(_profile(b).program) for b in self.bodies}
        self._editions: dict[tuple[str, int, int], Edition] = {}
        self._owns: dict[tuple[str, int, int], dict[int, _Own]] = {}
        self._series: dict[int, tuple[_Series, ...]] = {}
        self._pages = _Lru(48)
        self._films = _Lru(4096)
        self._lock = threading.RLock()  # an edition is built once, with its borrowings

    # -- public -----------------------------------------------------------------------

    def body(self, key_or_event: str) -> AwardBody | None:
        return self._by_key.get(key_or_event) or self._by_event.get(key_or_event)

    def editions(self, key: str) -> list[tuple[int, int]]:
        """(year, instance) of every edition of a body, oldest first."""
        body = self._by_key[key]
        out = [(y, 1) for y in range(body.first_edition, LAST_EDITION_YEAR + 1)]
        out += [e for e in EXTRA_EDITIONS.get(key, ()) if body.first_edition <= e[0]]
        return sorted(out)

    def edition(self, key: str, year: int, instance: int = 1) -> Edition | None:
        if key not in self._by_key or (year, instance) not in self.editions(key):
            return None
        with self._lock:
            found = self._editions.get((key, year, instance))
            if found is None:
                found = _Builder(self, self._by_key[key], year, instance).build()
                self._editions[(key, year, instance)] = found
            return found

    def page(self, event_id: str, year: int, instance: int = 1) -> str | None:
        """The IMDb event page of an edition, None (404) for one that does not exist."""
        body = self._by_event.get(event_id)
        if body is None or (year, instance) not in self.editions(body.key):
            return None
        return self._pages.get_or(
            (event_id, year, instance), lambda: self._html(body, year, instance)
        )

    def root(self, event_id: str) -> str | None:
        """What /event/<ev>/ answers: the latest edition's page."""
        body = self._by_event.get(event_id)
        return self.page(event_id, *self.editions(body.key)[-1]) if body else None

    def film(self, imdb_id: str) -> _Film | None:
        """A film some edition made (not a series, not a game), None if none did."""
        found = self._own_of(imdb_id)
        if found is None or not found[1].title.is_film:
            return None
        return self._film_record(*found)

    def film_by_tmdb(self, tmdb_id: int) -> _Film | None:
        rest = tmdb_id - _TMDB_BASE
        if rest < 0:
            return None
        year, rest = 1900 + rest // 100_000, rest % 100_000
        number, j = rest // 2_700, rest % 2_700 - 1
        if number >= len(self.bodies) or j < 0:
            return None
        film = self.film(_own_id(year, number, j))
        return film if film is not None and film.tmdb_id == tmdb_id else None

    def series(self, imdb_id: str) -> _Series | None:
        decoded = _decode(imdb_id)
        if decoded is None or decoded[2] != SERIES_SLOT:
            return None
        year, k, _ = decoded
        started = self._started(year)
        found = started[k] if k < len(started) else None
        return found if found and found.title.imdb_id == imdb_id else None

    def kind_of(self, imdb_id: str) -> str | None:
        """ "film", "series" or "game" for a title some page names; None if none does."""
        if self.series(imdb_id) is not None:
            return "series"
        found = self._own_of(imdb_id)
        if found is None:
            return "film" if self.h._film_of(imdb_id) is not None else None
        return "film" if found[1].title.is_film else "game"

    # -- ids and records ----------------------------------------------------------------

    def _own_of(self, imdb_id: str) -> tuple[tuple, _Own] | None:
        decoded = _decode(imdb_id)
        if decoded is None or not 1 <= decoded[2] <= len(self.bodies):
            return None
        year, j, slot = decoded
        body = self.bodies[slot - 1]
        instance = 2 if j >= SECOND_INSTANCE else 1
        if self.edition(body.key, year, instance) is None:
            return None
        own = self._owns[(body.key, year, instance)].get(j)
        if own is None or own.title.imdb_id != imdb_id:
            return None
        return (body.key, year, instance, j), own

    def _film_record(self, where: tuple, own: _Own) -> _BodyFilm:
        return self._films.get_or(where, lambda: self._make_film(where, own))

    def _make_film(self, where: tuple, own: _Own) -> _BodyFilm:
        key, year, _instance, j = where
        t = own.title
        rng = self.h._rng("body-film", t.imdb_id)
        kind = t.kind if t.kind in _KINDS else "feature"
        (low, high), genre_choices = _KINDS[kind]
        genres = tuple(dict.fromkeys(rng.choice(genre_choices) for _ in range(rng.randint(1, 3))))
        cast, crew = self.h._credits(rng, kind, own.release.year)
        unknown = _UNKNOWN_SHORTS if t.type == "short" else 0.005
        return _BodyFilm(
            year=own.release.year + 1,
            index=j,
            kind=kind,
            title=t.title,
            original_title=t.original_title,
            release=own.release,
            country=own.country,
            country_name=own.country_name,
            language=own.language,
            runtime=rng.randint(low, high) if t.type != "tvMovie" else rng.randint(80, 100),
            genres=genres,
            color=own.release.year >= 1955 or rng.random() < 0.3,
            in_tmdb=rng.random() >= unknown,
            in_omdb=rng.random() >= 0.005,
            rating=round(rng.uniform(5.2, 8.4), 1),
            votes=int(rng.lognormvariate(7.5, 1.5)) + 20,
            cast=cast,
            crew=crew,
            imdb=t.imdb_id,
            tmdb=_TMDB_BASE + (year - 1900) * 100_000 + self._number[key] * 2_700 + j + 1,
            title_type=t.type,
        )

    # -- series ---------------------------------------------------------------------------

    def _started(self, year: int) -> tuple[_Series, ...]:
        """The series that started in `year` (television from 1949 on)."""
        found = self._series.get(year)
        if found is not None:
            return found
        rng = self.h._rng("series", year)
        count = round(50 * min(1.0, max(0.0, (year - 1948) / 50)))
        used: set[str] = set()
        out = []
        for k in range(count):
            genre = rng.choices(_GENRES_TV, _GENRE_WEIGHTS)[0]
            mini = genre == "mini"
            title = _unique(rng, _SERIES_SHAPES if rng.random() < 0.5 else _TITLE_SHAPES, used)
            number = (year - 1900) * 100_000 + 1_000 + k * 37 + SERIES_SLOT
            people: set[int] = set()
            keys: set[tuple[str, str]] = set()
            cast = self.h._draw_for_film(rng, "Acting", year, 8, people, keys)
            crew = []
            for job, department in _SERIES_CREW:
                for p in self.h._draw_for_film(rng, department, year, 1, people, keys):
                    crew.append((p, job))
            out.append(
                _Series(
                    title=Title(
                        f"tt{number:07d}",
                        title,
                        title,
                        "tvMiniSeries" if mini else "tvSeries",
                        "series",
                    ),
                    tv_id=1 + (year - 1900) * 1_000 + k,
                    genre=genre,
                    first=year,
                    last=year if mini else year + min(12, int(rng.expovariate(0.3))),
                    fame=rng.lognormvariate(0, 0.8),
                    country="GB" if rng.random() < 0.35 else "US",
                    cast=tuple(cast),
                    crew=tuple(crew),
                )
            )
        self._series[year] = tuple(out)
        return self._series[year]

    def active_series(self, year: int) -> list[_Series]:
        return [
            s
            for start in range(max(1949, year - 12), year + 1)
            for s in self._started(start)
            if s.last >= year
        ]

    def series_result(self, series: _Series) -> dict:
        rng = self.h._rng("tmdb-tv", series.title.imdb_id)
        return {
            "adult": False,
            "backdrop_path": _image_path(rng),
            "id": series.tv_id,
            "name": series.title.title,
            "original_name": series.title.title,
            "overview": f"A {series.genre} series.",
            "poster_path": _image_path(rng),
            "media_type": "tv",
            "original_language": "en",
            "genre_ids": [_TV_GENRE_IDS[series.genre]],
            "popularity": round(rng.uniform(1, 200), 3),
            "first_air_date": date(series.first, 1, 1).replace(day=rng.randint(1, 28)).isoformat(),
            "vote_average": round(rng.uniform(5.5, 8.8), 1),
            "vote_count": rng.randint(10, 9000),
            "origin_country": [series.country],
        }

    def series_omdb(self, series: _Series) -> dict:
        years = str(series.first) if series.first == series.last else f"{series.first}–"
        if series.last < LAST_EDITION_YEAR:
            years = f"{series.first}–{series.last}" if series.last > series.first else years
        return {
            "Title": series.title.title,
            "Year": years,
            "Type": "series",
            "totalSeasons": str(series.last - series.first + 1),
            "Actors": ", ".join(self.h._person(p).name for p in series.cast[:3]),
            "imdbID": series.title.imdb_id,
            "Response": "True",
        }

    # -- the page ---------------------------------------------------------------------

    def _html(self, body: AwardBody, year: int, instance: int) -> str:
        edition = self.edition(body.key, year, instance)
        return _page(self, edition)


_TMDB_BASE = 2_000_000
_GENRES_TV = ("drama", "comedy", "mini", "factual", "ent", "soap", "news")
_GENRE_WEIGHTS = (0.3, 0.27, 0.16, 0.1, 0.08, 0.03, 0.06)
_TV_GENRE_IDS = {
    "drama": 18,
    "comedy": 35,
    "mini": 18,
    "factual": 99,
    "ent": 10764,
    "soap": 10766,
    "news": 10763,
}
_SERIES_SHAPES = (
    "The {noun}",
    "{place}",
    "{first}",
    "{adj} {noun}s",
    "The {noun}s",
    "{place} {noun}",
    "Life on {place}",
    "{first} and {first2}",
)
_SERIES_CREW = (
    ("Director", "Directing"),
    ("Writer", "Writing"),
    ("Director of Photography", "Camera"),
    ("Editor", "Editing"),
    ("Costume Design", "Costume & Make-Up"),
    ("Production Design", "Art"),
    ("Original Music Composer", "Sound"),
    ("Sound Re-Recording Mixer", "Sound"),
)
_SERIES_ROLES = {
    "series_director": "Director",
    "series_writer": "Writer",
    "series_camera": "Director of Photography",
    "series_editor": "Editor",
    "series_costume": "Costume Design",
    "series_art": "Production Design",
    "series_composer": "Original Music Composer",
    "series_sound": "Sound Re-Recording Mixer",
}


@dataclass(frozen=True)
class _BodyFilm(_Film):
    """A film an award body's edition made: _Film with the ids of its edition."""

    imdb: str = ""
    tmdb: int = 0
    title_type: str = "movie"

    @property
    def imdb_id(self) -> str:
        return self.imdb

    @property
    def tmdb_id(self) -> int:
        return self.tmdb


def _decode(imdb_id: str) -> tuple[int, int, int] | None:
    """(year, position, slot) of a synthetic id; slot 0 is the Academy's."""
    if not (imdb_id.startswith("tt") and imdb_id[2:].isdigit()):
        return None
    number = int(imdb_id[2:])
    offset = number % 100_000 - 1_000
    if offset < 0:
        return None
    return 1900 + number // 100_000, offset // 37, offset % 37


def _own_id(year: int, number: int, j: int) -> str:
    return f"tt{(year - 1900) * 100_000 + 1_000 + j * 37 + number + 1:07d}"


def _stable(*what: object) -> int:
    return int(hashlib.md5(":".join(map(str, what)).encode()).hexdigest()[:12], 16)


# -- building an edition ----------------------------------------------------------------

_FESTIVAL_PREMIERES = ("cannes", "venice", "berlin", "sundance", "locarno", "sxsw")


@dataclass
class _Pool:
    titles: list[Title] = field(default_factory=list)
    series: list[_Series] = field(default_factory=list)


class _Builder:
    """One edition: its pools of films and series, then every award of its program."""

    def __init__(self, bodies: SyntheticBodies, body: AwardBody, year: int, instance: int):
        self.b, self.h, self.body = bodies, bodies.h, body
        self.year, self.instance = year, instance
        self.profile = _profile(body)
        self.festival = self.profile.style == "festival"
        # An academy's edition honours the films of the year before (Critics Choice's
        # December edition of 2016, those of its own year).
        self.film_year = year if self.festival or instance > 1 else year - 1
        self.ceremony = self.film_year + 1  # the Oscar ceremony of the same films
        self.time = _time(body, self.profile, year, instance)
        self.own: dict[int, _Own] = {}
        self.used: set[str] = set()
        self.titles_used: set[str] = set()
        self.pools: dict[str, _Pool] = {}
        self.sizes: dict[str, int] = {}
        self._debut_used: set[str] = set()
        self._season: dict[tuple[str, str], list[Title]] = {}

    # -- the program ------------------------------------------------------------------

    def build(self) -> Edition:
        specs = [
            s for s in self.b._programs[self.body.key] if s.first <= self.year <= s.last
        ] + self._minor()
        # Pool sizes first: a section's line-up is its largest listed size.
        sized = {}
        for spec in specs:
            size = self._size(spec)
            sized[id(spec)] = size
            self.sizes[spec.pool] = max(self.sizes.get(spec.pool, 0), size)
        if not self.festival:  # dramas and comedies are views of the contenders
            views = ("main", "drama", "comedy")
            self.sizes["main"] = max(self.sizes.get(v, 0) for v in views) or 1
        start, end = self._dates()
        # Prizes are given at the end: an edition not over by `today` lists its line-ups.
        awarded = (self.body.key, self.year, self.instance) not in NO_WINNERS
        awarded = awarded and end <= self.b.today
        categories = []
        for spec in specs:
            rng = self.h._rng("spec", self.body.key, self.year, self.instance, spec.award,
                              spec.category, spec.role)  # fmt: skip
            nominations = self._nominations(spec, sized[id(spec)], rng)
            if nominations:
                categories.append((spec, nominations))
        if not awarded:
            # Only the line-ups are listed, without winners: the prizes are not given yet.
            lineups = [(spec, n) for spec, n in categories if len(n) > 1] or categories
            categories = [(spec, [replace(x, won=False) for x in n]) for spec, n in lineups]
        awards: dict[str, list[Category]] = {}
        for spec, nominations in categories:
            text = self._award_text(spec.award)
            awards.setdefault(text, []).append(Category(spec.category, tuple(nominations)))
        self.b._owns[(self.body.key, self.year, self.instance)] = self.own
        return Edition(
            body=self.body,
            year=self.year,
            instance=self.instance,
            start=start,
            end=end,
            awards=tuple(
                Award(text, _award_id(self.body.imdb_event_id, text), tuple(categories))
                for text, categories in awards.items()
            ),
            awarded=awarded,
        )

    def _award_text(self, text: str) -> str:
        renamed = _RENAMED.get((self.body.key, text))
        return renamed[1] if renamed and self.year >= renamed[0] else text

    def _minor(self) -> list[_Spec]:
        count = round(self.profile.minor * _ramp(self.year) ** 2)
        if not count:
            return []
        own = {spec.award for spec in self.b._programs[self.body.key]}
        minor = [m for m in _MINOR if m[0] not in own]
        order = sorted(minor, key=lambda m: _stable(self.h.seed, self.body.key, m[0]))
        sections = self.profile.sections or (("competition", "Competition"),)
        out = []
        for award, role, naming, size, *lineup in order[:count]:
            rng = self.h._rng("minor", self.body.key, self.year, award)
            if naming == "s":
                chosen = rng.sample(sections, rng.randint(1, min(3, len(sections))))
            else:
                chosen = [(rng.choice(sections)[0], None)]
            for pool, category in chosen:
                spec_size = (max(1, size - 2), size) if size > 1 else (1, 1)
                pool = lineup[0] if lineup else pool
                out.append(_Spec(award, category, role, pool, spec_size, 0, FOREVER, "1"))
        return out

    def _size(self, spec: _Spec) -> int:
        low, high = spec.size
        size = self.h._rng("size", self.body.key, self.year, spec.award, spec.category).randint(
            low, high
        )
        if self.festival:
            if size >= 3 and spec.winners != "all":
                size = max(3, round(size * (0.55 + 0.45 * _ramp(self.year))))
            return size
        if spec.winners == "all":
            return size
        if self.year < self.profile.winners_only_before:
            return 1
        if self.body.key == "golden_globes" and self.year >= 2023 and size == 5:
            return 6
        return size

    def _dates(self) -> tuple[date, date]:
        rng = self.h._rng("dates", self.body.key, self.year, self.instance)
        month = 12 if self.instance > 1 else self.body.month
        start = date(self.year, month, rng.randint(1, 20))
        if self.festival:
            return start, start + timedelta(rng.randint(7, 11))
        start += timedelta((6 - start.weekday()) % 7)  # a Sunday evening
        return start, start

    # -- nominations ------------------------------------------------------------------

    def _nominations(self, spec: _Spec, size: int, rng: random.Random) -> list[Nomination]:
        role = spec.role
        if role in ("career", "rising"):
            honours = [self._career(spec, rng) for _ in range(size)]
            winners = self._winners(spec, size, rng)
            return [replace(n, won=k in winners) for k, n in enumerate(honours)]
        if role.startswith(("series", "game")) or role == "longform":
            return self._television(spec, size, rng)
        pool = self._pool(spec.pool)
        if self.festival and size > 1:
            # A section's line-up: its films, in the section's order.
            picked = pool.titles[:size]
        elif self.festival:
            picked = [self._prize_pick(pool, rng)]
        else:
            picked = self._contenders(pool.titles, size, role, rng)
        if role == "tribute":
            return [self._nomination("director" if rng.random() < 0.5 else "lead_any", [t], rng,
                                     won=True) for t in picked]  # fmt: skip
        winners = self._winners(spec, len(picked), rng)
        out = []
        taken: set[int] = set()
        songs: set[str] = set()
        for k, title in enumerate(picked):
            titles = [title]
            if self.festival and size == 1 and rng.random() < 0.02 and len(pool.titles) > 1:
                # Ex aequo: two films in one nomination.
                other = rng.choice([t for t in pool.titles if t.imdb_id != title.imdb_id])
                titles.append(other)
            n = self._nomination(role, titles, rng, won=k in winners, taken=taken, songs=songs)
            taken.update(n.people)
            out.append(n)
        if self.festival and size == 1 and rng.random() < 0.04 and len(pool.titles) > 1:
            # A shared prize: a second winner of the same prize.
            other = self._prize_pick(pool, rng)
            if other.imdb_id != picked[0].imdb_id:
                out.append(self._nomination(role, [other], rng, won=True, taken=taken))
        return out

    def _winners(self, spec: _Spec, count: int, rng: random.Random) -> set[int]:
        if spec.winners == "0" or not count:
            return set()
        if spec.winners == "all" or count == 1:
            return set(range(count))
        winner = rng.randrange(count)
        if rng.random() < 0.015:  # a tie
            return {winner, (winner + 1) % count}
        return {winner}

    def _prize_pick(self, pool: _Pool, rng: random.Random) -> Title:
        # Juries favour the top of a section's line-up, not only its first film.
        weights = [1 / (i + 2) for i in range(len(pool.titles))]
        return rng.choices(pool.titles, weights)[0]

    def _contenders(self, titles: list[Title], size: int, role: str, rng) -> list[Title]:
        """`size` of a season's contenders, the most prominent most likely (as the
        Oscars' categories pick: weight 1 / (rank + 1) ** prominence)."""
        prominence = 0.0 if role == "picture" else _PROMINENCE.get(role, 0.6)
        if role == "picture":
            return titles[:size]
        order = sorted(range(len(titles)), key=lambda j: -(rng.random() ** ((j + 1) ** prominence)))
        return [titles[j] for j in sorted(order[:size])]

    def _film(self, title: Title) -> _Film:
        if title.oscar:
            return self.h._film_of(title.imdb_id)
        j = _decode(title.imdb_id)[1]
        where = (self.body.key, self.year, self.instance, j)
        own = self.own.get(j)
        if own is not None and own.title.imdb_id == title.imdb_id:
            return self.b._film_record(where, own)
        return self.b.film(title.imdb_id)  # a traveller from another edition

    def _nomination(self, role, titles, rng, won, taken=None, songs=None) -> Nomination:
        taken = taken or set()
        first = self._film(titles[0])
        notes = None
        companies: tuple[str, ...] = ()
        if role == "lead_any":
            role = rng.choice(("lead_male", "lead_female"))
        elif role == "supporting_any":
            role = rng.choice(("supporting_male", "supporting_female"))
        if role in ("title", "film", "company"):
            directors = [self._film(t).credited("Director")[:2] for t in titles]
            people = [] if role == "film" else list(dict.fromkeys(sum(directors, [])))
            if role == "company" or rng.random() < 0.01:
                companies = (rng.choice(_DISTRIBUTORS + _COMPANIES),)
            if role == "film" and titles[0].kind == "international":
                notes = first.country_name
            return Nomination(won, False, tuple(people), tuple(titles), notes, companies)
        if role == "ensemble":
            cast = [p for p, _ in first.cast[: rng.randint(6, 12)]]
            return Nomination(won, False, tuple(cast), tuple(titles))
        if role == "debut":
            people = first.credited("Director", "Screenplay", "Writer")[:2]
            return Nomination(won, True, tuple(people), tuple(titles))
        people = self.h._nominees(
            "producers" if role == "picture" else role, self.film_year, first, rng, taken
        )
        person = role.startswith(("lead_", "supporting_")) or role in ("director", "writers")
        if role == "songwriters":
            song = _unique(rng, _SONG_SHAPES, songs if songs is not None else set())
            notes = f'For "{song}"'
            person = True
        elif role == "composer":
            person = True
        if not people:  # a film without the credit: the director stands in
            people = first.credited("Director")[:1]
        return Nomination(won, person, tuple(people), tuple(titles), notes)

    def _career(self, spec: _Spec, rng: random.Random) -> Nomination:
        department = rng.choice(("Acting", "Acting", "Directing", "Production"))
        # A career award honours someone of decades ago, a rising star someone new.
        person = self.h._draw(rng, department, self.year - (25 if spec.role == "career" else 0))
        notes = rng.choice(_CITATIONS) if spec.role == "career" and rng.random() < 0.4 else None
        return Nomination(True, True, (person,), (), notes)

    # -- television ---------------------------------------------------------------------

    def _television(self, spec: _Spec, size: int, rng: random.Random) -> list[Nomination]:
        pool = self._pool(spec.pool)
        role = spec.role
        if role in ("game", "game_performer"):
            picked = self._contenders(pool.titles, size, "picture" if role == "game" else "", rng)
            out = []
            for title in picked:
                game = self._film(title)
                if role == "game":
                    people = tuple(game.credited("Director")[:1])
                    out.append(Nomination(False, False, people, (title,)))
                else:
                    actor = game.cast[rng.randrange(0, 3)][0]
                    out.append(Nomination(False, True, (actor,), (title,)))
            winners = self._winners(spec, len(out), rng)
            return [replace(n, won=k in winners) for k, n in enumerate(out)]
        entries: list[_Series | Title] = [*pool.series, *pool.titles]
        entries.sort(key=lambda e: -self._tv_rank(e))
        prominence = 0.0 if role in ("series", "longform") else 0.8
        order = sorted(
            range(len(entries)), key=lambda j: -(rng.random() ** ((j + 1) ** prominence))
        )
        picked = [entries[j] for j in sorted(order[:size])]
        winners = self._winners(spec, len(picked), rng)
        out = []
        taken: set[int] = set()
        for k, entry in enumerate(picked):
            won = k in winners
            if isinstance(entry, Title):  # a film made for television
                if role in ("series", "longform"):
                    out.append(self._nomination("film", [entry], rng, won))
                else:
                    acting = role.removeprefix("series_").replace("lead_any", "lead_male")
                    if acting not in _PROMINENCE:
                        acting = "director"
                    out.append(self._nomination(acting, [entry], rng, won, taken=taken))
                    taken.update(out[-1].people)
                continue
            series = entry
            if role in ("series", "longform"):
                creators = tuple(p for p, job in series.crew if job == "Writer")
                out.append(Nomination(won, False, creators, (series.title,)))
            elif role == "series_ensemble":
                out.append(
                    Nomination(won, False, series.cast[: rng.randint(5, 8)], (series.title,))
                )
            elif role in _SERIES_ROLES:
                people = tuple(p for p, job in series.crew if job == _SERIES_ROLES[role])
                out.append(Nomination(won, True, people, (series.title,)))
            else:
                person = self._series_actor(series, role, rng, taken)
                taken.add(person)
                out.append(Nomination(won, True, (person,), (series.title,)))
        return out

    def _series_actor(self, series: _Series, role: str, rng, taken: set[int]) -> int:
        if role.endswith("_any"):
            gender = rng.choice((1, 2))
        else:
            gender = 2 if role.endswith("_male") else 1
        billed = series.cast[:3] if "_lead_" in role else series.cast[2:]
        alike = [p for p in billed if self.h._person(p).gender == gender and p not in taken]
        return (alike or [p for p in billed if p not in taken] or list(series.cast))[0]

    def _tv_rank(self, entry) -> float:
        if isinstance(entry, Title):
            return 0.5 + _stable(self.h.seed, "tv-rank", entry.imdb_id) % 1000 / 1000
        home = "GB" if self.body.key == "bafta" else "US"
        noise = (
            0.7 + _stable(self.h.seed, self.body.key, self.year, entry.title.imdb_id) % 600 / 1000
        )
        return entry.fame * noise * (3.0 if entry.country == home else 1.0)

    # -- pools ------------------------------------------------------------------------

    def _pool(self, name: str) -> _Pool:
        pool = self.pools.get(name)
        if pool is not None:
            return pool
        pool = _Pool()
        self.pools[name] = pool
        rng = self.h._rng("pool", self.body.key, self.year, self.instance, name)
        listed = self.sizes.get(name, 1)
        if not self.festival and name in ("drama", "comedy"):
            # Views of the season's contenders: a film is a drama or a comedy.
            main = self._pool("main")
            view = [t for t in main.titles if t.comedy == (name == "comedy")]
            for _ in range(40):
                if len(view) >= max(2 * listed, listed + 3):
                    break
                t = self._slot(name, rng)
                main.titles.append(t)
                if t.comedy == (name == "comedy"):
                    view.append(t)
            pool.titles = view
            return pool
        if name.startswith("tv_") and name not in ("tv_single", "tv_single_docs"):
            pool.series = self._series_pool(name, listed)
            if name == "tv_limited":
                count = max(2, listed)
                pool.titles = [self._slot("tv_single", rng) for _ in range(count)]
            return pool
        if self.festival:
            # A listed section shows its line-up; an unlisted one (a prize's section)
            # a program of its own the prizes pick from.
            count = listed if listed > 1 else rng.randint(6, 10)
        else:
            count = max(8, round(listed * 2.5)) if listed > 1 else 8
        if name == "games":
            count = listed + 2
        pool.titles = [self._slot(name, rng) for _ in range(count)]
        return pool

    def _series_pool(self, name: str, listed: int) -> list[_Series]:
        genres = {
            "tv_drama": ("drama",),
            "tv_comedy": ("comedy",),
            "tv_limited": ("mini",),
            "tv_mini": ("mini",),
            "tv_any": ("drama", "comedy", "mini"),
            "tv_factual": ("factual",),
            "tv_ent": ("ent",),
            "tv_soap": ("soap",),
            "tv_news": ("news",),
        }[name]
        active = [s for s in self.b.active_series(self.film_year) if s.genre in genres]
        active = [s for s in active if s.genre != "mini" or s.first == self.film_year]
        active.sort(key=lambda s: -self._tv_rank(s))
        return active[: max(3 * listed, 8)]

    def _slot(self, pool: str, rng: random.Random) -> Title:
        """One film of a pool: an Oscar film of the season, a film of an earlier
        festival of the season, or a film of the edition's own."""
        kind, title_type = self._kind(pool, rng)
        profile = self.profile
        oscar_share = profile.oscar
        if pool in ("galas", "headliners", "program", "main") and self.festival:
            oscar_share = max(oscar_share, 0.25)
        if pool in ("british", "canadian", "polish", "shorts_swiss") or title_type != "movie":
            oscar_share = 0.0 if title_type != "short" else oscar_share / 2
        if pool == "classics":
            return self._classic(rng)
        if pool.startswith("debut") and self.festival:
            listed = [t for p, q in self.pools.items() if p != pool and not p.startswith(
                ("shorts", "docs", "tv_", "classics")) for t in q.titles if t.imdb_id not in
                self._debut_used]  # fmt: skip
            if listed and rng.random() < 0.6:
                pick = rng.choice(listed)
                self._debut_used.add(pick.imdb_id)
                return pick
        r = rng.random()
        if r < oscar_share:
            found = self._oscar_film(kind, pool, rng)
            if found is not None:
                return found
        elif r < oscar_share + profile.travel and title_type in ("movie", "tvMovie"):
            found = self._traveller(kind, title_type, rng)
            if found is not None:
                return found
        return self._new_own(pool, kind, title_type, rng)

    def _kind(self, pool: str, rng: random.Random) -> tuple[str, str]:
        """(synthetic.py film kind, IMDb titleType) of a new film of a pool."""
        if pool == "games":
            return "game", "videoGame"
        if pool == "tv_single":
            return "feature", "tvMovie"
        if pool == "tv_single_docs":
            return "documentary", "tvMovie"
        if pool.startswith("shorts"):
            if "anim" in pool:
                return "animated_short", "short"
            if "docs" in pool:
                return "documentary_short", "short"
            kind = rng.choices(("live_short", "animated_short", "documentary_short"), (6, 2, 2))
            return kind[0], "short"
        if pool.startswith("docs"):
            return "documentary", "movie"
        if pool.startswith("anim"):
            return "animated", "movie"
        if pool in ("foreign", "polish") or pool.startswith("world_"):
            return "international", "movie"
        if pool.startswith("us_") or pool in ("british", "canadian", "family"):
            return "feature", "movie"
        if not self.festival:
            if pool == "comedy" or pool == "drama" or pool == "main":
                return "feature", "movie"
        foreign = rng.random() < self.profile.foreign
        return ("international" if foreign else "feature"), "movie"

    def _oscar_film(self, kind: str, pool: str, rng) -> Title | None:
        """An Oscar film of the season's ceremony: awards pools take them in the
        Academy's order of prominence, festivals those premiering with them."""
        films = self.h._own(self.ceremony).films
        if kind.endswith("short"):
            match = [f for f in films if f.kind.endswith("short")]
        else:
            match = [f for f in films if f.kind == kind]
        if pool == "comedy":
            match = [f for f in match if 35 in f.genres] or match
        elif pool == "drama":
            match = [f for f in match if 35 not in f.genres] or match
        if self.festival and self.body.key in _FESTIVAL_PREMIERES:
            premieres = [b for b in _FESTIVAL_PREMIERES if b in self.b._by_key]
            match = [
                f
                for f in match
                if premieres[_stable(self.h.seed, "premiere", f.imdb_id) % len(premieres)]
                == self.body.key
            ]
        free = [f for f in match if f.imdb_id not in self.used]
        if not free:
            return None
        film = free[0] if not self.festival else rng.choice(free)
        self.used.add(film.imdb_id)
        return _oscar_title(film)

    def _classic(self, rng: random.Random) -> Title:
        """A restored classic: an Oscar film of decades ago (of a ceremony of a year
        ending in 0 or 5: few ceremonies to generate for a handful of films)."""
        for _attempt in range(20):
            films = self.h._own(5 * rng.randint(387, max(388, (self.year - 25) // 5))).films
            film = rng.choice(films)
            if film.imdb_id not in self.used and film.kind in ("feature", "international"):
                self.used.add(film.imdb_id)
                return _oscar_title(film)
        return self._new_own("classics", "feature", "movie", rng)

    def _traveller(self, kind: str, title_type: str, rng) -> Title | None:
        """A film an earlier edition of the season made (another body's)."""
        season = self._season.get((kind, title_type))
        if season is None:
            season = []
            for other in self.b.bodies:
                if other.key == self.body.key:
                    continue
                for year in (self.film_year, self.film_year + 1):
                    for instance in (1, 2):
                        when = _time(other, _profile(other), year, instance)
                        if when[0] != self.film_year or when >= self.time:
                            continue
                        if self.b.edition(other.key, year, instance) is None:
                            continue
                        for own in self.b._owns[(other.key, year, instance)].values():
                            if own.title.kind == kind and own.title.type == title_type:
                                season.append(own.title)
            self._season[(kind, title_type)] = season
        candidates = [t for t in season if t.imdb_id not in self.used]
        if not candidates:
            return None
        pick = rng.choice(candidates)
        self.used.add(pick.imdb_id)
        return pick

    def _new_own(self, pool: str, kind: str, title_type: str, rng) -> Title:
        j = len(self.own) + (SECOND_INSTANCE if self.instance > 1 else 0)
        number = self.b._number[self.body.key]
        imdb_id = _own_id(self.year, number, j)
        title = _unique(rng, _TITLE_SHAPES, self.titles_used)
        if kind == "international":
            eligible = [c for c in _COUNTRIES if c[3] <= max(self.film_year, 1957) and
                        self.film_year <= c[4]]  # fmt: skip
            name, iso, language = (*rng.choice(eligible)[:3],)
            original = _foreign_title(rng)
        else:
            iso, language, original = _home(self.body.key, pool, rng), "en", title
            name = _COUNTRY_NAMES[iso]
        if pool == "polish":
            name, iso, language = "Poland", "PL", "pl"
        if self.festival:
            start, _ = self._dates()
            release = min(date(self.film_year, 12, 31), start + timedelta(rng.randrange(200)))
        else:
            release = date(self.film_year, 1, 1) + timedelta(rng.randrange(365))
        comedy = pool == "comedy" or (pool != "drama" and rng.random() < 0.25)
        t = Title(imdb_id, title, original, title_type, kind, comedy=comedy)
        self.own[j] = _Own(t, release, iso, name, language)
        self.used.add(imdb_id)
        return t


_COUNTRY_NAMES = {
    "US": "United States of America",
    "GB": "United Kingdom",
    "CA": "Canada",
    "CH": "Switzerland",
    "AU": "Australia",
}


def _home(key: str, pool: str, rng: random.Random) -> str:
    if pool in ("british",) or key == "bafta" and pool.startswith("shorts"):
        return "GB"
    if pool == "canadian":
        return "CA"
    if pool == "shorts_swiss":
        return "CH"
    return rng.choices(("US", "GB", "CA", "AU"), (70, 18, 7, 5))[0]


def _oscar_title(film: _Film) -> Title:
    kind = "short" if film.kind.endswith("short") else "movie"
    return Title(
        film.imdb_id, film.title, film.original_title, kind, film.kind, True, 35 in film.genres
    )


def _time(body: AwardBody, profile: _Profile, year: int, instance: int) -> tuple:
    """When an edition happens in its season: (film year, held, body): editions borrow
    films only from earlier ones, so generation never loops."""
    if profile.style == "festival":
        return (year, (year, body.month), body.key)
    if instance > 1:
        return (year, (year, 12), body.key)
    return (year - 1, (year, body.month), body.key)


def _award_id(event_id: str, text: str) -> str:
    return f"aw{_stable(event_id, text) % 10_000_000:07d}"


def _edition_id(event_id: str, year: int, instance: int) -> str:
    # A permutation of (event, year, instance): distinct editions, distinct ids.
    x = int(event_id[2:]) * 1_000 + (year - 1900) * 3 + instance
    return f"ee{x * 7919 % 10_000_000:07d}"


# -- the page ---------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html><html lang="en-US" xmlns:og="http://opengraphprotocol.org/schema/" xmlns:fb="http://www.facebook.com/2008/fbml"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{title} - IMDb</title><meta name="description" content="Award-winners and contenders from {title}" data-id="main"><link rel="canonical" href="https://www.imdb.com/event/{event}/{year}/{instance}/"><meta property="og:url" content="https://www.imdb.com/event/{event}/{year}/{instance}/"><meta property="og:site_name" content="IMDb"><meta property="og:title" content="{title} - IMDb"><meta property="og:type" content="website"></head><body id="styleguide-v2" class="fixed"><div id="__next"><main role="main"><section class="ipc-page-section"><h1 class="ipc-title__text">{name}</h1><h2 class="ipc-title__text">{year} Awards</h2></section></main></div><script id="__NEXT_DATA__" type="application/json">{next_data}</script><script type="text/javascript">
window.ue_ibe = (window.ue_ibe || 0) + 1;
</script></body></html>"""  # noqa: E501


def _event_name(body: AwardBody) -> str:
    return _profile(body).event_name or body.name


def _date(d: date) -> dict:
    components = {"day": d.day, "month": d.month, "year": d.year, "__typename": "DateComponents"}
    text = f"{_MONTHS[d.month - 1]} {d.day}, {d.year}"
    return {
        "dateComponents": components,
        "displayableProperty": {
            "value": {"plaidHtml": text, "__typename": "Markdown"},
            "__typename": "DisplayableDateProperty",
        },
        "__typename": "DisplayableDate",
    }


def _page(bodies: SyntheticBodies, edition: Edition) -> str:
    h = bodies.h
    body, year, instance = edition.body, edition.year, edition.instance
    event_id = body.imdb_event_id
    rng = h._rng("imdb-body", event_id, year, instance)
    cursor = iter(range(rng.randrange(1_000_000, 9_000_000), 10**8, 7))

    def title(t: Title, typed: bool) -> dict:
        out = {
            "id": t.imdb_id,
            "titleText": {"text": t.title, "__typename": "TitleText"},
            "originalTitleText": {"text": t.original_title, "__typename": "TitleText"},
        }
        if typed:
            out["titleType"] = {"id": t.type, "__typename": "TitleType"}
        return {"title": {**out, "__typename": "Title"}, "__typename": "AwardTitle"}

    def company(name: str) -> dict:
        ident = f"co{_stable('company', name) % 10_000_000:07d}"
        return {
            "company": {
                "id": ident,
                "companyText": {"text": name, "__typename": "CompanyText"},
                "__typename": "Company",
            },
            "__typename": "AwardCompany",
        }

    def node(n: Nomination) -> dict:
        names = [h._imdb_name(p) for p in n.people]
        companies = [company(c) for c in n.companies] or None
        if n.person:
            entities = {
                "awardNames": names,
                "secondaryAwardTitles": [title(t, False) for t in n.titles] or None,
                "secondaryAwardCompanies": companies,
                "__typename": "AwardedNames",
            }
        else:
            entities = {
                "awardTitles": [title(t, True) for t in n.titles],
                "secondaryAwardNames": names or None,
                "secondaryAwardCompanies": companies,
                "__typename": "AwardedTitles",
            }
        return {
            "isWinner": n.won,
            "notes": {"plainText": n.notes, "__typename": "Markdown"} if n.notes else None,
            "forEpisodes": None,
            "awardedEntities": entities,
            "__typename": "Nomination",
        }

    def category(c: Category) -> dict:
        nodes = [node(n) for n in c.nominations]
        # IMDb lists the winners first, the others in no particular order.
        nodes.sort(key=lambda n: not n["isWinner"])
        connection = {
            "total": len(nodes),
            "edges": [{"node": n, "__typename": "NominationEdge"} for n in nodes],
            "pageInfo": {
                "hasNextPage": False,
                "endCursor": base64.b64encode(f"an{next(cursor):07d}".encode()).decode(),
                "__typename": "PageInfo",
            },
            "__typename": "NominationConnection",
        }
        text = {"text": c.name, "__typename": "AwardCategory"} if c.name else None
        return {
            "node": {"category": text, "nominations": connection,
                     "__typename": "NominationsWithCategory"},
            "__typename": "NominationsWithCategoryEdge",
        }  # fmt: skip

    awards = [
        {
            "text": a.text,
            "id": a.award_id,
            "nominationCategories": {
                "edges": [category(c) for c in a.categories],
                "__typename": "NominationsWithCategoryConnection",
            },
            "__typename": "NominationAward",
        }
        for a in edition.awards
    ]
    name = _event_name(body)
    profile = _profile(body)
    date_range = {
        "startDate": _date(edition.start),
        "endDate": _date(edition.end),
        "__typename": "DisplayableDateRange",
    }
    event = {
        "name": {"text": name, "__typename": "NominationEventName"},
        "location": (
            {"text": profile.location, "__typename": "DisplayableLocation"}
            if profile.location
            else None
        ),
        "__typename": "NominationEvent",
    }
    history = [
        {
            "year": y,
            "id": _edition_id(event_id, y, i),
            "instanceWithinYear": i,
            "__typename": "NominationEventEdition",
        }
        for y, i in reversed(bodies.editions(body.key))
    ]
    page_props = {
        "eventName": name,
        "editionInfo": {
            "year": year,
            "id": _edition_id(event_id, year, instance),
            "instanceWithinYear": instance,
            "dateRange": date_range,
            "event": event,
            "__typename": "NominationEventEdition",
        },
        "edition": {"awards": awards},
        "historyEventEditions": history,
        "eventLinks": [],
        "eventAkas": [],
        "eventDateRange": date_range,
        "requestContext": request_context(event_id, year, instance),
        "urqlState": None,
        "fetchState": None,
        "referrer": "https://www.google.com/",
    }
    data = {
        "props": {"pageProps": page_props, "__N_SSP": True},
        "page": "/event/[evconst]/[year]/[instance]",
        "query": {"evconst": event_id, "year": str(year), "instance": str(instance)},
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
    heading = f"{name} ({year})"
    return _PAGE.format(
        title=escape(heading),
        name=escape(name),
        event=event_id,
        year=year,
        instance=instance,
        next_data=_json(data).replace("</", "<\\/"),
    )
