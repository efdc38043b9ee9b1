"""The OpenAPI document: one Python class behind each schema name, every endpoint's error answers
documented, and the API checked against it by schemathesis (bounded and deterministic)."""

import json
import typing

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from pydantic import BaseModel
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from sinergi.api import api
from tests import personas
from tests.api.test_api import token_for


def _models_in(annotation) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def schema_classes() -> dict[str, set[type]]:
    """Each schema name the document can use, with the classes behind it: the models of every
    operation's request and responses and, recursively, of their fields. (ninja's own wrappers
    around them are not components; their fields' models are.)"""
    found: dict[str, set[type]] = {}
    stack = []
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                wrappers = [*operation.models, *(m for m in operation.response_models.values() if isinstance(m, type))]
                for wrapper in wrappers:
                    for info in wrapper.model_fields.values():
                        stack.extend(_models_in(info.annotation))
    seen = set()
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        found.setdefault(model.__name__, set()).add(model)
        for info in model.model_fields.values():
            stack.extend(_models_in(info.annotation))
    return found


def test_every_schema_name_maps_to_one_class():
    classes = schema_classes()
    assert "ReportOut" in classes and len(classes) > 20
    clashes = {name: sorted(f"{c.__module__}.{c.__qualname__}" for c in found) for name, found in classes.items() if len(found) > 1}
    assert clashes == {}


@pytest.mark.django_db
def test_reports_me_is_documented_with_its_own_schema():
    schema = Client().get("/api/v1/openapi.json").json()
    ref = schema["paths"]["/api/v1/reports/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(component["properties"]) == {"station_id", "station", "election", "time_zone"}


@pytest.mark.django_db
def test_every_endpoint_documents_its_error_answers():
    schema = Client().get("/api/v1/openapi.json").json()
    missing = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            expected = {"401", "403", "404", "422"} | ({"409"} if method in {"post", "put", "patch", "delete"} else set())
            if lacking := expected - set(operation["responses"]):
                missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
            for status in expected & set(operation["responses"]):
                assert "application/json" in operation["responses"][status].get("content", {}), f"{method} {path} {status}"
    assert missing == []
    conflict = schema["components"]["schemas"]["Conflict"]
    assert set(conflict["properties"]) == {"detail", "fields", "state"}  # state: an incident's, docs/incidents.md


# --- schemathesis over the whole schema ---------------------------------------------------------

# What the schema promises: no server error, only documented statuses, the documented content
# type and body. (Not "valid data is accepted": a persona may rightly be refused 403 or 404.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# The schema as the application builds it (no HTTP needed to read it); requests go to the WSGI
# application in-process. JSON round trip: the document as a client reads it (string status keys).
document = json.loads(json.dumps(api.get_openapi_schema(), default=str))
sinergi_schema = schemathesis.openapi.from_dict(document)


@pytest.fixture
def staff_token(db):
    return token_for(personas.BAWASLU_STAFF)


@pytest.fixture
def connections_kept():
    """As Django's test Client does: the WSGI app must not close the database connection at the end
    of a request, which would end the test's transaction (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@sinergi_schema.parametrize()
@hypothesis_settings(
    max_examples=4, derandomize=True, deadline=None, database=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck)
)
def test_the_api_answers_as_its_schema_says(case, staff_token, connections_kept):
    from sinergi.wsgi import application

    case.call_and_validate(app=application, headers={"Authorization": f"Bearer {staff_token}"}, checks=CHECKS)
