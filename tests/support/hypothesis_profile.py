"""The project's Hypothesis profiles, registered once for every property test: a modest
number of examples, so the whole suite stays fast, no example database left in the work
tree, and no deadline (a slow or loaded CI machine is not a bug)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "awair",
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# HYPOTHESIS_PROFILE=thorough runs many more, by hand, when changing a parser or an importer.
settings.register_profile("thorough", parent=settings.get_profile("awair"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "awair"))
