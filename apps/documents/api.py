"""The documents' API (`/api/v1/documents/`): the caller's issuing bodies and each one's outgoing register,
scoped like the pages."""

import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from apps.documents import selectors

router = Router(tags=["documents"])


class BodyOut(Schema):
    id: int
    name: str
    abbreviation: str
    parent_name: str
    place: str
    numbering: str
    school_id: int | None
    org_unit_id: int | None
    organisation_id: int | None


class RegisterEntryOut(Schema):
    id: int
    kind: str
    type_code: str
    year: int
    number: int | None
    symbol: str
    issued_on: datetime.date
    summary: str
    signer_name: str
    signer_position: str
    source: str
    has_file: bool
    pdf_state: str

    @staticmethod
    def resolve_has_file(obj):
        return bool(obj.file)


@router.get("/bodies", response=list[BodyOut])
@paginate
def list_issuing_bodies(request):
    return selectors.body_list(request.user)


@router.get("/bodies/{int:pk}/register", response=list[RegisterEntryOut])
@paginate
def list_register(request, pk: int, year: int | None = None, type_code: str = ""):
    body = selectors.body_for(request.user, pk)
    return selectors.register(request.user, body, year=year, type_code=type_code)
