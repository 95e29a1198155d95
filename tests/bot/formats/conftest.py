"""Hypothesis for the importers' property tests: the project's profile."""

from __future__ import annotations

import tests.support.hypothesis_profile  # noqa: F401 - registers and loads the profile
