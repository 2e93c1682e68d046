"""The outgoing register (sổ văn bản đi) for the apps below the documents app, which may not import it (funds: a
donor's thank-you letter). The documents app registers its service from its config (`register_issue`); the others
call `issue`, which enters a document in the register of its owner's issuing body (a school, a unit or an
organisation; made from the given facts when the owner has none yet) and returns the register entry."""

from collections.abc import Callable

_ISSUE: list[Callable] = []


def register_issue(service: Callable) -> None:
    _ISSUE[:] = [service]


def issue(**kwargs):
    """`apps.documents.services.owner_document_issue(**kwargs)`: see there for the arguments."""
    if not _ISSUE:
        raise RuntimeError("no outgoing register: the documents app is not installed")
    return _ISSUE[0](**kwargs)
