"""`make run` serves the site from SQLite. Two requests that read and then write at the same moment
(a double click on Save) must both get their turn, never "database is locked" (a 500): with
settings.SQLITE_OPTIONS each request's transaction takes the write lock when it begins and waits for
it. Tried on a real database file, one connection per thread, as the development server runs."""

import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

ALIAS = "sqlite_writers_probe"


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    def configure(options: dict) -> None:
        connections.settings[ALIAS] = connections.configure_settings({
            "default": connections.settings["default"],
            ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "site.sqlite3"),
                    "OPTIONS": dict(options)}})[ALIAS]
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS saved (n INTEGER)")
        connections[ALIAS].close()

    with django_db_blocker.unblock():
        yield configure
        connections[ALIAS].close()
    del connections[ALIAS]  # this thread's connection object, made with this test's file name
    del connections.settings[ALIAS]


def _two_requests_read_then_write() -> list:
    """Each thread: begin, read, wait (up to a deadline) until the other has read too, then write."""
    both_have_read = threading.Barrier(2)
    outcomes: list = [None, None]

    def request(i: int) -> None:
        try:
            with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM saved")
                try:
                    # With IMMEDIATE the other request is still waiting to begin: go on after the deadline.
                    both_have_read.wait(timeout=2)
                except threading.BrokenBarrierError:
                    pass
                cursor.execute("INSERT INTO saved (n) VALUES (%s)", [i])
            outcomes[i] = "saved"
        except OperationalError as error:
            outcomes[i] = str(error)
        finally:
            connections[ALIAS].close()

    threads = [threading.Thread(target=request, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _rows() -> int:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM saved")
        return cursor.fetchone()[0]


def test_two_writes_at_once_both_succeed_with_the_site_settings(sqlite_file):
    sqlite_file(settings.SQLITE_OPTIONS)
    assert _two_requests_read_then_write() == ["saved", "saved"]
    assert _rows() == 2


def test_without_immediate_transactions_the_second_write_fails_with_database_is_locked(sqlite_file):
    # Why the setting exists: SQLite's default (deferred) transactions let both requests read, then
    # refuse the second one's write at once instead of letting it wait.
    sqlite_file({**settings.SQLITE_OPTIONS, "transaction_mode": None})
    outcomes = _two_requests_read_then_write()
    assert sorted(outcomes) == ["database is locked", "saved"]
    assert _rows() == 1
