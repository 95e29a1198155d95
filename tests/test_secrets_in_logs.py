"""The run-wide log watch (tests/conftest.py) really catches a leaked secret."""

from __future__ import annotations

import logging

from tests.conftest import SECRETS, _AllRecords


def test_the_watch_flags_a_record_with_a_secret_and_passes_clean_ones():
    watch = _AllRecords()
    watch.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("leak-check")
    logger.propagate = False
    logger.addHandler(watch)
    try:
        logger.info("posted to %s", "C123")
        assert watch.leaks == []
        logger.warning("Authorization: Bearer %s", SECRETS[0])
        assert len(watch.leaks) == 1 and "leak-check" in watch.leaks[0]
    finally:
        logger.removeHandler(watch)
