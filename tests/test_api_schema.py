"""Schemathesis over the app's own OpenAPI schema: no operation may answer with a 5xx.

The app is called in-process (ASGI) over the lexical-only seed index from
``web_fixtures``. Only ``not_a_server_error`` is checked: 4xx answers to
generated nonsense are fine, a 500 is a bug.

``schemathesis.pytest.from_fixture`` (the lazy loader) writes ``request.node._nodeid``,
which pytest 9 no longer has, so each operation gets its own pytest case here and
drives the operation's Hypothesis strategy itself. ``test_every_operation_is_covered``
keeps the list below in step with the schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from web_fixtures import Site, seed_site  # noqa: F401  (fixture used by name)

OPERATIONS = [
    ("GET", "/api/search"),
    ("GET", "/api/ask"),
    ("POST", "/api/ask"),
    ("GET", "/api/documents"),
    ("GET", "/api/documents/{doc_id}"),
    ("GET", "/api/documents/{doc_id}/relations"),
    ("GET", "/api/tasks"),
    ("GET", "/healthz"),
    ("POST", "/api/admin/reindex"),  # 404 while no admin key is set: still never a 5xx
    ("PUT", "/api/admin/documents/{name}"),
]


@pytest.fixture(scope="module")
def api_schema(seed_site: Site) -> schemathesis.BaseSchema:  # noqa: F811
    return schemathesis.openapi.from_asgi("/openapi.json", seed_site.app)


def test_every_operation_is_covered(api_schema: schemathesis.BaseSchema) -> None:
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    # The web pages are in the schema only if they opt in; every API operation must be listed above.
    assert {op for op in found if op[1].startswith(("/api", "/healthz"))} == set(OPERATIONS)


# Negative cases (inputs that break the schema) exist only where there is a parameter or
# body whose type or bounds can be broken; a bare path or a free string cannot be.
NEGATABLE = {("GET", "/api/search"), ("GET", "/api/ask"), ("POST", "/api/ask"), ("GET", "/api/tasks")}
CASES = [(m, p, GenerationMode.POSITIVE) for m, p in OPERATIONS] + [
    (m, p, GenerationMode.NEGATIVE) for m, p in OPERATIONS if (m, p) in NEGATABLE
]


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=[f"{m} {p} {g.value}" for m, p, g in CASES])
def test_no_operation_answers_with_a_server_error(
    api_schema: schemathesis.BaseSchema, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    check()
