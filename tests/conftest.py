from __future__ import annotations

import pytest

ENGINES = ["durable", "reference"]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Every decision test runs on the durable_rules engine and on the reference evaluator."""
    return request.param
