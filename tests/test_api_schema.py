"""Schemathesis over the app's own OpenAPI schema: no operation may answer with a 5xx.

The app is called in-process (ASGI) over the lexical-only seed index from
``web_fixtures``. Only ``not_a_server_error`` is checked: 4xx answers to
generated nonsense are fine, a 500 is a bug.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from web_fixtures import Site, seed_site  # noqa: F401  (fixture used by name)


@pytest.fixture(scope="module")
def api_schema(seed_site: Site):  # noqa: F811
    return schemathesis.openapi.from_asgi("/openapi.json", seed_site.app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case) -> None:
    case.call_and_validate(checks=[not_a_server_error])
