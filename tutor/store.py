"""The learner's record in SQLite: sessions and their steps, bookmarks, known terms.

One file (locations.database_path(), under TUTOR_HOME) shared by the app and `tutor chat`, possibly running at
the same time: WAL mode lets readers and a writer proceed together, every write is its own short
`BEGIN IMMEDIATE` transaction, and a busy database is waited for and retried, so two processes lose nothing.

The file is the user's: it is never deleted, replaced or "repaired". A damaged file raises StoreError saying
which file and what to do; `Store.open(read_only=True)` then salvages whatever rows still read.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .learning_path import Step, utc_now

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5_000
LOCK_WAIT_SECONDS = 60.0
_SALVAGE_BLOCK = 256
_T = TypeVar("_T")

# MIGRATIONS[n] takes a database from version n to n + 1; a new file runs them all, so every path is exercised.
MIGRATIONS: dict[int, str] = {
    0: """
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (0);
        CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, title TEXT);
        CREATE TABLE steps (id INTEGER PRIMARY KEY AUTOINCREMENT,
                            session_id INTEGER NOT NULL REFERENCES sessions(id),
                            term_id TEXT NOT NULL, via TEXT NOT NULL, question TEXT, from_term TEXT,
                            at TEXT NOT NULL);
        CREATE INDEX steps_by_session ON steps (session_id, id);
    """,
    # v2: the side of a followed relation (v1 steps keep NULL: unknown, read as "out"), bookmarks, known terms.
    1: """
        ALTER TABLE steps ADD COLUMN direction TEXT CHECK (direction IN ('out', 'in'));
        CREATE TABLE bookmarks (term_id TEXT PRIMARY KEY, at TEXT NOT NULL);
        CREATE TABLE known (term_id TEXT PRIMARY KEY, at TEXT NOT NULL);
    """,
}
_STEP_COLUMNS = ("session_id", "term_id", "via", "question", "from_term", "direction", "at")


class StoreError(Exception):
    """The database cannot be used; the message names the file and what to do.

    Attributes:
        salvageable: True when the file is damaged but SQLite can still open it, so `Store.open(read_only=True)`
            may recover part of it.
    """

    def __init__(self, message: str, salvageable: bool = False):
        super().__init__(message)
        self.salvageable = salvageable


@dataclass(frozen=True)
class SessionInfo:
    """One session as listed by `tutor sessions`."""

    id: int
    started: str
    steps: int
    first_question: str | None
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "started": self.started, "title": self.title, "steps": self.steps,
                "first_question": self.first_question}


class Store:
    """An open tutor database. Thread-safe (one connection behind a lock); close() it, or use `with`."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: bool):
        self._conn = conn
        self.path = path
        self.read_only = read_only
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, read_only: bool = False) -> Store:
        """Open (creating and migrating if needed) the database; read_only salvages a damaged file instead."""
        from .locations import database_path

        path = Path(path) if path is not None else database_path()
        if read_only and not path.is_file():
            raise StoreError(f"{path}: no such database")
        try:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
            if read_only and not path.with_name(path.name + "-wal").exists():
                uri += "&immutable=1"  # nobody is writing it: read it without leaving -wal/-shm files beside it
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the tutor database ({exc}); check that the folder exists "
                             "and is writable, or set TUTOR_HOME to another folder") from exc
        store = cls(conn, path, read_only)
        try:
            store._prepare()
        except BaseException:
            conn.close()
            raise
        return store

    def _prepare(self) -> None:
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a tutor database, or damaged beyond reading ({exc}). "
                             f"{self._aside()}") from exc
        try:
            version = self._version()
        except sqlite3.DatabaseError as exc:
            raise self._failure(exc) from exc
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer tutor (schema version {version}; this one knows up "
                             f"to {SCHEMA_VERSION}). Upgrade tutor, or set TUTOR_HOME to use another folder")
        if self.read_only:
            return
        self._check_intact()
        self._retrying(lambda: self._conn.execute("PRAGMA journal_mode = WAL").fetchone())
        self._conn.execute("PRAGMA synchronous = NORMAL")  # a crashed app loses nothing; a power cut, the last steps
        self._conn.execute("PRAGMA foreign_keys = ON")
        if version < SCHEMA_VERSION:
            self._write(self._migrate)

    def _version(self) -> int:
        tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_version" not in tables:
            if tables - {"sqlite_sequence"}:
                raise StoreError(f"{self.path}: an SQLite database, but not a tutor one (it has no schema_version "
                                 "table); set TUTOR_HOME to another folder")
            return 0
        return int(self._conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)

    def _check_intact(self) -> None:
        try:
            problems = [r[0] for r in self._conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise StoreError(f"{self.path}: the tutor database is damaged ({'; '.join(problems)}); `tutor "
                             f"sessions` and `tutor export` still read what survives. {self._aside()}",
                             salvageable=True)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = self._version()  # again, inside the write lock: another process may have migrated meanwhile
        while version < SCHEMA_VERSION:
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
            version += 1
            conn.execute("UPDATE schema_version SET version = ?", (version,))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------------------------------

    def start_session(self, title: str | None = None) -> int:
        return self._write(lambda c: c.execute("INSERT INTO sessions (started, title) VALUES (?, ?)",
                                               (utc_now(), title)).lastrowid)

    def record(self, session_id: int, step: Step) -> None:
        """Append a step to a session (its order is the order of recording)."""
        values = (session_id, step.term_id, step.via, step.question, step.from_term, step.direction, step.at)
        try:
            self._write(lambda c: c.execute(f"INSERT INTO steps ({', '.join(_STEP_COLUMNS)}) VALUES "
                                            f"({', '.join('?' * len(values))})", values))
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{self.path}: there is no session {session_id} to record into") from exc

    def bookmark(self, term_id: str, on: bool = True) -> None:
        self._flag("bookmarks", term_id, on)

    def mark_known(self, term_id: str, on: bool = True) -> None:
        self._flag("known", term_id, on)

    def _flag(self, table: str, term_id: str, on: bool) -> None:
        if on:
            self._write(lambda c: c.execute(f"INSERT OR IGNORE INTO {table} (term_id, at) VALUES (?, ?)",
                                            (term_id, utc_now())))
        else:
            self._write(lambda c: c.execute(f"DELETE FROM {table} WHERE term_id = ?", (term_id,)))

    # -- reading ------------------------------------------------------------------------------------------------

    def sessions(self) -> list[SessionInfo]:
        """Every session, oldest first, with its number of steps and first question."""
        counts: dict[int, int] = {}
        firsts: dict[int, str] = {}
        for session_id, question in self._rows("steps", ("session_id", "question")):
            counts[session_id] = counts.get(session_id, 0) + 1
            if question and session_id not in firsts:
                firsts[session_id] = question
        found = [SessionInfo(sid, started, counts.get(sid, 0), firsts.get(sid), title)
                 for sid, started, title in self._rows("sessions", ("id", "started", "title"))]
        listed = {s.id for s in found}
        orphans = [SessionInfo(sid, "", n, firsts.get(sid)) for sid, n in counts.items() if sid not in listed]
        return sorted(found + orphans, key=lambda s: s.id)  # orphans: steps whose session row was unreadable

    def steps(self, session_id: int) -> list[Step]:
        """A session's steps in the order they were taken (rows this version cannot read are skipped)."""
        steps = []
        for row in self._rows("steps", _STEP_COLUMNS[1:], "session_id = ?", (session_id,)):
            try:
                steps.append(Step(*row))
            except (TypeError, ValueError):
                continue
        return steps

    def latest_session(self) -> int | None:
        """The newest session with at least one step (opening the app and quitting leaves an empty one)."""
        with_steps = [s.id for s in self.sessions() if s.steps]
        return with_steps[-1] if with_steps else None

    def bookmarks(self) -> list[str]:
        """Bookmarked term ids, in the order they were bookmarked."""
        return [row[0] for row in self._rows("bookmarks", ("term_id",))]

    def known(self) -> set[str]:
        return {row[0] for row in self._rows("known", ("term_id",))}

    def _rows(self, table: str, columns: tuple[str, ...], where: str = "1",
              params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows in insertion (rowid) order; read-only, a table or column an older file lacks reads as empty."""
        with self._lock:
            try:
                present = {r[1] for r in self._conn.execute(f"PRAGMA table_info({table})")}
            except sqlite3.DatabaseError as exc:
                raise self._failure(exc) from exc
            if not present:
                return []
            select = ", ".join(c if c in present else "NULL" for c in columns)
            if self.read_only:
                return self._salvage(table, select, where, params)
            sql = f"SELECT {select} FROM {table} WHERE {where} ORDER BY rowid"
            return self._retrying(lambda: self._conn.execute(sql, params).fetchall())

    def _salvage(self, table: str, select: str, where: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Read a damaged table by rowid ranges, halving any range that fails: only unreadable pages are lost."""
        top = 0  # the last rowid; if the table's right edge is damaged, AUTOINCREMENT's record of it
        for sql in (f"SELECT max(rowid) FROM {table}", f"SELECT seq FROM sqlite_sequence WHERE name = '{table}'"):
            try:
                top = (self._conn.execute(sql).fetchone() or (0,))[0] or 0
                break
            except sqlite3.DatabaseError:
                continue
        rows: list[tuple[Any, ...]] = []
        pending = [(lo, min(lo + _SALVAGE_BLOCK - 1, top)) for lo in range(1, top + 1, _SALVAGE_BLOCK)][::-1]
        while pending:
            lo, hi = pending.pop()
            try:
                rows += self._conn.execute(f"SELECT {select} FROM {table} NOT INDEXED WHERE rowid BETWEEN ? AND ? "
                                           f"AND ({where}) ORDER BY rowid", (lo, hi, *params)).fetchall()
            except sqlite3.DatabaseError:
                if lo < hi:
                    mid = (lo + hi) // 2
                    pending += [(mid + 1, hi), (lo, mid)]
        return rows

    # -- transactions -------------------------------------------------------------------------------------------

    def _write(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `work` in its own short write transaction, waiting out other writers."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only to salvage it; nothing can be written")
        return self._retrying(lambda: self._transaction(work))

    def _transaction(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(self._conn)
            self._conn.execute("COMMIT")
            return result
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def _retrying(self, action: Callable[[], _T]) -> _T:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        pause = 0.01
        with self._lock:
            while True:
                try:
                    return action()
                except sqlite3.IntegrityError:
                    raise
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc) or time.monotonic() > deadline:
                        raise self._failure(exc) from exc
                    time.sleep(pause)
                    pause = min(pause * 2, 0.5)
                except sqlite3.DatabaseError as exc:
                    raise self._failure(exc) from exc

    def _failure(self, exc: sqlite3.Error) -> StoreError:
        if _is_busy(exc):
            return StoreError(f"{self.path}: the tutor database stayed locked for {LOCK_WAIT_SECONDS:.0f}s "
                              "(another tutor is busy with it); try again")
        return StoreError(f"{self.path}: {exc}. {self._aside()}", salvageable="malformed" in str(exc))

    def _aside(self) -> str:
        return (f"The file was left untouched: move it aside (e.g. rename it to {self.path.name}.broken) and the "
                "tutor will start a new one")


def _is_busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)

