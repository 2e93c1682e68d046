"""The served OpenAPI schema (/api/v1/openapi.json, every app's router from apps.core.sections): every operation
documents its 401, 403, 404 and 422 answers (apps.core.api.document_errors), so that a client knows every status
it may get and schemathesis can hold the API to its schema. An operation added later is covered without an edit."""

import pytest

from apps.core.api import ERROR_ANSWERS, METHODS


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_the_schema_lists_every_apps_operations(schema):
    paths = set(schema["paths"])
    assert len(list(operations(schema))) >= 20
    assert any(p.startswith("/api/v1/imports") for p in paths) and any(p.startswith("/api/v1/students") for p in paths)


def test_every_operation_documents_its_error_answers(schema):
    missing = {
        name: sorted(set(ERROR_ANSWERS) - set(operation.get("responses", {}))) for name, operation in operations(schema)
    }
    assert {name: codes for name, codes in missing.items() if codes} == {}


def test_each_error_answer_has_the_shape_the_api_gives(schema, client):
    """An error as the API gives it (here 401: not signed in) has the documented shape: {"detail": "..."}."""
    body = client.get("/api/v1/imports/999999999").json()
    documented = schema["components"]["schemas"]["ErrorDetail"]
    assert set(documented["required"]) <= set(body) and isinstance(body["detail"], str)


def test_a_path_the_api_converters_refuse_answers_the_documented_json_404(client):
    """Schemathesis found these as HTML: a negative id never reaches django-ninja (apps.core.views.not_found)."""
    response = client.post("/api/v1/imports/-1/confirm")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
    assert client.get("/no-such-page/").headers["Content-Type"].startswith("text/html")


def test_a_hamlet_number_in_superscript_is_read_not_a_server_error(db, client_for, cast):
    """Schemathesis found it: "³" is a digit to str.isdigit but not to int() (apps.orgunits.names.hamlet_key)."""
    from apps.orgunits.names import hamlet_key

    assert hamlet_key("Thôn ³")
    response = client_for(cast.teacher_b).get("/api/v1/orgunits/resolve", {"q": "Thôn ³, Xã Trà Linh"})
    assert response.status_code < 500


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("q=%00", id="a NUL in a value (apps.core.middleware.reject_nul_bytes)"),
        pytest.param("limit=%00", id="a NUL in a number"),
        pytest.param("&".join(f"f{n}=1" for n in range(1100)), id="more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS"),
    ],
)
def test_a_query_string_refused_before_the_api_answers_its_documented_json_400(schema, client_for, cast, query):
    """Schemathesis found these as HTML 400 pages on the lists (funds, orgunits, indicators/values): a query string
    Django or a middleware refuses before django-ninja sees it. Every list of the schema is asked (a later one
    joins without an edit), signed in, as the schema documents: 400, `{"detail": "…"}`."""
    client = client_for(cast.province_officer)
    lists = [path for path, methods in schema["paths"].items() if "get" in methods and "{" not in path]
    assert len(lists) >= 5
    answers = {path: client.get(f"{path}?{query}") for path in lists}
    wrong = {
        path: (r.status_code, r.headers["Content-Type"])
        for path, r in answers.items()
        if r.status_code != 400 or not r.headers["Content-Type"].startswith("application/json")
    }
    assert wrong == {}
    assert all(isinstance(r.json()["detail"], str) for r in answers.values())


def schema_models(annotation, found: set) -> set:
    """Every pydantic model an annotation names, with those its fields name in turn."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                schema_models(field.annotation, found)
    for argument in getattr(annotation, "__args__", ()):
        schema_models(argument, found)
    return found


def test_no_two_answer_schemas_share_a_name():
    """Schemathesis found it: the plans' and the targets' `TargetOut` were one component of the OpenAPI schema (the
    last one read wins), so `/api/v1/targets/` was documented with the plans' fields. Two models any operation answers
    with share a name only when they document the same shape (the imports' and the retention's `Problem`)."""
    import json

    from dentruong.api import api

    models = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in (operation.response_models or {}).values():
                    schema_models(model, models)
    by_name = {}
    for model in models - {m for m in models if m.__name__ == "NinjaResponseSchema"}:  # ninja's wrappers, inlined
        shape = json.dumps(model.model_json_schema(), sort_keys=True)
        by_name.setdefault(model.__name__, {}).setdefault(shape, []).append(f"{model.__module__}.{model.__qualname__}")
    assert {name: sorted(sum(shapes.values(), [])) for name, shapes in by_name.items() if len(shapes) > 1} == {}
