"""Write transactions that behave the same on SQLite and PostgreSQL, retried on conflicts.

SQLite: Python's sqlite3 module only opens a transaction at the first INSERT/UPDATE/DELETE,
so a read-check-write sequence would read outside the transaction. ``BEGIN IMMEDIATE``
takes the single write lock first; concurrent writers then queue on the busy timeout that
``make_engine`` sets, and every check reads the latest committed data.

PostgreSQL: transactions stay READ COMMITTED; the operations lock the proposal rows they
depend on (``FOR SHARE``/``FOR UPDATE``), and the unique constraints settle the remaining
races. The loser of such a race gets a unique violation, a deadlock or a serialization
failure; the whole operation is then rolled back and run again on fresh data, so every
operation behaves as if the operations had run one after another.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

logger = logging.getLogger(__name__)

T = TypeVar("T")

ATTEMPTS = 10
# SQLSTATEs worth retrying: serialization failure, deadlock, lock not available.
_RETRY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
_UNIQUE_VIOLATION = "23505"


def is_retryable(exc: DBAPIError) -> bool:
    """Whether a database error means "lost a race; run again" rather than a bug."""
    state = getattr(exc.orig, "sqlstate", None)
    if state is not None:
        return state in _RETRY_SQLSTATES or state == _UNIQUE_VIOLATION
    message = str(exc.orig).lower()
    if isinstance(exc, IntegrityError):
        return "unique constraint failed" in message
    if isinstance(exc, OperationalError):
        return "database is locked" in message or "database is busy" in message
    return False


def begin_write(session: Session) -> None:
    """Start a write transaction on ``session`` (on SQLite: take the write lock now)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    dbapi = connection.connection.dbapi_connection
    if dbapi is not None and not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def write(session: Session, work: Callable[[Session], T], what: str) -> T:
    """Run ``work`` in a write transaction and commit, retrying if it lost a race.

    ``session`` must have no pending changes; it is committed (or rolled back) here.
    ``what`` names the operation in the logs.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            begin_write(session)
            result = work(session)
            session.commit()
            return result
        except DBAPIError as exc:
            session.rollback()
            if attempt == ATTEMPTS or not is_retryable(exc):
                raise
            logger.debug("%s: retry %d after %s", what, attempt, type(exc.orig).__name__)
            # Jittered backoff so the losers of one race don't collide again in lockstep.
            time.sleep(random.uniform(0, 0.005 * 2**attempt))
        except BaseException:
            session.rollback()
            raise
    raise AssertionError("unreachable")
