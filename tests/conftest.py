from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from villagepolicy.engine import ENGINES

# Hypothesis profiles: `ci` (the default) runs a few hundred examples per property; `nightly`
# (HYPOTHESIS_PROFILE=nightly) runs 25x more; `dev` is quick. No deadlines: tests are never timed.
_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", max_examples=200, print_blob=True, **_COMMON)
settings.register_profile("nightly", max_examples=5000, print_blob=True, **_COMMON)
settings.register_profile("dev", max_examples=30, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Every decision test runs on the durable_rules engine and on the reference evaluator."""
    return request.param
