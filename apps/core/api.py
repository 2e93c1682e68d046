"""Shared pieces of the JSON API."""

import json

from django.conf import settings
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser

from apps.core.scoping import MAX_ID


class Pagination(LimitOffsetPagination):
    """limit/offset pages of at most PAGE_SIZE items; an offset no database can take is refused (422)."""

    class Input(Schema):
        limit: int = Field(settings.PAGE_SIZE, ge=1, le=settings.PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_ID)


# The answers every operation may give besides its own, documented once here for all of them (an app's router says
# only what is its own): refused with a reason (400), not signed in, not allowed, out of scope or not found (the
# same 404), input refused.
ERROR_ANSWERS = {
    "400": "Yêu cầu không thực hiện được; `detail` nói lý do.",
    "401": "Chưa đăng nhập hoặc mã truy cập (token) không hợp lệ.",
    "403": "Không có quyền làm việc này (đối tượng chỉ được xem).",
    "404": "Không tìm thấy, hoặc nằm ngoài phạm vi của người dùng.",
    "422": "Dữ liệu gửi lên không hợp lệ.",
}
PROBLEM = {
    "title": "Problem",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "type": "string"}},
    "required": ["detail"],
}
INVALID = {
    "title": "ValidationProblem",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "type": "array", "items": {"type": "object"}}},
    "required": ["detail"],
}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def document_errors(schema: dict) -> dict:
    """The OpenAPI schema with 401, 403, 404 and 422 documented on every operation that does not document them
    itself: `{"detail": "…"}` (422: `{"detail": [errors]}`), as django-ninja and the project's handlers answer."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorDetail", PROBLEM)
    components.setdefault("ValidationErrorDetail", INVALID)
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            # django-ninja keys its own answers by int (404), these by str: one key each, or the JSON holds the same
            # key twice (Swagger UI's parser refuses it: "YAMLException: duplicated mapping key").
            responses = {str(code): answer for code, answer in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status, description in ERROR_ANSWERS.items():  # 400 too: several apps refuse with a reason
                ref = "ValidationErrorDetail" if status == "422" else "ErrorDetail"
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
                    },
                )
    return schema


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class NulRefusingParser(Parser):
    """JSON bodies as django-ninja reads them, refusing a NUL character anywhere in them (`"\u0000"`): PostgreSQL
    refuses it in text, so a write would fail with a 500 after the checks; a form's fields refuse it the same way
    (Django's ProhibitNullCharactersValidator). django-ninja answers a body it cannot parse with 400."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if _holds_nul(data):
            raise ValueError("a NUL character in the body")
        return data


class DocumentedAPI(NinjaAPI):
    """The project's NinjaAPI: every operation's schema documents the error answers (`document_errors`), so that a
    client, and schemathesis, know every status an operation may give. Its bodies are read by `NulRefusingParser`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parser", NulRefusingParser())
        super().__init__(*args, **kwargs)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return document_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
