"""Two real transactions at once on PostgreSQL, the way concurrent runs meet.

Each test starts the project's own writers in two threads, each in a plain
transaction (no retry: a deadlock or a foreign-key race would surface as an error),
released together by a barrier and repeated, and checks both finished with the right
data.
"""

from __future__ import annotations

import copy
import json
import threading
import time

import pytest
from sqlalchemy import text

from cinegraph_assets.ceremonies import imdb_store as ceremony_store
from cinegraph_assets.ceremonies.imdb_parser import parse_event_page
from cinegraph_assets.ceremonies.matcher import match_ceremony
from cinegraph_assets.db import DatabaseResource
from cinegraph_assets.movies import collaboration_store
from cinegraph_assets.movies import store as movie_store
from cinegraph_assets.raw_pages import latest_page
from cinegraph_assets.tmdb import records as tmdb_records
from cinegraph_assets_tests.helpers import materialize_year, resources, scalar
from cinegraph_dev.sample_upstream.server import DATA

pytestmark = pytest.mark.postgres
ROUNDS = 5
OPPENHEIMER, BARBIE = "tt15398776", "tt1517268"
MURPHY_TMDB = 2037  # Cillian Murphy's TMDb person id


@pytest.fixture
def pg(pg_url) -> DatabaseResource:
    return DatabaseResource(url=pg_url)


def _details(tmdb_id: int) -> dict:
    return json.loads((DATA / f"tmdb/3/movie/{tmdb_id}.json").read_text())


