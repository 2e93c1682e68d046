"""Shared pieces of the JSON API."""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from apps.core.scoping import MAX_ID


class Pagination(LimitOffsetPagination):
    """limit/offset pages of at most PAGE_SIZE items; an offset no database can take is refused (422)."""

    class Input(Schema):
        limit: int = Field(settings.PAGE_SIZE, ge=1, le=settings.PAGE_SIZE)
        offset: int = Field(0, ge=0, le=MAX_ID)
