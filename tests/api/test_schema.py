"""The OpenAPI schema is valid and names every endpoint of the read API."""

import yaml
from django.urls import URLPattern, get_resolver
from openapi_spec_validator import validate

from tests.api.conftest import ApiClient, personal_secret

# Addresses of the API that are not endpoints of the schema: the schema itself, its
# documentation page and the catch-all that answers 404 as problem details.
NOT_ENDPOINTS = {"schema", "docs", "not-found"}


def _api_patterns() -> dict[str, str]:
    """Each named endpoint of the API as the schema writes its path."""
    resolver = get_resolver()
    found = {}
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) != "api":
            continue
        for inner in pattern.url_patterns:
            if isinstance(inner, URLPattern) and inner.name not in NOT_ENDPOINTS:
                route = str(inner.pattern)
                for converter in ("slug:", "int:"):
                    route = route.replace("<" + converter, "{")
                found[inner.name] = "/api/" + route.replace(">", "}")
    return found


def _schema(user) -> dict:
    response = ApiClient(personal_secret(user)).get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi(coordinator):
    schema = _schema(coordinator)
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_every_endpoint_is_in_the_schema(coordinator):
    paths = _schema(coordinator)["paths"]
    endpoints = _api_patterns()
    assert len(endpoints) >= 18
    missing = {name: path for name, path in endpoints.items() if path not in paths}
    assert missing == {}
    # And the schema describes nothing that is not an endpoint.
    assert set(paths) == set(endpoints.values())


def test_every_operation_is_a_read_with_token_security_and_problem_errors(coordinator):
    schema = _schema(coordinator)
    for path, operations in schema["paths"].items():
        assert set(operations) - {"parameters"} == {"get"}, path
        get = operations["get"]
        assert {"apiToken": []} in get["security"], path
        for status in ("401", "404", "405"):
            problem = get["responses"][status]["content"]["application/problem+json"]
            assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}, path
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_schema_needs_a_token(db):
    from django.test import Client

    response = Client().get("/api/v1/schema/")
    assert response.status_code == 401