def _both(first, second) -> None:
    """Run two units of work at once, each in a transaction of its own; raise what
    either raised."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(work, db):
        try:
            barrier.wait()
            with db.transaction() as conn:
                work(conn)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=w) for w in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    if errors:
        raise errors[0]


def _year_writer(db: DatabaseResource, year: int):
    """The write of imdb_enhanced_nominees for a year, from the stored pages."""
    with db.transaction() as conn:
        ceremony, nominations = ceremony_store.read_oscars_nominations(conn, year)
        url = conn.execute(
            text("SELECT url FROM raw_pages WHERE url LIKE :u"),
            {"u": f"%/event/ev0000003/{year}/1/"},
        ).scalar()
        page = latest_page(conn, url)
    edition = parse_event_page(page.body, url=page.url)
    match = match_ceremony(nominations, edition.nominations, awarded=bool(ceremony["awarded"]))
    return lambda conn: ceremony_store.write_imdb_enhancement(
        conn, year, match, edition, page, page.url
    )


def _movie_writer(imdb_id: str, details: dict):
    movie = tmdb_records.parse_movie(details)
    return lambda conn: movie_store.write_tmdb_movie(conn, imdb_id, movie)


def _year_2024(upstream, pg, instance):
    materialize_year("2024", resources(upstream, pg), instance)


def test_year_and_movie_writers_of_shared_people_both_finish(upstream, pg, instance):
    """Case 1: a year re-linking its nominees while movie runs write those people's
    credits and TMDb ids (they locked shared people rows in different orders)."""
    _year_2024(upstream, pg, instance)
    year = _year_writer(pg, 2024)
    movies = [(OPPENHEIMER, _details(872585)), (BARBIE, _details(346698))]

    def all_movies(conn):
        for imdb_id, details in movies:
            _movie_writer(imdb_id, details)(conn)

    for _ in range(ROUNDS):
        _both((year, pg), (all_movies, pg))
    # One human, one row; every nominee of the two films is its TMDb person.
    assert scalar(pg, "SELECT count(*) FROM people WHERE name = 'Cillian Murphy'") == 1
    assert scalar(pg, "SELECT count(*) FROM people WHERE imdb_id = 'nm0614165' "
                      "AND tmdb_id = 2037") == 1  # fmt: skip
    credits = sum(len({c["credit_id"] for k in ("cast", "crew") for c in d["credits"][k]})
                  for _, d in movies)  # fmt: skip
    assert scalar(pg, "SELECT count(*) FROM movie_credits") == credits
    assert (
        scalar(
            pg,
            "SELECT count(*) FROM festival_nomination_people np "
            "LEFT JOIN people p ON p.id = np.person_id WHERE p.id IS NULL",
        )
        == 0
    )


def test_the_year_writer_never_waits_for_a_movie_write_using_its_nominees(upstream, pg, instance):
    """Case 1 at its root: a movie transaction inserting a credit of a nominee holds a
    FOR KEY SHARE lock on that person's row. The year writer used to upsert nominees
    with ON CONFLICT DO UPDATE, a FOR UPDATE lock that waits for it (and, the other way
    round, deadlocked). Now it takes no lock on existing people rows at all."""
    _year_2024(upstream, pg, instance)
    year = _year_writer(pg, 2024)
    holder = pg.engine().connect()
    holder_tx = holder.begin()
    holder.execute(text(
        "INSERT INTO movie_credits (movie_id, person_id, credit_id, credit_type) "
        "SELECT m.id, p.id, 'held-credit', 'cast' FROM movies m, people p "
        "WHERE m.imdb_id = :m AND p.imdb_id = 'nm0614165'"
    ), {"m": OPPENHEIMER})  # fmt: skip
    try:
        with pg.transaction() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '3s'"))
            year(conn)
    finally:
        holder_tx.rollback()
        holder.close()
    assert scalar(pg, "SELECT count(*) FROM festival_nomination_people np JOIN people p "
                      "ON p.id = np.person_id WHERE p.imdb_id = 'nm0614165'") == 1  # fmt: skip


def _murphy_film(number: int) -> dict:
    """A film (tt000000<number>) crediting Cillian Murphy alone."""
    other = copy.deepcopy(_details(872585))
    other.update(id=9_999_000 + number, imdb_id=f"tt000000{number}", title=f"Film {number}")
    other["credits"] = {
        "cast": [
            {**c, "credit_id": f"film{number}-" + c["credit_id"]}
            for c in other["credits"]["cast"]
            if c["id"] == MURPHY_TMDB
        ],
        "crew": [],
    }
    return other


def _murphy_known_from_another_film(pg) -> None:
    """Cillian Murphy is already a TMDb person from a film he was not nominated for."""
    with pg.transaction() as conn:
        _movie_writer("tt0000001", _murphy_film(1))(conn)


def _waiting(pg) -> int:
    """Sessions of this database waiting for a lock."""
    with pg.transaction() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
        ).scalar()


def _until(condition) -> None:
    for _ in range(500):
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("the sessions never reached the expected state")


def test_a_person_merge_and_a_year_linking_that_person_both_finish(upstream, pg, instance):
    """Case 2: the year re-links its nominees (it has read Cillian Murphy's IMDb-only
    row) while a movie write folds that row into his TMDb person and deletes it.

    A third session holds the year's film links, so the year stops between reading the
    people and writing their links; the merge runs into that gap (or, with the writers'
    lock, waits for the year to finish)."""
    _year_2024(upstream, pg, instance)
    _murphy_known_from_another_film(pg)
    year, merge = _year_writer(pg, 2024), _movie_writer(OPPENHEIMER, _details(872585))
    errors: list[BaseException] = []

    def run(work):
        try:
            with pg.transaction() as conn:
                work(conn)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    holder = pg.engine().connect()
    holder_tx = holder.begin()
    holder.execute(text("SELECT 1 FROM festival_nomination_movies FOR UPDATE"))
    year_thread = threading.Thread(target=run, args=(year,))
    merge_thread = threading.Thread(target=run, args=(merge,))
    try:
        year_thread.start()
        _until(lambda: _waiting(pg) >= 1)
        merge_thread.start()
        _until(lambda: not merge_thread.is_alive() or _waiting(pg) >= 2)
    finally:
        holder_tx.commit()
        holder.close()
    for t in (year_thread, merge_thread):
        t.join(timeout=120)
    if errors:
        raise errors[0]
    assert scalar(pg, "SELECT count(*) FROM people WHERE name = 'Cillian Murphy'") == 1
    assert scalar(pg, "SELECT count(*) FROM festival_nomination_people np "
                      "JOIN people p ON p.id = np.person_id "
                      "WHERE p.imdb_id = 'nm0614165' AND p.tmdb_id = 2037") == 1  # fmt: skip


def test_two_imdb_ids_of_one_tmdb_film_keep_one_set_of_credits(upstream, pg, instance):
    """Case 4: TMDb resolves two IMDb ids to one film; both are written at once."""
    details = _details(872585)  # TMDb's own record names tt15398776
    twin = "tt99999999"
    for _ in range(ROUNDS):
        _both((_movie_writer(OPPENHEIMER, details), pg), (_movie_writer(twin, details), pg))
        _both(
            (lambda conn: collaboration_store.rebuild_collaborations(conn, OPPENHEIMER), pg),
            (lambda conn: collaboration_store.rebuild_collaborations(conn, twin), pg),
        )
        owners = scalar(pg, "SELECT string_agg(imdb_id, ',') FROM movies WHERE tmdb_id = 872585")
        assert owners == OPPENHEIMER
        credits = len({c["credit_id"] for k in ("cast", "crew") for c in details["credits"][k]})
        assert scalar(pg, "SELECT count(*) FROM movie_credits") == credits
        assert (
            scalar(
                pg,
                "SELECT count(*) FROM movie_credits mc JOIN movies m "
                "ON m.id = mc.movie_id WHERE m.imdb_id = :t",
                t=twin,
            )
            == 0
        )
        # The film counts once in every pair.
        assert scalar(pg, "SELECT max(collaboration_count) FROM collaborations") == 1
        assert scalar(pg, "SELECT count(DISTINCT movie_id) FROM collaboration_details") == 1
    # Written again in the other order, nothing moves (idempotent).
    with pg.transaction() as conn:
        _movie_writer(twin, details)(conn)
        _movie_writer(OPPENHEIMER, details)(conn)
    assert scalar(pg, "SELECT string_agg(imdb_id, ',') FROM movies WHERE tmdb_id = 872585") == (
        OPPENHEIMER
    )


def _open_write(pg, work):
    """work done in a transaction left open: (connection, transaction)."""
    conn = pg.engine().connect()
    tx = conn.begin()
    try:
        work(conn)
    except BaseException:
        tx.rollback()
        conn.close()
        raise
    return conn, tx


def test_a_tmdb_write_waits_for_one_in_progress_that_shares_a_person(upstream, pg, instance):
    """Case 5: another film's open write has just created Cillian Murphy's TMDb person;
    Oppenheimer's write, which would claim his IMDb-named nominee row as that same TMDb
    person, waits for that commit (IDENTITY) and then merges the two (had it not waited,
    it would not see the new row and claim the nominee as a second one)."""
    _year_2024(upstream, pg, instance)
    errors: list[BaseException] = []

    def oppenheimer():
        try:
            with pg.transaction() as conn:
                _movie_writer(OPPENHEIMER, _details(872585))(conn)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    other = _murphy_film(1)
    holder, holder_tx = _open_write(pg, _movie_writer("tt0000001", other))
    thread = threading.Thread(target=oppenheimer)
    try:
        thread.start()
        _until(lambda: _waiting(pg) >= 1)
        assert thread.is_alive()
    finally:
        holder_tx.commit()
        holder.close()
    thread.join(timeout=120)
    if errors:
        raise errors[0]
    assert scalar(pg, "SELECT count(*) FROM people WHERE name = 'Cillian Murphy'") == 1
    assert scalar(pg, "SELECT count(*) FROM people WHERE imdb_id = 'nm0614165' "
                      "AND tmdb_id = 2037") == 1  # fmt: skip
