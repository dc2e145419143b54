"""Hypothesis profiles for the hostile-input properties, and the ``slow`` marker.

``HYPOTHESIS_PROFILE=fuzz`` runs each property with many more examples (20,000: minutes, not
seconds; ``HOSTILE_EXAMPLES=N`` sets the number for test_properties.py); the default keeps
the suite fast.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz",
    max_examples=20_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
    settings.load_profile("fuzz")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes more than ten seconds")
